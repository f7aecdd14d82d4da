package io.herdcat.dispatcher;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.herdcat.config.NodeConfig;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Each of the front's limits on slow clients on its own, with short timeouts: body timeout and
 * minimum rate, send timeout, and the per-address caps on connections and on requests at the nodes.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class SlowClientLimitsTest {
    private TestBackend node;
    private Dispatcher dispatcher;

    @BeforeEach
    void start() throws Exception {
        node = new TestBackend("a").start(0);
    }

    private void front(int maxConnections, int maxRequests) throws Exception {
        dispatcher = TestBackend.front(Dispatcher.Options.defaults().withClients(new NodeConfig.ClientLimits(
                Duration.ofSeconds(1), 500, Duration.ofSeconds(1), maxConnections, maxRequests, List.of())), node.spec());
    }

    @AfterEach
    void stop() throws Exception {
        if (dispatcher != null) {
            dispatcher.close();
        }
        node.close();
    }

    private DispatcherSnapshot.NodeStats nodeStats() {
        return dispatcher.snapshot().nodes().get(0);
    }

    @Test
    void aBodyThatNeverComesGets408AndNeverReachesTheNode() throws Exception {
        front(0, 0);
        try (RawHttp c = new RawHttp(dispatcher.port())) {
            assertEquals(408, c.send("POST /echo HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\n\r\n").read().status());
        }
        try (RawHttp c = new RawHttp(dispatcher.port())) {
            assertEquals(408, c.send("POST /echo HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "5\r\nhello\r\n").read().status(), "an unfinished chunked body");
        }
        assertEquals(0, nodeStats().requests(), "the node saw none of them");
        assertEquals(2, dispatcher.slowBodies());
        assertEquals(2, dispatcher.snapshot().clientCuts().slowBodies(), "on /status and /metrics");
    }

    @Test
    void aTrickledBodyIsCutAtTheMinimumRateAndOneAtTheRateIsServed() throws Exception {
        front(0, 0);
        try (RawHttp c = new RawHttp(dispatcher.port())) {
            c.send("POST /echo HTTP/1.1\r\nHost: h\r\nContent-Length: 100000\r\n\r\n");
            int status = 0;
            for (int i = 0; i < 60 && status == 0; i++) {
                try {
                    c.send("x");
                } catch (java.io.IOException closed) {
                    break;
                }
                Thread.sleep(100);
                if (c.in.available() > 0) {
                    status = c.read().status();
                }
            }
            if (status == 0) {
                status = c.read().status();
            }
            assertEquals(408, status, "ten bytes a second is below 500");
        }
        try (RawHttp c = new RawHttp(dispatcher.port())) {
            c.send("POST /echo HTTP/1.1\r\nHost: h\r\nContent-Length: 10000\r\n\r\n");
            for (int i = 0; i < 10; i++) {
                c.send("y".repeat(1000));
                Thread.sleep(300); // 3 s in all, three times the body timeout, but 3,300 bytes a second
            }
            assertEquals("a 10000", c.read().text());
        }
    }

    @Test
    void aClientThatNeverReadsItsResponseIsDisconnectedAndTheNodeReleased() throws Exception {
        front(0, 0);
        try (Socket s = new Socket()) {
            s.setReceiveBufferSize(4096);
            s.connect(new InetSocketAddress("127.0.0.1", dispatcher.port()));
            s.getOutputStream().write(("GET /download?bytes=" + (256 << 20) + " HTTP/1.1\r\nHost: h\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            await().atMost(Duration.ofSeconds(30)).until(() -> dispatcher.sendTimeouts() == 1);
            assertEquals(1, dispatcher.snapshot().clientCuts().sendTimeouts(), "on /status and /metrics");
            await().atMost(Duration.ofSeconds(30)).until(() -> nodeStats().inFlight() == 0);
            InputStream in = s.getInputStream();
            s.setSoTimeout(20_000);
            long read = 0;
            byte[] buf = new byte[65536];
            for (int n; (n = in.read(buf)) > 0; ) {
                read += n;
            }
            assertTrue(read < 256 << 20, "the connection ended early: " + read + " bytes");
        }
        try (RawHttp c = new RawHttp(dispatcher.port())) {
            assertEquals("a ", c.send("GET /who HTTP/1.1\r\nHost: h\r\n\r\n").read().text());
        }
    }

    @Test
    void oneAddressHoldsAtMostItsConnections() throws Exception {
        front(3, 0);
        InetAddress attacker = InetAddress.getByName("127.0.0.2");
        List<RawHttp> held = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                RawHttp c = new RawHttp(dispatcher.port(), attacker);
                held.add(c);
                // answered, so the front has counted it (connections are accepted on several event loops)
                assertEquals("a ", c.send("GET /who HTTP/1.1\r\nHost: h\r\n\r\n").read().text());
            }
            try (RawHttp fourth = new RawHttp(dispatcher.port(), attacker)) {
                assertEquals(-1, fourth.in.read(), "closed at once");
            }
            assertEquals(1, dispatcher.refusedConnections());
            assertEquals(1, dispatcher.snapshot().clientCuts().refusedConnections(), "on /status and /metrics");
            try (RawHttp other = new RawHttp(dispatcher.port())) {
                assertEquals("a ", other.send("GET /who HTTP/1.1\r\nHost: h\r\n\r\n").read().text());
            }
            held.remove(2).close();
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                try (RawHttp again = new RawHttp(dispatcher.port(), attacker)) {
                    return again.send("GET /who HTTP/1.1\r\nHost: h\r\n\r\n").read().status() == 200;
                } catch (java.io.IOException e) {
                    return false;
                }
            });
        } finally {
            for (RawHttp c : held) {
                c.close();
            }
        }
    }

    @Test
    void requestsOfOneAddressBeyondItsCapWaitInTheFrontWhileOthersAreServed() throws Exception {
        front(0, 1);
        InetAddress busy = InetAddress.getByName("127.0.0.2");
        try (RawHttp first = new RawHttp(dispatcher.port(), busy); RawHttp second = new RawHttp(dispatcher.port(), busy);
             RawHttp other = new RawHttp(dispatcher.port())) {
            first.send("GET /crc?wait=5000 HTTP/1.1\r\nHost: h\r\n\r\n");
            await().atMost(Duration.ofSeconds(10)).until(() -> nodeStats().inFlight() == 1);
            second.send("GET /who HTTP/1.1\r\nHost: h\r\n\r\n");
            assertEquals("a ", other.send("GET /who HTTP/1.1\r\nHost: h\r\n\r\n").read().text(),
                    "another address is served at once");
            await().atMost(Duration.ofSeconds(10)).until(() -> nodeStats().inFlight() == 1); // the other's is done
            assertEquals(0, second.in.available(), "the second request of 127.0.0.2 waits for its first");
            assertEquals(2, nodeStats().requests(), "the node has seen only the first and the other address's");
            assertEquals("a 0 0", first.read().text());
            assertEquals("a ", second.read().text(), "then the waiting one goes");
        }
    }
}
