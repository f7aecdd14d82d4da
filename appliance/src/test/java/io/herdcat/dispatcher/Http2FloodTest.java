package io.herdcat.dispatcher;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.herdcat.config.NodeConfig;
import io.herdcat.testing.RawH2;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * HTTP/2 abuse against the front, each while another client keeps using it: a rapid-reset flood
 * (CVE-2023-44487), CONTINUATION floods of tiny and of large fragments, a header list over the limit
 * and more streams than allowed. The abuser's connection is cut (or its stream refused), the nodes
 * see a bounded amount of work, and everyone else is served throughout.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class Http2FloodTest {
    private static final int MAX_RESETS = 100;
    private static final int MAX_STREAMS = 20;
    private TestBackend a;
    private Dispatcher front;
    private final HttpClient other = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    void start() throws Exception {
        a = new TestBackend("a").start(0);
        NodeConfig.Http2Limits h = NodeConfig.Http2Limits.defaults();
        front = TestBackend.front(Dispatcher.Options.defaults().withHttp2(
                new NodeConfig.Http2Limits(h.h2(), true, MAX_STREAMS, h.maxHeaderList(), MAX_RESETS)), a.spec());
    }

    @AfterAll
    void stop() throws Exception {
        front.close();
        a.close();
    }

    /** Another client's 100 requests, one after the other, while the abuse goes on. */
    private CompletableFuture<Void> otherClient() {
        return CompletableFuture.runAsync(() -> {
            for (int i = 0; i < 100; i++) {
                try {
                    HttpResponse<String> r = other.send(HttpRequest.newBuilder(URI.create(
                            "http://127.0.0.1:" + front.port() + "/who")).timeout(Duration.ofSeconds(20)).build(),
                            HttpResponse.BodyHandlers.ofString());
                    assertEquals(200, r.statusCode());
                } catch (IOException e) {
                    throw new AssertionError("request " + i + " of the other client failed", e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError(e);
                }
            }
        });
    }

    private long nodeRequests() {
        return front.snapshot().nodes().stream().mapToLong(DispatcherSnapshot.NodeStats::requests).sum();
    }

    private long goAways(String reason) {
        return front.snapshot().http2().goAways().get(reason);
    }

    /** A new HTTP/2 connection is served after the abuse. */
    private void newConnectionIsServed() throws Exception {
        try (RawH2 c = RawH2.h2c(front.port())) {
            c.get(1, "/who");
            await().atMost(Duration.ofSeconds(10)).until(() -> c.stream(1).finished());
            assertEquals(200, c.stream(1).status);
        }
    }

    @Test
    void rapidResetFloodIsCutAndOthersServed() throws Exception {
        long before = nodeRequests();
        long cutBefore = goAways("rapid_reset");
        CompletableFuture<Void> others = otherClient();
        try (RawH2 c = RawH2.h2c(front.port())) {
            byte[] block = c.block("GET", "/crc?wait=300");
            try {
                for (int i = 0; i < 20_000 && !c.closed && c.goAwayCode < 0; i++) {
                    int id = 1 + 2 * i;
                    c.headers(id, block, RawH2.END_HEADERS | RawH2.END_STREAM, false);
                    c.rst(id, RawH2.CANCEL, i % 100 == 99);
                }
                c.flush();
            } catch (IOException cut) {
                // the front closed the connection under the flood
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> c.closed);
            assertEquals(cutBefore + 1, goAways("rapid_reset"), "closed with GOAWAY ENHANCE_YOUR_CALM");
            assertTrue(c.goAwayCode == RawH2.ENHANCE_YOUR_CALM || c.goAwayCode == -1,
                    "the GOAWAY the client read (if the reset of its last writes did not discard it): " + c.goAwayCode);
        }
        others.get(60, TimeUnit.SECONDS);
        long reached = nodeRequests() - before - 100;
        assertTrue(reached <= MAX_RESETS + MAX_STREAMS, "requests of the flood that reached the node: " + reached);
        newConnectionIsServed();
    }

    @Test
    void continuationFloodOfTinyFramesIsCutAndOthersServed() throws Exception {
        long before = nodeRequests();
        CompletableFuture<Void> others = otherClient();
        try (RawH2 c = RawH2.h2c(front.port())) {
            c.headers(1, c.block("GET", "/who"), 0, false);
            for (int i = 0; i < 17; i++) { // the start of an endless flood: the 17th is one too many
                c.continuation(1, new byte[0], false, false);
            }
            c.flush();
            await().atMost(Duration.ofSeconds(20)).until(() -> c.closed);
            assertEquals(RawH2.ENHANCE_YOUR_CALM, c.goAwayCode);
        }
        others.get(60, TimeUnit.SECONDS);
        assertEquals(before + 100, nodeRequests(), "the flood's request never reached the node");
        assertTrue(goAways("continuation") >= 1, front.snapshot().http2().goAways().toString());
        newConnectionIsServed();
    }

    @Test
    void continuationFloodOfLargeFragmentsPastTheHeaderListIsCut() throws Exception {
        try (RawH2 c = RawH2.h2c(front.port())) {
            c.headers(1, c.block("GET", "/who"), 0, false);
            byte[] fragment = new byte[9000];
            java.util.Arrays.fill(fragment, (byte) 0x40);
            for (int i = 0; i < 3; i++) { // 27 KB of header block: past 1.25 × front.h2.max.header.list
                c.continuation(1, fragment, false, false);
            }
            c.flush();
            await().atMost(Duration.ofSeconds(20)).until(() -> c.closed);
            assertTrue(c.goAwayCode > 0, "GOAWAY with an error: " + c.goAwayCode);
        }
        assertTrue(goAways("header_list") >= 1, front.snapshot().http2().goAways().toString());
        newConnectionIsServed();
    }

    @Test
    void headerListOverTheLimitGets431AndTheConnectionGoesOn() throws Exception {
        String big = java.util.stream.IntStream.range(0, 17_500).mapToObj(i -> Integer.toString(i % 36, 36))
                .collect(java.util.stream.Collectors.joining());
        try (RawH2 c = RawH2.h2c(front.port())) {
            c.headers(1, c.block("GET", "/who", "x-big", big), RawH2.END_HEADERS | RawH2.END_STREAM, true);
            await().atMost(Duration.ofSeconds(10)).until(() -> c.stream(1).finished());
            assertEquals(431, c.stream(1).status);
            c.get(3, "/who");
            await().atMost(Duration.ofSeconds(10)).until(() -> c.stream(3).finished());
            assertEquals(200, c.stream(3).status, "the connection still serves");
        }
    }

    @Test
    void moreThanMaxStreamsAreRefused() throws Exception {
        TestBackend.DRIP_END.drainPermits();
        try (RawH2 c = RawH2.h2c(front.port())) {
            for (int i = 0; i <= MAX_STREAMS; i++) {
                c.get(1 + 2 * i, "/drip");
            }
            int last = 1 + 2 * MAX_STREAMS;
            await().atMost(Duration.ofSeconds(10)).until(() -> c.stream(last).finished());
            assertEquals(RawH2.REFUSED_STREAM, c.stream(last).resetCode);
            TestBackend.DRIP_END.release(MAX_STREAMS);
            for (int i = 0; i < MAX_STREAMS; i++) {
                RawH2.Stream s = c.stream(1 + 2 * i);
                await().atMost(Duration.ofSeconds(20)).until(s::finished);
                assertEquals("start end", s.text());
            }
        } finally {
            TestBackend.DRIP_END.release(MAX_STREAMS);
        }
    }
}
