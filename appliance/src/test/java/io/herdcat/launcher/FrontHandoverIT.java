package io.herdcat.launcher;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.herdcat.testing.Args;
import io.herdcat.testing.Cluster;
import io.herdcat.testing.DumpOutputOnFailure;
import io.herdcat.testing.FreePorts;
import io.herdcat.testing.Http;
import io.herdcat.testing.NodeProcess;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM of the node that runs the HTTP front, under steady load and with slow requests in flight on
 * both nodes: the other node opens the front, the stopping one finishes what it accepted, and no client
 * sees a failure, whether it keeps its connection alive or opens one per request.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
@ExtendWith(DumpOutputOnFailure.class)
class FrontHandoverIT {
    private static final int KEEP_ALIVE_CLIENTS = 2;
    private static final int NEW_CONNECTION_CLIENTS = 3;
    private static final Pattern IN_FLIGHT = Pattern.compile("\"inFlight\":(\\d+)");

    @TempDir
    Path dir;

    @Test
    void sigtermOfTheFrontsNodeUnderLoadFailsNoRequestAndFinishesSlowOnesOnBothNodes() throws Exception {
        Cluster.prepare(dir);
        int frontPort = FreePorts.offsetWhereFree(1, 0);
        String[] args = Args.with(Cluster.frontArgs(dir, frontPort), "--access-log", "false", "--shutdown-timeout", "30s");
        try (NodeProcess a = Cluster.start("a", dir, Args.with(args, "--dispatcher", "always")).awaitReady();
             NodeProcess b = Cluster.start("b", dir, Args.with(args, "--dispatcher", "auto")).awaitReady()) {
            await().atMost(Duration.ofSeconds(20)).until(() -> Cluster.members(a).size() == 2);
            String base = "http://127.0.0.1:" + frontPort + "/session-demo/";
            await().atMost(Duration.ofSeconds(20)).until(() -> Http.status(base + "hello") == 200);
            await().atMost(Duration.ofSeconds(20)).until(() -> Cluster.status(a).contains("\"front\":{"));

            Load load = Load.start(frontPort);
            Map<String, AtomicLong> outcomes = load.outcomes;
            await().atMost(Duration.ofSeconds(20)).until(() -> served(outcomes) > 200);

            HttpClient slowClient = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            List<CompletableFuture<HttpResponse<String>>> slow = new ArrayList<>();
            for (String route : List.of("a", "b", "a", "b")) {
                slow.add(slowClient.sendAsync(HttpRequest.newBuilder(URI.create(base + "sleep?ms=4000"))
                        .header("Cookie", "JSESSIONID=0123456789ABCDEF." + route).build(),
                        HttpResponse.BodyHandlers.ofString()));
            }
            await("slow requests in flight at the front").atMost(Duration.ofSeconds(10))
                    .until(() -> frontInFlight(a) >= slow.size());

            a.terminate();
            assertEquals(0, a.awaitExit(Duration.ofSeconds(60)), "a stops cleanly");
            long servedAtExit = served(outcomes);
            await("b's front serves").atMost(Duration.ofSeconds(20)).until(() -> served(outcomes) > servedAtExit + 200);
            load.stop();

            List<String> slowAnswers = new ArrayList<>();
            for (CompletableFuture<HttpResponse<String>> f : slow) {
                try {
                    HttpResponse<String> r = f.get(30, TimeUnit.SECONDS);
                    slowAnswers.add(r.statusCode() + " " + r.body().strip());
                } catch (Exception e) {
                    slowAnswers.add(e.toString());
                }
            }
            long failed = outcomes.entrySet().stream().filter(e -> !e.getKey().startsWith("Hello from"))
                    .mapToLong(e -> e.getValue().get()).sum();
            assertEquals(0, failed, "failed requests while the front moved from a to b: " + outcomes);
            assertEquals(List.of("200 Slept 4000 ms on a", "200 Slept 4000 ms on b", "200 Slept 4000 ms on a",
                    "200 Slept 4000 ms on b"), slowAnswers, "slow requests in flight when a was stopped");
            assertTrue(Cluster.status(b).contains("\"dispatcher\":\"b\""), "b runs the front now");
        }
    }

