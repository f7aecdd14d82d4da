package io.herdcat.dispatcher;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The HTTP front forwarding over AJP to two real (embedded) Tomcats. */
@Timeout(value = 1, unit = TimeUnit.MINUTES)
class DispatcherTest {
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    private TestBackend a;
    private TestBackend b;
    private Dispatcher dispatcher;

    @BeforeEach
    void start() throws Exception {
        a = new TestBackend("a").start(0);
        b = new TestBackend("b").start(0);
        dispatcher = TestBackend.front(Dispatcher.Options.defaults()
                .withBodyLimits(1 << 20, 64 * 1024)
                .withTimeouts(Duration.ofMillis(800), Duration.ofMillis(500), Duration.ofSeconds(2)), a.spec(), b.spec());
    }

    @AfterEach
    void stop() throws Exception {
        dispatcher.close();
        a.close();
        b.close();
    }

    private HttpResponse<String> get(String path, String cookie) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + dispatcher.port() + path));
        if (cookie != null) {
            r.header("Cookie", cookie);
        }
        return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void newRequestsAlternateAndASessionStaysOnItsNode() throws Exception {
        Map<String, Integer> served = new HashMap<>();
        for (int i = 0; i < 10; i++) {
            HttpResponse<String> r = get("/who", null);
            assertEquals(200, r.statusCode());
            served.merge(r.body().trim(), 1, Integer::sum);
        }
        assertEquals(Map.of("a", 5, "b", 5), served);

        HttpResponse<String> created = get("/session", null);
        String cookie = created.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
        String node = created.body().trim();
        assertTrue(cookie.endsWith("." + node), cookie);
        for (int i = 0; i < 10; i++) {
            assertEquals(node, get("/who", cookie).body().trim());
        }
    }

    @Test
    void bodyIsForwardedInChunksAsTheNodeAsksForThem() throws Exception {
        byte[] body = new byte[300_000];
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + dispatcher.port() + "/echo"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        assertTrue(r.body().endsWith(" 300000"), r.body());
    }

    @Test
    void deadNodeIsSkippedInvisiblyAndComesBackWhenItAnswersAgain() throws Exception {
        int portB = b.port();
        HttpResponse<String> onB = get("/session", null);
        while (!onB.body().trim().equals("b")) {
            onB = get("/session", null);
        }
        String cookieOnB = onB.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
        b.close();
        for (int i = 0; i < 10; i++) {
            HttpResponse<String> r = get("/who", null);
            assertEquals(200, r.statusCode(), "no failed request while b is down");
            assertEquals("a", r.body().trim());
        }
        assertEquals("a", get("/who", cookieOnB).body().trim(), "b's session fails over to a");
        DispatcherSnapshot.NodeStats bSeen = dispatcher.snapshot().nodes().get(1);
        assertEquals("b", bSeen.route());
        assertEquals("error", bSeen.state());
        assertTrue(bSeen.lastError().startsWith("cannot connect"), bSeen.lastError());
        assertTrue(dispatcher.snapshot().failovers() >= 1);

        b = new TestBackend("b").start(portB);
        await().atMost(Duration.ofSeconds(30)).until(() -> get("/who", cookieOnB).body().trim().equals("b"));
        DispatcherSnapshot.NodeStats aSeen = dispatcher.snapshot().nodes().get(0);
        assertEquals("ok", aSeen.state());
        assertTrue(aSeen.requests() >= 11 && aSeen.bytesOut() > 0 && aSeen.inFlight() == 0, aSeen.toString());
    }

    @Test
    void nodeThatDoesNotAnswerInTimeGets504() throws Exception {
        HttpResponse<String> r = get("/slow", null);
        assertEquals(504, r.statusCode());
        assertEquals(200, get("/who", null).statusCode(), "the front goes on serving");
    }

    /** Sends raw bytes to the front and returns the status line of its answer ("" when it just closes). */
    private String raw(String request) throws Exception {
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", dispatcher.port())) {
            s.setSoTimeout(5000);
            s.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            java.io.BufferedReader in = new java.io.BufferedReader(
                    new java.io.InputStreamReader(s.getInputStream(), java.nio.charset.StandardCharsets.ISO_8859_1));
            String line = in.readLine();
            return line == null ? "" : line;
        }
    }

    @Test
    void malformedRequestsGetTheirFourHundredAndTheFrontGoesOnServing() throws Exception {
        assertEquals("HTTP/1.1 400 Bad Request", raw("THIS IS NOT HTTP\r\n\r\n"));
        assertEquals("HTTP/1.1 431 Request Header Fields Too Large",
                raw("GET /who HTTP/1.1\r\nHost: h\r\nX-Big: " + "x".repeat(20_000) + "\r\n\r\n"));
        assertEquals("HTTP/1.1 414 Request-URI Too Long", raw("GET /" + "a".repeat(20_000) + " HTTP/1.1\r\nHost: h\r\n\r\n"));
        assertEquals("HTTP/1.1 400 Bad Request",
                raw("POST /echo HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\nxx\r\n0\r\n\r\n"));
        assertEquals("HTTP/1.1 413 Request Entity Too Large",
                raw("POST /echo HTTP/1.1\r\nHost: h\r\nContent-Length: 2000000\r\n\r\n"));
        assertEquals(200, get("/who", null).statusCode());
    }

    @Test
    void theFrontLogsItsOwn413And504InCombinedFormat(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("access.log");
        FrontAccessLog log = FrontAccessLog.open(file);
        dispatcher.accessLog(log);
        HttpResponse<String> late;
        try {
            // over front.max.body (1 MiB here): refused from its head
            assertEquals("HTTP/1.1 413 Request Entity Too Large", raw("POST /echo HTTP/1.1\r\nHost: h\r\n"
                    + "Referer: http://example.net/form\r\nUser-Agent: uploader\r\nContent-Length: 2000000\r\n\r\n"));
            // /slow answers after front.reply.timeout (800 ms here)
            late = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + dispatcher.port() + "/slow?n=1"))
                    .header("User-Agent", "waiter").build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(504, late.statusCode());
        } finally {
            dispatcher.accessLog(FrontAccessLog.OFF);
            log.close();
        }
        // each line is written before its response is sent
        List<String> lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
        assertEquals(2, lines.size(), lines.toString());
        String combined = "127\\.0\\.0\\.1 - - \\[\\d{2}/[A-Z][a-z]{2}/\\d{4}:\\d{2}:\\d{2}:\\d{2} [+-]\\d{4}] ";
        assertTrue(lines.get(0).matches(combined
                + "\"POST /echo HTTP/1\\.1\" 413 \\d+ \"http://example\\.net/form\" \"uploader\""), lines.get(0));
        assertTrue(lines.get(1).matches(combined + "\"GET /slow\\?n=1 HTTP/1\\.1\" 504 "
                + late.body().getBytes(StandardCharsets.UTF_8).length + " \"-\" \"waiter\""), lines.get(1));
    }

    @Test
    void tenThousandGarbageConnectionsAreRefusedAndTheFrontGoesOnServing() throws Exception {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(16);
        java.util.concurrent.atomic.AtomicInteger refused = new java.util.concurrent.atomic.AtomicInteger();
        List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
        for (int t = 0; t < 16; t++) {
            int thread = t;
            done.add(pool.submit(() -> {
                for (int i = thread; i < 10_000; i += 16) {
                    try {
                        if (raw("\u0000\u0001garbage " + i + "\r\n\r\n").startsWith("HTTP/1.1 400")) {
                            refused.incrementAndGet();
                        }
                    } catch (Exception e) {
                        // a connection the front closed without an answer counts as not refused
                    }
                }
                return null;
            }));
        }
        for (var f : done) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertEquals(10_000, refused.get());
        assertEquals(200, get("/who", null).statusCode());
    }

    @Test
    void aClientThatSendsHalfARequestIsCutByTheHeaderTimeoutAndASilentOneByTheIdleTimeout() throws Exception {
        // idle timeout far beyond the reads below: only the header timeout can close the half request
        Dispatcher patient = TestBackend.front(Dispatcher.Options.defaults()
                .withTimeouts(Duration.ofSeconds(60), Duration.ofMillis(500), Duration.ofMinutes(10)), a.spec(), b.spec());
        try (java.net.Socket idle = new java.net.Socket("127.0.0.1", patient.port());
             java.net.Socket half = new java.net.Socket("127.0.0.1", patient.port())) {
            half.setSoTimeout(30_000);
            half.getOutputStream().write("GET /who HTTP/1.1\r\nHost: h\r\n".getBytes());
            half.getOutputStream().flush();
            assertEquals(-1, half.getInputStream().read(), "closed by the header timeout, no answer");

            idle.setSoTimeout(30_000);
            idle.getOutputStream().write("GET /who HTTP/1.1\r\nHost: h\r\n\r\n".getBytes());
            idle.getOutputStream().flush();
            java.io.BufferedReader in = new java.io.BufferedReader(
                    new java.io.InputStreamReader(idle.getInputStream(), java.nio.charset.StandardCharsets.ISO_8859_1));
            assertEquals("HTTP/1.1 200 OK", in.readLine(),
                    "a connection silent since before the half request was not cut by the header timeout");
        } finally {
            patient.close();
        }
        try (java.net.Socket silent = new java.net.Socket("127.0.0.1", dispatcher.port())) {
            silent.setSoTimeout(30_000);
            assertEquals(-1, silent.getInputStream().read(), "a silent connection is closed after the idle timeout");
        }
        assertEquals(200, get("/who", null).statusCode());
    }

    @Test
    void noNodeAvailableAnswers503WithRetryAfter() throws Exception {
        a.close();
        b.close();
        HttpResponse<String> r = get("/who", null);
        assertEquals(503, r.statusCode());
        assertEquals("5", r.headers().firstValue("Retry-After").orElseThrow());
    }
}
