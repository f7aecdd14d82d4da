import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Many idle keep-alive clients: opens N TCP connections to HOST:PORT (at most WINDOW connecting or
 * waiting for their answer at a time, so the listen backlog is not flooded), sends one
 * {@code GET PATH HTTP/1.1} (keep-alive) on each and reads each complete response (status 200 counts
 * as answered), then holds them all open and idle. It then writes READY_FILE ("open=N answered=M")
 * and waits, still watching for connections the server closes, until RELEASE_FILE exists (the caller
 * measures the server meanwhile). Then it sends a second request on SECOND connections spread over
 * the held ones, closes every connection and prints RESULT lines. Java 17, one thread, one
 * java.nio Selector.
 *
 * <p>Usage: java bench/IdleConnections.java HOST PORT PATH N SECOND READY_FILE RELEASE_FILE [WINDOW]
 * [HOLD_LIMIT_SECONDS]
 *
 * <p>Prints (each on its own line):
 * <pre>
 * RESULT phase=open connections=N open=O answered=A failed=F millis=T failures=kind:count,...
 * RESULT phase=held closed_by_server=C
 * RESULT phase=second tried=K ok=OK failures=kind:count,...
 * RESULT phase=close closed=N
 * </pre>
 */
public class IdleConnections {
    private static final int BUFFER = 16 * 1024;

    /** One client connection and the response it is reading. */
    static final class Conn {
        final int id;
        final SocketChannel channel;
        ByteBuffer out;
        byte[] in = new byte[0];
        int inLength;
        boolean answered;   // the current request got a complete 200
        boolean failed;
        boolean closedByServer;
        boolean waiting;    // a request is out and its response not complete yet
        long startedNanos;

        Conn(int id, SocketChannel channel) {
            this.id = id;
            this.channel = channel;
        }

        void append(ByteBuffer b) {
            int n = b.remaining();
            if (inLength + n > in.length) {
                byte[] bigger = new byte[Math.max(in.length * 2, inLength + n + 256)];
                System.arraycopy(in, 0, bigger, 0, inLength);
                in = bigger;
            }
            b.get(in, inLength, n);
            inLength += n;
        }

        void resetResponse() {
            in = new byte[0];
            inLength = 0;
        }
    }

    private final String host;
    private final int port;
    private final byte[] request;
    private final Selector selector;
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(BUFFER);
    private final Map<String, Integer> failures = new TreeMap<>();
    private final List<Conn> conns = new ArrayList<>();

    IdleConnections(String host, int port, String path) throws IOException {
        this.host = host;
        this.port = port;
        this.request = ("GET " + path + " HTTP/1.1\r\nHost: " + host + ":" + port
                + "\r\nConnection: keep-alive\r\nUser-Agent: herdcat-bench-idle\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        this.selector = Selector.open();
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 7) {
            System.err.println("usage: java bench/IdleConnections.java HOST PORT PATH N SECOND READY_FILE RELEASE_FILE"
                    + " [WINDOW] [HOLD_LIMIT_SECONDS]");
            System.exit(2);
        }
        IdleConnections probe = new IdleConnections(args[0], Integer.parseInt(args[1]), args[2]);
        int n = Integer.parseInt(args[3]);
        int second = Integer.parseInt(args[4]);
        Path ready = Path.of(args[5]);
        Path release = Path.of(args[6]);
        int window = args.length > 7 ? Integer.parseInt(args[7]) : 256;
        long holdLimit = args.length > 8 ? Long.parseLong(args[8]) : 900;
        try {
            probe.run(n, second, ready, release, window, holdLimit);
        } finally {
            probe.closeAll();
        }
    }

