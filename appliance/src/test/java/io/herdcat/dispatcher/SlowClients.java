package io.herdcat.dispatcher;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Many connections of one kind of slow client, from one local address, held on one thread with one
 * selector. A connection the server closes is opened again (except a client that never reads, which
 * cannot see the close), so the attack keeps {@code count} connections going for as long as it runs.
 */
final class SlowClients implements AutoCloseable {
    /** What each connection does. */
    enum Kind {
        /** {@code POST} with {@code Content-Length: 1}, then nothing. */
        SLOW_BODY("POST /echo HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\n\r\n"),
        /** {@code POST} of 100,000 bytes, one byte a second. */
        TRICKLED_BODY("POST /echo HTTP/1.1\r\nHost: h\r\nContent-Length: 100000\r\n\r\n"),
        /** A chunked {@code POST} whose last chunk never comes. */
        UNFINISHED_CHUNKED("POST /echo HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n"),
        /** A request head sent one header line every second (slowloris). */
        SLOWLORIS("GET /who HTTP/1.1\r\nHost: h\r\n"),
        /** A {@code GET} of a large response, never read (a small receive buffer). */
        NEVER_READS("GET /download?bytes=" + (16 << 20) + " HTTP/1.1\r\nHost: h\r\n\r\n");

        final String opening;

        Kind(String opening) {
            this.opening = opening;
        }
    }

    private final InetSocketAddress server;
    private final Kind kind;
    private final InetAddress from;
    private final int count;
    private final Selector selector;
    private final List<SocketChannel> open = new ArrayList<>();
    private final AtomicInteger opened = new AtomicInteger();
    private final AtomicInteger closedByServer = new AtomicInteger();
    private final AtomicInteger refusedConnects = new AtomicInteger();
    private final CountDownLatch ready = new CountDownLatch(1);
    private final Thread thread;
    private volatile boolean running = true;

    SlowClients(int port, Kind kind, InetAddress from, int count) throws IOException {
        this.server = new InetSocketAddress("127.0.0.1", port);
        this.kind = kind;
        this.from = from;
        this.count = count;
        this.selector = Selector.open();
        this.thread = new Thread(this::run, "slow-" + kind);
        thread.setDaemon(true);
    }

    /** Opens all connections and sends their opening bytes; returns once they are all open. */
    SlowClients start() throws InterruptedException {
        thread.start();
        if (!ready.await(2, TimeUnit.MINUTES)) {
            throw new IllegalStateException(kind + ": connections not open after 2 minutes");
        }
        return this;
    }

    int opened() {
        return opened.get();
    }

    int closedByServer() {
        return closedByServer.get();
    }

    private void run() {
        try {
            for (int i = 0; i < count && running; i++) {
                connect();
            }
            ready.countDown();
            long nextTick = System.nanoTime();
            byte[] buf = new byte[4096];
            ByteBuffer in = ByteBuffer.wrap(buf);
            while (running) {
                selector.select(200);
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
                        reopen(ch);
                    }
                }
                selector.selectedKeys().clear();
                if (System.nanoTime() - nextTick >= 0) {
                    nextTick = System.nanoTime() + 1_000_000_000L;
                    tick();
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } finally {
            ready.countDown();
        }
    }

    /** Once a second: another byte of each trickled body, another header line of each slowloris head. */
    private void tick() throws IOException {
        String more = switch (kind) {
            case TRICKLED_BODY -> "x";
            case SLOWLORIS -> "X-Slow: 1\r\n";
            default -> null;
        };
        if (more == null) {
            return;
        }
        for (SocketChannel ch : new ArrayList<>(open)) {
            try {
                ch.write(ByteBuffer.wrap(more.getBytes(StandardCharsets.ISO_8859_1)));
            } catch (IOException e) {
                reopen(ch);
            }
        }
    }

    private void reopen(SocketChannel ch) throws IOException {
        closedByServer.incrementAndGet();
        open.remove(ch);
        ch.close();
        if (running) {
            connect();
        }
    }

    private void connect() throws IOException {
        SocketChannel ch = SocketChannel.open();
        try {
            if (kind == Kind.NEVER_READS) {
                ch.setOption(StandardSocketOptions.SO_RCVBUF, 4096);
            }
            ch.bind(new InetSocketAddress(from, 0));
            ch.connect(server);
            ch.write(ByteBuffer.wrap(kind.opening.getBytes(StandardCharsets.ISO_8859_1)));
        } catch (IOException e) {
            refusedConnects.incrementAndGet();
            ch.close();
            return;
        }
        ch.configureBlocking(false);
        if (kind != Kind.NEVER_READS) {
            ch.register(selector, SelectionKey.OP_READ);
        }
        open.add(ch);
        opened.incrementAndGet();
    }

    @Override
    public void close() throws Exception {
        running = false;
        selector.wakeup();
        thread.join(10_000);
        for (SocketChannel ch : open) {
            ch.close();
        }
        selector.close();
    }

    @Override
    public String toString() {
        return kind + " from " + from.getHostAddress() + ": opened " + opened + ", closed by the front "
                + closedByServer + ", failed connects " + refusedConnects;
    }
}
