package io.herdcat.dispatcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.herdcat.config.AddressRange;
import io.herdcat.config.NodeConfig;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** HTTP/1.1 rules the front keeps (RFC 9110, 9112), over raw sockets to a front before a real Tomcat. */
@Timeout(value = 1, unit = TimeUnit.MINUTES)
class FrontHttpTest {
    private TestBackend node;
    private Dispatcher dispatcher;

    @BeforeEach
    void start() throws Exception {
        node = new TestBackend("a").start(0);
    }

    private void front(List<AddressRange> trusted) throws Exception {
        NodeConfig.ClientLimits d = NodeConfig.ClientLimits.defaults();
        dispatcher = TestBackend.front(Dispatcher.Options.defaults().withClients(new NodeConfig.ClientLimits(
                d.bodyTimeout(), d.bodyMinRate(), d.sendTimeout(), d.maxConnections(), d.maxRequests(), trusted)),
                node.spec());
    }

    @AfterEach
    void stop() throws Exception {
        if (dispatcher != null) {
            dispatcher.close();
        }
        node.close();
    }

    @Test
    void anHttp10ClientGetsABodyThatEndsWithTheConnectionNeverChunked() throws Exception {
        front(List.of());
        TestBackend.DRIP_END.drainPermits();
        TestBackend.DRIP_END.release(3);
        for (String connection : new String[] {"", "Connection: keep-alive\r\n"}) {
            try (RawHttp c = new RawHttp(dispatcher.port())) {
                RawHttp.Response r = c.send("GET /drip HTTP/1.0\r\nHost: h\r\n" + connection + "\r\n").read();
                assertEquals(200, r.status());
                assertNull(r.headers().get("transfer-encoding"), "chunked is not HTTP/1.0: " + r.headers());
                assertEquals("close", r.headers().get("connection"));
                assertEquals("start end", r.text(), "the whole body, up to the close");
            }
        }
        // HTTP/1.1 still streams chunked: the start arrives while the node has not ended the body
        TestBackend.DRIP_END.drainPermits();
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", dispatcher.port())) {
            s.setSoTimeout(30_000);
            s.getOutputStream().write("GET /drip HTTP/1.1\r\nHost: h\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            String start = readUntil(s.getInputStream(), "start \r\n");
            assertTrue(start.toLowerCase(java.util.Locale.ROOT).contains("transfer-encoding: chunked"), start);
            TestBackend.DRIP_END.release();
            readUntil(s.getInputStream(), "end\r\n0\r\n\r\n");
        }
    }

    @Test
    void aResponseWholeAtItsEndGetsALengthInsteadOfChunks() throws Exception {
        front(List.of());
        TestBackend.DRIP_END.drainPermits();
        TestBackend.DRIP_END.release();
        try (RawHttp c = new RawHttp(dispatcher.port())) {
            RawHttp.Response r = c.send("GET /drip HTTP/1.1\r\nHost: h\r\n\r\n").read();
            assertNull(r.headers().get("transfer-encoding"), r.headers().toString());
            assertEquals("9", r.headers().get("content-length"));
            assertEquals("start end", r.text());
        }
    }

    private static String readUntil(java.io.InputStream in, String end) throws java.io.IOException {
        StringBuilder seen = new StringBuilder();
        while (seen.indexOf(end) < 0) {
            int b = in.read();
            assertTrue(b >= 0, "closed before " + end + ": " + seen);
            seen.append((char) b);
        }
        return seen.toString();
    }

    @Test
    void headersNamedInConnectionAreNotForwarded() throws Exception {
        front(List.of());
        try (RawHttp c = new RawHttp(dispatcher.port())) {
            String seen = c.send("GET /headers HTTP/1.1\r\nHost: h\r\nConnection: X-Hop, keep-alive\r\nX-Hop: secret\r\n"
                    + "Keep-Alive: timeout=5\r\nX-End: kept\r\n\r\n").read().text();
            assertFalse(seen.contains("x-hop"), seen);
            assertFalse(seen.contains("keep-alive"), seen);
            assertFalse(seen.contains("connection"), seen);
            assertTrue(seen.contains("x-end: kept"), seen);
        }
    }

    @Test
    void aMissingOrDuplicateHostIsRefusedWith400() throws Exception {
        front(List.of());
        try (RawHttp c = new RawHttp(dispatcher.port())) {
            assertEquals(400, c.send("GET /who HTTP/1.1\r\n\r\n").read().status(), "HTTP/1.1 without Host");
        }
        try (RawHttp c = new RawHttp(dispatcher.port())) {
            assertEquals(400, c.send("GET /who HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n").read().status(), "two Hosts");
        }
        try (RawHttp c = new RawHttp(dispatcher.port())) {
            assertEquals(400, c.send("GET /who HTTP/1.0\r\nHost: a\r\nHost: b\r\n\r\n").read().status(),
                    "two Hosts in HTTP/1.0");
        }
        try (RawHttp c = new RawHttp(dispatcher.port())) {
            assertEquals(200, c.send("GET /who HTTP/1.0\r\n\r\n").read().status(), "HTTP/1.0 needs no Host");
        }
    }

    @Test
    void transferCodingsOtherThanChunkedGet501() throws Exception {
        front(List.of());
        for (String coding : new String[] {"gzip", "gzip, chunked", "chunked, gzip"}) {
            try (RawHttp c = new RawHttp(dispatcher.port())) {
                RawHttp.Response r = c.send("POST /echo HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: " + coding
                        + "\r\n\r\n5\r\nhello\r\n0\r\n\r\n").read();
                assertEquals(501, r.status(), coding);
                assertEquals("close", r.headers().get("connection"), coding);
            }
        }
        try (RawHttp c = new RawHttp(dispatcher.port())) {
            assertEquals("a 5", c.send("POST /echo HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "5\r\nhello\r\n0\r\n\r\n").read().text());
        }
    }

    @Test
    void forwardedHeadersOfAnUntrustedClientAreReplaced() throws Exception {
        front(List.of());
        try (RawHttp c = new RawHttp(dispatcher.port())) {
            String seen = c.send("GET /headers HTTP/1.1\r\nHost: h\r\nX-Forwarded-For: 203.0.113.9\r\n"
                    + "X-Forwarded-Proto: https\r\n\r\n").read().text();
            assertTrue(seen.contains("x-forwarded-for: 127.0.0.1\n"), seen);
            assertTrue(seen.contains("x-forwarded-proto: http\n"), seen);
            assertFalse(seen.contains("203.0.113.9"), seen);
        }
    }

    @Test
    void forwardedHeadersOfATrustedProxyAreExtended() throws Exception {
        front(List.of(AddressRange.parse("127.0.0.0/8")));
        try (RawHttp c = new RawHttp(dispatcher.port())) {
            String seen = c.send("GET /headers HTTP/1.1\r\nHost: h\r\nX-Forwarded-For: 203.0.113.9\r\n"
                    + "X-Forwarded-For: 198.51.100.7\r\nX-Forwarded-Proto: https\r\n\r\n").read().text();
            assertTrue(seen.contains("x-forwarded-for: 203.0.113.9, 198.51.100.7, 127.0.0.1\n"), seen);
            assertTrue(seen.contains("x-forwarded-proto: https\n"), seen);
        }
        try (RawHttp c = new RawHttp(dispatcher.port())) {
            String seen = c.send("GET /headers HTTP/1.1\r\nHost: h\r\n\r\n").read().text();
            assertTrue(seen.contains("x-forwarded-for: 127.0.0.1\n"), seen);
            assertTrue(seen.contains("x-forwarded-proto: http\n"), seen);
        }
    }
}