    void run(int n, int second, Path ready, Path release, int window, long holdLimitSeconds) throws IOException {
        long t0 = System.nanoTime();
        long deadline = t0 + 180_000_000_000L;
        int started = 0;
        int inFlight = 0;
        int done = 0;
        while (done < n && System.nanoTime() < deadline) {
            while (started < n && inFlight < window) {
                open(started++);
                inFlight++;
            }
            selector.select(100);
            int finished = handleKeys();
            inFlight -= finished;
            done += finished;
        }
        for (Conn c : conns) {
            if (c.waiting) {   // never answered within the deadline
                c.waiting = false;
                fail(c, "no-answer-in-180s");
            }
        }
        int unopened = n - started;
        if (unopened > 0) {
            failures.merge("not-started", unopened, Integer::sum);
        }
        long millis = (System.nanoTime() - t0) / 1_000_000;
        int answered = (int) conns.stream().filter(c -> c.answered).count();
        int open = (int) conns.stream().filter(c -> c.channel.isOpen() && !c.closedByServer).count();
        System.out.printf("RESULT phase=open connections=%d open=%d answered=%d failed=%d millis=%d failures=%s%n",
                n, open, answered, n - answered, millis, failureText());
        System.out.flush();
        failures.clear();

        // Hold: tell the caller, then wait for its release file while watching for closes.
        Path tmp = ready.resolveSibling(ready.getFileName() + ".tmp");
        Files.writeString(tmp, "open=" + open + " answered=" + answered + "\n");
        Files.move(tmp, ready, StandardCopyOption.ATOMIC_MOVE);
        long holdDeadline = System.nanoTime() + holdLimitSeconds * 1_000_000_000L;
        while (!Files.exists(release) && System.nanoTime() < holdDeadline) {
            selector.select(100);
            handleKeys();
        }
        int closedByServer = (int) conns.stream().filter(c -> c.answered && c.closedByServer).count();
        System.out.printf("RESULT phase=held closed_by_server=%d%n", closedByServer);

        // A second request on SECOND held connections, spread evenly over them.
        List<Conn> held = new ArrayList<>();
        for (Conn c : conns) {
            if (c.answered && !c.closedByServer && c.channel.isOpen()) {
                held.add(c);
            }
        }
        int tried = Math.min(second, held.size());
        List<Conn> chosen = new ArrayList<>();
        for (int i = 0; i < tried; i++) {
            chosen.add(held.get((int) ((long) i * held.size() / tried)));
        }
        for (Conn c : chosen) {
            c.answered = false;
            send(c);
        }
        long secondDeadline = System.nanoTime() + 30_000_000_000L;
        int pending = tried;
        while (pending > 0 && System.nanoTime() < secondDeadline) {
            selector.select(100);
            pending -= handleKeys();
        }
        for (Conn c : chosen) {
            if (c.waiting) {
                c.waiting = false;
                fail(c, "no-answer-in-30s");
            }
        }
        int ok = (int) chosen.stream().filter(c -> c.answered).count();
        System.out.printf("RESULT phase=second tried=%d ok=%d failures=%s%n", tried, ok, failureText());
    }

    private void open(int id) throws IOException {
        SocketChannel ch = SocketChannel.open();
        Conn c = new Conn(id, ch);
        conns.add(c);
        c.waiting = true;
        c.startedNanos = System.nanoTime();
        try {
            ch.configureBlocking(false);
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            if (ch.connect(new InetSocketAddress(host, port))) {
                ch.register(selector, 0, c);
                send(c);
            } else {
                ch.register(selector, SelectionKey.OP_CONNECT, c);
            }
        } catch (IOException e) {
            c.waiting = false;
            fail(c, "connect");
            pendingFinished++;
        }
    }

    private int pendingFinished;

    /** Sends the request on c (or the part left) and waits for its response. */
    private void send(Conn c) {
        c.resetResponse();
        c.waiting = true;
        c.out = ByteBuffer.wrap(request);
        try {
            c.channel.write(c.out);
            SelectionKey key = c.channel.keyFor(selector);
            key.interestOps(c.out.hasRemaining() ? SelectionKey.OP_WRITE : SelectionKey.OP_READ);
        } catch (IOException e) {
            c.waiting = false;
            fail(c, "write");
            pendingFinished++;
        }
    }