    @Test
    void frontMovesToAJoiningPreferredNodeUnderLoadWithoutFailingARequest() throws Exception {
        Cluster.prepare(dir);
        int frontPort = FreePorts.offsetWhereFree(1, 0);
        String[] args = Args.with(Cluster.frontArgs(dir, frontPort), "--access-log", "false");
        try (NodeProcess a = Cluster.start("a", dir, Args.with(args, "--dispatcher", "auto")).awaitReady()) {
            String base = "http://127.0.0.1:" + frontPort + "/session-demo/";
            await().atMost(Duration.ofSeconds(20)).until(() -> Http.status(base + "hello") == 200);
            Load load = Load.start(frontPort);
            await().atMost(Duration.ofSeconds(20)).until(() -> served(load.outcomes) > 200);
            try (NodeProcess b = Cluster.start("b", dir, Args.with(args, "--dispatcher", "always")).awaitReady()) {
                await("b runs the front").atMost(Duration.ofSeconds(30))
                        .until(() -> Cluster.status(b).contains("\"front\":{"));
                await("a's front is closed").atMost(Duration.ofSeconds(30))
                        .until(() -> !Cluster.status(a).contains("\"front\":{"));
                long before = served(load.outcomes);
                await().atMost(Duration.ofSeconds(20)).until(() -> served(load.outcomes) > before + 200);
                load.stop();
                long failed = load.outcomes.entrySet().stream().filter(e -> !e.getKey().startsWith("Hello from"))
                        .mapToLong(e -> e.getValue().get()).sum();
                assertEquals(0, failed, "failed requests while the front moved from a to b: " + load.outcomes);
            }
        }
    }

    /** Steady load through the front: clients that keep connections alive and clients that open one per request. */
    private record Load(ExecutorService clients, List<Future<?>> running, AtomicBoolean go,
                        Map<String, AtomicLong> outcomes) {
        static Load start(int frontPort) {
            String hello = "http://127.0.0.1:" + frontPort + "/session-demo/hello";
            Map<String, AtomicLong> outcomes = new ConcurrentHashMap<>();
            AtomicBoolean go = new AtomicBoolean(true);
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            ExecutorService clients = Executors.newFixedThreadPool(KEEP_ALIVE_CLIENTS + NEW_CONNECTION_CLIENTS);
            List<Future<?>> running = new ArrayList<>();
            for (int i = 0; i < KEEP_ALIVE_CLIENTS; i++) {
                running.add(clients.submit(() -> keepAliveLoad(hello, go, end, outcomes)));
            }
            for (int i = 0; i < NEW_CONNECTION_CLIENTS; i++) {
                running.add(clients.submit(() -> newConnectionLoad(frontPort, go, end, outcomes)));
            }
            return new Load(clients, running, go, outcomes);
        }

        void stop() throws Exception {
            go.set(false);
            for (Future<?> f : running) {
                f.get(60, TimeUnit.SECONDS);
            }
            clients.shutdown();
        }
    }

    private static long served(Map<String, AtomicLong> outcomes) {
        return outcomes.entrySet().stream().filter(e -> e.getKey().startsWith("Hello from"))
                .mapToLong(e -> e.getValue().get()).sum();
    }

    /** Requests in flight that the front on {@code node} counts now. */
    private static int frontInFlight(NodeProcess node) throws IOException, InterruptedException {
        String status = Cluster.status(node);
        int front = status.indexOf("\"front\":{");
        if (front < 0) {
            return 0;
        }
        Matcher m = IN_FLIGHT.matcher(status.substring(front));
        int sum = 0;
        while (m.find()) {
            sum += Integer.parseInt(m.group(1));
        }
        return sum;
    }

    /** One client that keeps its connections alive, as browsers do (and retries an idempotent request as they do). */
    private static void keepAliveLoad(String url, AtomicBoolean running, long endNanos, Map<String, AtomicLong> outcomes) {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20)).build();
        while (running.get() && System.nanoTime() < endNanos) {
            String outcome;
            try {
                HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
                outcome = r.statusCode() == 200 ? r.body().strip() : "status " + r.statusCode();
            } catch (IOException e) {
                outcome = "keep-alive client: " + e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            outcomes.computeIfAbsent(outcome, k -> new AtomicLong()).incrementAndGet();
        }
    }

    /** One client that opens a new connection for each request ({@code Connection: close}), as scripts do. */
    private static void newConnectionLoad(int port, AtomicBoolean running, long endNanos, Map<String, AtomicLong> outcomes) {
        byte[] request = ("GET /session-demo/hello HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
        while (running.get() && System.nanoTime() < endNanos) {
            String outcome;
            try (Socket s = new Socket("127.0.0.1", port)) {
                s.setSoTimeout(20_000);
                s.getOutputStream().write(request);
                String response = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
                int body = response.indexOf("\r\n\r\n");
                outcome = response.startsWith("HTTP/1.1 200 ") && body > 0 ? response.substring(body + 4).strip()
                        : response.isEmpty() ? "new-connection client: empty reply" : "new-connection client: " + response;
            } catch (IOException e) {
                outcome = "new-connection client: " + e;
            }
            outcomes.computeIfAbsent(outcome, k -> new AtomicLong()).incrementAndGet();
        }
    }
}
