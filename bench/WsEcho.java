import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * WebSocket load for bench/ws.sh, with the JDK's own WebSocket client (Java 17, no dependencies).
 *
 * <p>{@code echo URL CONNECTIONS MESSAGES SIZE}: opens CONNECTIONS WebSockets to URL (an echo endpoint
 * that first pushes one greeting message, like /session-demo/ws), waits for each greeting, then every
 * connection sends MESSAGES text messages of SIZE bytes one after the other, each only after the echo
 * of the previous one came back, and checks every echo. Round trips are recorded in a preallocated
 * array (no allocation on the measured path beyond the client's own). Prints
 * <pre>RESULT connections=C messages=M size=S p50_us=… p99_us=… max_us=… msgs_per_s=… bad=B</pre>
 *
 * <p>{@code idle URL N READY_FILE RELEASE_FILE [COOKIE]}: opens N WebSockets (at most 200 handshakes at a
 * time; with COOKIE as their Cookie header),
 * waits for each greeting, writes "open=N" to READY_FILE, holds them idle until RELEASE_FILE exists,
 * then checks that each still echoes and closes them all. Prints
 * <pre>RESULT open=N failed=F closed_by_server=K echo_ok=E</pre>
 */
public class WsEcho {
    public static void main(String[] args) throws Exception {
        switch (args.length > 0 ? args[0] : "") {
            case "echo" -> echo(URI.create(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]),
                    Integer.parseInt(args[4]));
            case "idle" -> idle(URI.create(args[1]), Integer.parseInt(args[2]), Path.of(args[3]), Path.of(args[4]),
                    args.length > 5 ? args[5] : null);
            default -> {
                System.err.println("usage: WsEcho echo URL CONNECTIONS MESSAGES SIZE | idle URL N READY RELEASE [COOKIE]");
                System.exit(2);
            }
        }
    }

    /** One WebSocket: collects whole text messages and hands each to whoever waits for the next. */
    static final class Conn implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();
        private volatile CompletableFuture<String> next = new CompletableFuture<>();
        volatile boolean closedByServer;
        WebSocket socket;

        CompletableFuture<String> expect() {
            return next;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String message = partial.toString();
                partial.setLength(0);
                CompletableFuture<String> done = next;
                next = new CompletableFuture<>();
                done.complete(message);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closedByServer = true;
            next.completeExceptionally(new IllegalStateException("closed " + statusCode));
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closedByServer = true;
            next.completeExceptionally(error);
        }
    }

    static Conn open(HttpClient client, URI uri, String cookie) {
        Conn conn = new Conn();
        CompletableFuture<String> greeting = conn.expect();
        WebSocket.Builder builder = client.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10));
        if (cookie != null) {
            builder.header("Cookie", cookie);
        }
        conn.socket = builder.buildAsync(uri, conn)
                .orTimeout(30, TimeUnit.SECONDS).join();
        greeting.orTimeout(30, TimeUnit.SECONDS).join();
        return conn;
    }

    static void echo(URI uri, int connections, int messages, int size) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        List<Conn> conns = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            conns.add(open(client, uri, null));
        }
        long[] rtt = new long[connections * messages];
        AtomicInteger bad = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(connections);
        long start = System.nanoTime();
        for (int c = 0; c < connections; c++) {
            Conn conn = conns.get(c);
            int base = c * messages;
            char[] fill = new char[size];
            Arrays.fill(fill, (char) ('a' + c % 26));
            String payload = new String(fill);
            Thread worker = new Thread(() -> {
                try {
                    for (int m = 0; m < messages; m++) {
                        CompletableFuture<String> answer = conn.expect();
                        long sent = System.nanoTime();
                        conn.socket.sendText(payload, true).join();
                        String got = answer.get(30, TimeUnit.SECONDS);
                        rtt[base + m] = System.nanoTime() - sent;
                        if (!got.equals(payload)) {
                            bad.incrementAndGet();
                        }
                    }
                } catch (Exception e) {
                    bad.incrementAndGet();
                    System.err.println("connection failed: " + e);
                } finally {
                    done.countDown();
                }
            });
            worker.setDaemon(true);
            worker.start();
        }
        done.await();
        long elapsed = System.nanoTime() - start;
        for (Conn conn : conns) {
            conn.socket.sendClose(WebSocket.NORMAL_CLOSURE, "done");
        }
        Arrays.sort(rtt);
        System.out.printf("RESULT connections=%d messages=%d size=%d p50_us=%d p99_us=%d max_us=%d msgs_per_s=%.0f bad=%d%n",
                connections, messages, size, rtt[rtt.length / 2] / 1000, rtt[(int) (rtt.length * 0.99)] / 1000,
                rtt[rtt.length - 1] / 1000, rtt.length / (elapsed / 1e9), bad.get());
    }

    static void idle(URI uri, int n, Path ready, Path release, String cookie) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        List<CompletableFuture<Conn>> opening = new ArrayList<>();
        java.util.concurrent.ExecutorService openers = java.util.concurrent.Executors.newFixedThreadPool(200);
        for (int i = 0; i < n; i++) {
            opening.add(CompletableFuture.supplyAsync(() -> open(client, uri, cookie), openers));
        }
        List<Conn> conns = new ArrayList<>();
        int failed = 0;
        for (CompletableFuture<Conn> f : opening) {
            try {
                conns.add(f.join());
            } catch (Exception e) {
                failed++;
            }
        }
        openers.shutdown();
        Files.writeString(ready, "open=" + conns.size() + "\n");
        while (!Files.exists(release)) {
            Thread.sleep(100);
        }
        int closed = 0;
        int echoed = 0;
        for (Conn conn : conns) {
            if (conn.closedByServer) {
                closed++;
                continue;
            }
            try {
                CompletableFuture<String> answer = conn.expect();
                conn.socket.sendText("still-there", true).join();
                if ("still-there".equals(answer.get(10, TimeUnit.SECONDS))) {
                    echoed++;
                }
                conn.socket.sendClose(WebSocket.NORMAL_CLOSURE, "done");
            } catch (Exception e) {
                closed++;
            }
        }
        System.out.printf("RESULT open=%d failed=%d closed_by_server=%d echo_ok=%d%n", conns.size(), failed, closed, echoed);
    }
}