    /** Handles ready keys; returns how many requests finished (answered or failed). */
    private int handleKeys() {
        int finished = pendingFinished;
        pendingFinished = 0;
        Iterator<SelectionKey> it = selector.selectedKeys().iterator();
        while (it.hasNext()) {
            SelectionKey key = it.next();
            it.remove();
            Conn c = (Conn) key.attachment();
            if (!key.isValid()) {
                continue;
            }
            boolean wasWaiting = c.waiting;
            try {
                if (key.isConnectable()) {
                    c.channel.finishConnect();
                    key.interestOps(0);
                    send(c);
                    finished += pendingFinished;
                    pendingFinished = 0;
                    continue;
                }
                if (key.isWritable()) {
                    c.channel.write(c.out);
                    if (!c.out.hasRemaining()) {
                        key.interestOps(SelectionKey.OP_READ);
                    }
                    continue;
                }
                if (key.isReadable()) {
                    readBuffer.clear();
                    int n = c.channel.read(readBuffer);
                    if (n < 0) {
                        c.closedByServer = true;
                        key.cancel();
                        c.channel.close();
                        if (c.waiting) {
                            c.waiting = false;
                            fail(c, "closed-before-response");
                            finished++;
                        }
                        continue;
                    }
                    readBuffer.flip();
                    if (!c.waiting) {
                        failures.merge("unexpected-bytes-while-idle", 1, Integer::sum);
                        continue;
                    }
                    c.append(readBuffer);
                    int status = complete(c);
                    if (status != 0) {
                        c.waiting = false;
                        finished++;
                        if (status == 200) {
                            c.answered = true;
                        } else {
                            fail(c, "status-" + status);
                        }
                        c.resetResponse();
                    }
                }
            } catch (IOException e) {
                String kind = key.isValid() && key.isConnectable() ? "connect" : "io-error";
                key.cancel();
                try {
                    c.channel.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
                if (wasWaiting && c.waiting) {
                    c.waiting = false;
                    fail(c, kind + ":" + e.getClass().getSimpleName());
                    finished++;
                } else if (!c.waiting) {
                    c.closedByServer = true;
                }
            }
        }
        return finished;
    }

    /** 0 while the response in c is incomplete, else its status code (-1: unparsable). */
    private static int complete(Conn c) {
        byte[] b = c.in;
        int headEnd = -1;
        for (int i = 3; i < c.inLength; i++) {
            if (b[i] == '\n' && b[i - 1] == '\r' && b[i - 2] == '\n' && b[i - 3] == '\r') {
                headEnd = i + 1;
                break;
            }
        }
        if (headEnd < 0) {
            return 0;
        }
        String head = new String(b, 0, headEnd, StandardCharsets.ISO_8859_1);
        String[] lines = head.split("\r\n");
        String[] statusLine = lines[0].split(" ");
        int status;
        try {
            status = Integer.parseInt(statusLine[1]);
        } catch (RuntimeException e) {
            return -1;
        }
        long length = -1;
        boolean chunked = false;
        for (String line : lines) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String name = line.substring(0, colon).trim().toLowerCase();
            String value = line.substring(colon + 1).trim();
            if (name.equals("content-length")) {
                length = Long.parseLong(value);
            } else if (name.equals("transfer-encoding") && value.toLowerCase().contains("chunked")) {
                chunked = true;
            }
        }
        if (chunked) {
            String tail = new String(b, Math.max(headEnd, c.inLength - 5), Math.min(5, c.inLength - headEnd),
                    StandardCharsets.ISO_8859_1);
            return tail.equals("0\r\n\r\n") ? status : 0;
        }
        if (length < 0) {
            length = 0;   // no body framing on a keep-alive response: treat as empty
        }
        return c.inLength >= headEnd + length ? status : 0;
    }

    private void fail(Conn c, String kind) {
        c.failed = true;
        failures.merge(kind, 1, Integer::sum);
    }

    private String failureText() {
        if (failures.isEmpty()) {
            return "none";
        }
        StringBuilder sb = new StringBuilder();
        failures.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : ",").append(k).append(':').append(v));
        return sb.toString();
    }

    void closeAll() {
        int closed = 0;
        for (Conn c : conns) {
            try {
                if (c.channel.isOpen()) {
                    c.channel.close();
                    closed++;
                }
            } catch (IOException ignored) {
                // best effort
            }
        }
        try {
            selector.close();
        } catch (IOException ignored) {
            // best effort
        }
        System.out.printf("RESULT phase=close closed=%d%n", closed);
    }
}
