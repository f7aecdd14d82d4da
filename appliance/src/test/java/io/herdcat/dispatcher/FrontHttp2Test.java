package io.herdcat.dispatcher;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.herdcat.config.NodeConfig;
import io.herdcat.testing.RawH2;
import io.herdcat.testing.TestCertificate;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * HTTP/2 on the front, before two real Tomcats: h2 by ALPN on TLS and h2c with prior knowledge on a
 * plain front, every stream one request with the HTTP/1.1 rules (balancing, stickiness, bodies,
 * failover), and flow control mapped onto back-pressure, so one stream does not hold the others.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FrontHttp2Test {
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(2);
    private TestBackend a;
    private TestBackend b;
    private Dispatcher front;

    @BeforeAll
    void start() throws Exception {
        a = new TestBackend("a").start(0);
        b = new TestBackend("b").start(0);
        front = TestBackend.front(options(), a.spec(), b.spec());
    }

    /** h2c, a 2 s send timeout, and room for 128 requests of one address at the nodes. */
    private static Dispatcher.Options options() {
        NodeConfig.ClientLimits d = NodeConfig.ClientLimits.defaults();
        NodeConfig.Http2Limits h = NodeConfig.Http2Limits.defaults();
        return Dispatcher.Options.defaults()
                .withClients(new NodeConfig.ClientLimits(d.bodyTimeout(), d.bodyMinRate(), SEND_TIMEOUT,
                        d.maxConnections(), 128, d.trustedProxies()))
                .withHttp2(new NodeConfig.Http2Limits(h.h2(), true, h.maxStreams(), h.maxHeaderList(), h.maxResets()));
    }

    @AfterAll
    void stop() throws Exception {
        front.close();
        a.close();
        b.close();
    }

    private static void awaitFinished(RawH2.Stream... streams) {
        await().atMost(Duration.ofSeconds(30)).until(() -> List.of(streams).stream().allMatch(RawH2.Stream::finished));
    }

    @Test
    void jdkClientGetsResponsesOverH2WithTlsAndHttp11StaysOffered(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        TestCertificate cert = TestCertificate.create(dir);
        Dispatcher tls = TestBackend.front(Dispatcher.Options.defaults()
                .withTls(FrontTls.serverContext(cert.cert, cert.key, true)), a.spec(), b.spec());
        try {
            for (HttpClient.Version version : HttpClient.Version.values()) {
                HttpClient client = HttpClient.newBuilder().sslContext(cert.clientContext()).version(version).build();
                HttpResponse<String> r = client.send(HttpRequest.newBuilder(
                        URI.create("https://127.0.0.1:" + tls.port() + "/client")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(200, r.statusCode());
                assertEquals(version, r.version(), "ALPN chose what the client asked for");
                assertTrue(r.body().contains("remoteAddr=127.0.0.1 "), r.body());
                assertTrue(r.body().contains(" scheme=https secure=true serverName=127.0.0.1 serverPort=" + tls.port()),
                        "the node sees the TLS connection and :authority as Host: " + r.body());
                assertTrue(r.body().matches(".* cipher=TLS_\\w+ keySize=(128|256)$"), r.body());
            }
        } finally {
            tls.close();
        }
        Dispatcher http11Only = TestBackend.front(Dispatcher.Options.defaults()
                .withTls(FrontTls.serverContext(cert.cert, cert.key, false)), a.spec());
        try {
            HttpClient client = HttpClient.newBuilder().sslContext(cert.clientContext())
                    .version(HttpClient.Version.HTTP_2).build();
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(
                    URI.create("https://127.0.0.1:" + http11Only.port() + "/who")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(HttpClient.Version.HTTP_1_1, r.version(), "front.h2=false: no h2 offered");
        } finally {
            http11Only.close();
        }
    }

    @Test
    void priorKnowledgeH2cAndHttp11ShareThePlainPort() throws Exception {
        try (RawH2 c = RawH2.h2c(front.port())) {
            c.get(1, "/who");
            awaitFinished(c.stream(1));
            assertEquals(200, c.stream(1).status);
            assertTrue(c.stream(1).text().matches("[ab] "), c.stream(1).text());
        }
        try (RawHttp c = new RawHttp(front.port())) {
            assertEquals(200, c.send("GET /who HTTP/1.1\r\nHost: h\r\n\r\n").read().status());
        }
    }

    @Test
    void hundredConcurrentStreamsOnOneConnection() throws Exception {
        TestBackend.DRIP_END.drainPermits();
        try (RawH2 c = RawH2.h2c(front.port())) {
            List<Integer> ids = IntStream.range(0, 100).map(i -> 2 * i + 1).boxed().toList();
            for (int id : ids) {
                c.headers(id, c.block("GET", "/drip"), RawH2.END_HEADERS | RawH2.END_STREAM, false);
            }
            c.flush();
            await().atMost(Duration.ofSeconds(30)).until(() -> ids.stream().allMatch(id -> c.stream(id).status == 200));
            assertEquals(100, front.snapshot().nodes().stream().mapToLong(DispatcherSnapshot.NodeStats::inFlight).sum(),
                    "all at the nodes at once");
            DispatcherSnapshot.Http2 h2 = front.snapshot().http2();
            assertEquals(1, h2.connections(), "one connection carries them all");
            assertEquals(100, h2.streams());
            TestBackend.DRIP_END.release(100);
            awaitFinished(ids.stream().map(c::stream).toArray(RawH2.Stream[]::new));
            for (int id : ids) {
                assertEquals("start end", c.stream(id).text(), "stream " + id);
            }
        } finally {
            TestBackend.DRIP_END.release(100);
        }
    }

    @Test
    void aStreamWhoseClientStopsReadingDoesNotHoldTheOthersAndIsResetAfterTheSendTimeout() throws Exception {
        long cutBefore = front.sendTimeouts();
        try (RawH2 c = RawH2.h2c(front.port())) {
            c.holdWindow(1);
            c.get(1, "/download?bytes=" + (8 << 20));
            await().atMost(Duration.ofSeconds(10)).until(() -> c.stream(1).bodyBytes() == 65535);
            for (int i = 0; i < 20; i++) {
                c.get(3 + 2 * i, "/who");
            }
            RawH2.Stream[] others = IntStream.range(0, 20).mapToObj(i -> c.stream(3 + 2 * i)).toArray(RawH2.Stream[]::new);
            awaitFinished(others);
            for (RawH2.Stream s : others) {
                assertEquals(200, s.status);
            }
            assertEquals(65535, c.stream(1).bodyBytes(), "the others went past the unread stream, stuck at its window");
            await().atMost(Duration.ofSeconds(15)).until(() -> c.stream(1).resetCode >= 0);
            assertEquals(cutBefore + 1, front.sendTimeouts(), "cut by front.send.timeout");
            c.get(101, "/who");
            awaitFinished(c.stream(101));
            assertEquals(200, c.stream(101).status, "the connection still serves");
        }
    }

    @Test
    void anUploadItsNodeDoesNotReadHoldsOnlyItsOwnStream() throws Exception {
        TestBackend.DRIP_END.drainPermits();
        int length = 400_000;
        try (RawH2 c = RawH2.h2c(front.port())) {
            c.headers(1, c.block("POST", "/drip", "content-length", Integer.toString(length)), RawH2.END_HEADERS, true);
            java.util.concurrent.atomic.AtomicInteger sent = new java.util.concurrent.atomic.AtomicInteger();
            CompletableFuture<Void> upload = CompletableFuture.runAsync(() -> {
                try {
                    while (sent.get() < length) { // as much as the stream's flow-control window allows
                        await().atMost(Duration.ofSeconds(60)).until(() -> 65535 + c.stream(1).windowGranted() > sent.get());
                        int n = (int) Math.min(16384, Math.min(length - sent.get(), 65535 + c.stream(1).windowGranted() - sent.get()));
                        c.data(1, new byte[n], sent.addAndGet(n) == length);
                    }
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            await().atMost(Duration.ofSeconds(10)).until(() -> c.stream(1).text().equals("start "));
            for (int i = 0; i < 10; i++) {
                c.get(3 + 2 * i, "/who");
            }
            RawH2.Stream[] others = IntStream.range(0, 10).mapToObj(i -> c.stream(3 + 2 * i)).toArray(RawH2.Stream[]::new);
            awaitFinished(others);
            for (RawH2.Stream s : others) {
                assertEquals(200, s.status, "the connection's other streams go on");
            }
            assertTrue(!upload.isDone() && sent.get() < length / 2,
                    "the upload waits for credit while its node does not read it: " + sent.get() + " bytes sent");
            TestBackend.DRIP_END.release();
            upload.get(60, TimeUnit.SECONDS);
            awaitFinished(c.stream(1));
            assertEquals(200, c.stream(1).status);
            assertEquals("start end", c.stream(1).text());
        } finally {
            TestBackend.DRIP_END.release();
        }
    }

    @Test
    void postBodyWithoutContentLengthReachesTheNode() throws Exception {
        byte[] body = new byte[50_000];
        new java.util.Random(7).nextBytes(body);
        try (RawH2 c = RawH2.h2c(front.port())) {
            c.headers(1, c.block("POST", "/crc"), RawH2.END_HEADERS, true);
            for (int off = 0; off < body.length; off += 16384) {
                int n = Math.min(16384, body.length - off);
                c.data(1, java.util.Arrays.copyOfRange(body, off, off + n), off + n == body.length);
            }
            awaitFinished(c.stream(1));
            assertEquals(200, c.stream(1).status);
            assertTrue(c.stream(1).text().endsWith(" 50000 " + TestBackend.crc(body)), c.stream(1).text());
        }
    }

    @Test
    void expectContinueGetsAnInterimHeadersAndAHostEqualToTheAuthorityIsAccepted() throws Exception {
        try (RawH2 c = RawH2.h2c(front.port())) {
            c.headers(1, c.block("POST", "/crc", "expect", "100-continue", "content-length", "5"), RawH2.END_HEADERS, true);
            await().atMost(Duration.ofSeconds(10)).until(() -> c.stream(1).interim == 100);
            c.data(1, "hello".getBytes(java.nio.charset.StandardCharsets.US_ASCII), true);
            awaitFinished(c.stream(1));
            assertEquals(200, c.stream(1).status);
            assertTrue(c.stream(1).text().endsWith(" 5 " + TestBackend.crc("hello".getBytes())), c.stream(1).text());
            c.get(3, "/who", "host", "127.0.0.1:" + front.port());
            awaitFinished(c.stream(3));
            assertEquals(200, c.stream(3).status, "a Host that repeats :authority is the same site");
            c.get(5, "/who", "host", "elsewhere.example.org");
            awaitFinished(c.stream(5));
            assertEquals(400, c.stream(5).status, "a Host that differs from :authority is malformed (RFC 9113 8.3.1)");
        }
    }

    @Test
    void aConnectionWithoutStreamsIsClosedWithGoAway() throws Exception {
        Dispatcher quick = TestBackend.front(options().withTimeouts(Duration.ofSeconds(60), Duration.ofMillis(500),
                Duration.ofSeconds(1)), a.spec());
        try (RawH2 silent = RawH2.h2c(quick.port()); RawH2 used = RawH2.h2c(quick.port())) {
            used.get(1, "/who");
            awaitFinished(used.stream(1));
            await().atMost(Duration.ofSeconds(10)).until(() -> silent.closed && used.closed);
            assertEquals(0, silent.goAwayCode, "no stream within front.header.timeout");
            assertEquals(0, used.goAwayCode, "no stream for front.idle.timeout");
            assertEquals(2L, quick.snapshot().http2().goAways().get("idle"));
            assertEquals(0, quick.snapshot().http2().connections());
        } finally {
            quick.close();
        }
    }

    @Test
    void aPrefaceLeftUnfinishedIsCutAfterTheHeaderTimeoutASilentConnectionIsNot() throws Exception {
        Dispatcher quick = TestBackend.front(options().withTimeouts(Duration.ofSeconds(60), Duration.ofMillis(500),
                Duration.ofSeconds(60)), a.spec());
        try (java.net.Socket partial = new java.net.Socket("127.0.0.1", quick.port());
             java.net.Socket silent = new java.net.Socket("127.0.0.1", quick.port())) {
            partial.getOutputStream().write("PRI * HTTP/2.0\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            partial.setSoTimeout(20_000);
            assertEquals(-1, partial.getInputStream().read(), "closed without an answer");
            silent.setSoTimeout(1_000);
            org.junit.jupiter.api.Assertions.assertThrows(java.net.SocketTimeoutException.class,
                    () -> silent.getInputStream().read(), "a silent connection waits for front.idle.timeout");
        } finally {
            quick.close();
        }
    }

    @Test
    void sessionCookieSplitAcrossFieldsStaysSticky() throws Exception {
        try (RawH2 c = RawH2.h2c(front.port())) {
            for (int i = 0; i < 6; i++) {
                int id = 1 + 2 * i;
                c.get(id, "/who", "cookie", "theme=dark", "cookie", "JSESSIONID=ABC123.b", "cookie", "lang=en");
                awaitFinished(c.stream(id));
                assertEquals("b ", c.stream(id).text(), "the session's node, every time");
            }
            c.get(99, "/headers", "cookie", "x=1", "cookie", "y=2");
            awaitFinished(c.stream(99));
            String seen = c.stream(99).text();
            assertTrue(seen.contains("cookie: x=1; y=2"), seen);
            assertTrue(seen.contains("host: 127.0.0.1:" + front.port()), ":authority is the Host: " + seen);
            assertTrue(!seen.contains("x-http2"), "no conversion headers reach the node: " + seen);
        }
    }

    @Test
    void nodeFailureMidResponseResetsOnlyItsStream() throws Exception {
        try (NodeFaultProxy proxy = new NodeFaultProxy(b.port());
             Dispatcher faulty = TestBackend.front(options(), a.spec(), TestBackend.spec("b", proxy.port()));
             RawH2 c = RawH2.h2c(faulty.port())) {
            proxy.dropAfterReply(300_000);
            c.get(1, "/download?bytes=" + (4 << 20), "cookie", "JSESSIONID=X.b");
            c.get(3, "/download?bytes=" + (1 << 20), "cookie", "JSESSIONID=X.a");
            awaitFinished(c.stream(1), c.stream(3));
            assertEquals(200, c.stream(1).status, "its response had started");
            assertTrue(c.stream(1).resetCode >= 0, "the failed node's stream is reset");
            assertEquals(200, c.stream(3).status);
            assertEquals(1 << 20, c.stream(3).bodyBytes(), "the other node's stream is whole");
            c.get(5, "/who");
            awaitFinished(c.stream(5));
            assertEquals(200, c.stream(5).status, "the connection still serves");
            assertEquals(-1, c.goAwayCode);
        }
    }

    @Test
    void drainSendsGoAwayAndLetsOpenStreamsFinish() throws Exception {
        TestBackend.DRIP_END.drainPermits();
        Dispatcher draining = TestBackend.front(options(), a.spec(), b.spec());
        try (RawH2 c = RawH2.h2c(draining.port());
             java.net.Socket silent = new java.net.Socket("127.0.0.1", draining.port())) {
            c.get(1, "/drip");
            await().until(() -> c.stream(1).text().equals("start "));
            java.util.concurrent.CompletableFuture<Integer> left = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return draining.drain(System.nanoTime() + TimeUnit.SECONDS.toNanos(30));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return -1;
                }
            });
            await().until(() -> c.goAwayCode == 0);
            assertTrue(!c.stream(1).finished(), "the open stream goes on");
            TestBackend.DRIP_END.release();
            awaitFinished(c.stream(1));
            assertEquals("start end", c.stream(1).text());
            assertEquals(0, left.get(30, TimeUnit.SECONDS),
                    "the connection closed once its stream was done, and the silent one at once");
            await().until(() -> c.closed);
            assertEquals(1L, draining.snapshot().http2().goAways().get("drain"));
        } finally {
            draining.close();
        }
    }
}
