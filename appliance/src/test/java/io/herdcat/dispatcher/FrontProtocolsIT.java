package io.herdcat.dispatcher;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.herdcat.testing.Args;
import io.herdcat.testing.Cluster;
import io.herdcat.testing.DumpOutputOnFailure;
import io.herdcat.testing.FreePorts;
import io.herdcat.testing.Http;
import io.herdcat.testing.NodeProcess;
import io.herdcat.testing.TestCertificate;
import io.herdcat.testing.WsClient;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The front of a real two-node cluster with TLS, run by the oldest node a, and every protocol it
 * speaks: HTTP/1.1 (new sessions spread, then sticky), the demo WAR's WebSocket directly and through
 * the front (routed by session, a thousand at once) and HTTP/2 by ALPN (the JDK's client and curl, a
 * hundred streams on one connection). One cluster for all, the tests in order: the last one kills b
 * with kill -9 while it holds WebSockets, started h2 streams and a session, and checks what becomes
 * of each of them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 4, unit = TimeUnit.MINUTES)
@ExtendWith(DumpOutputOnFailure.class)
class FrontProtocolsIT {
    private static final Pattern NODE = Pattern.compile("\"node\":\"([^\"]+)\"");
    private static final Pattern ATTRIBUTES = Pattern.compile("\"attributes\":(\\d+)");
    private static final int CONCURRENT = 1000;
    private static final int KEPT_ON_B = 200;
    private static final int OPENED_AT_ONCE = 100;
    private NodeProcess a;
    private NodeProcess b;
    private int frontPort;
    private TlsFrontClients clients;
    /** A session made through the front on b, holding basket=3. */
    private String frontSessionOnB;
    /** A session made on b directly, holding k=v, that WebSockets are bound to. */
    private String wsSessionOnB;
    private final List<WsClient> keptOnB = new ArrayList<>();

    @BeforeAll
    void startCluster(@TempDir Path dir) throws Exception {
        Cluster.prepare(dir);
        TestCertificate cert = TestCertificate.create(dir);
        clients = new TlsFrontClients(cert);
        frontPort = FreePorts.offsetWhereFree(1, 0);
        String[] args = Args.with(Cluster.frontArgs(dir, frontPort), "--front-client-max-connections", "4096",
                "--front-tls-cert", cert.cert.toString(), "--front-tls-key", cert.key.toString());
        a = Cluster.start("a", dir, args).awaitReady();
        b = Cluster.start("b", dir, args).awaitReady();
        Cluster.awaitReadyNodes(a, 2);
        await().atMost(Duration.ofSeconds(30)).until(() -> clients.status(front("/session-demo/hello")) == 200);
    }

    @AfterAll
    void stopCluster() throws Exception {
        keptOnB.forEach(WsClient::abort);
        if (b != null) {
            b.close();
        }
        if (a != null) {
            a.close();
        }
    }

    private String front(String path) {
        return "https://127.0.0.1:" + frontPort + path;
    }

    private URI frontWs() {
        return URI.create("wss://127.0.0.1:" + frontPort + "/session-demo/ws");
    }

    private static String nodeOf(String json) {
        Matcher m = NODE.matcher(json);
        assertTrue(m.find(), json);
        return m.group(1);
    }

    private static int attributesOf(String json) {
        Matcher m = ATTRIBUTES.matcher(json);
        assertTrue(m.find(), json);
        return Integer.parseInt(m.group(1));
    }

    private static int nodeGauge(String metrics, String route) {
        Matcher m = Pattern.compile("herdcat_front_node_websockets\\{node=\"" + route + "\"\\} (\\d+)").matcher(metrics);
        assertTrue(m.find(), metrics);
        return Integer.parseInt(m.group(1));
    }

    @Test
    @Order(1)
    void frontSpreadsNewSessionsAndKeepsThemSticky() throws Exception {
        assertTrue(Cluster.status(a).contains("\"dispatcher\":\"a\""), "the oldest node runs the front");
        assertEquals(200, Http.status(a.adminUrl("/health/front")), "the front's node says so");
        assertEquals(503, Http.status(b.adminUrl("/health/front")), "the other node does not run it");

        String sessionJson = front("/session-demo/session.json");
        Set<String> nodes = new HashSet<>();
        for (int i = 0; i < 10; i++) {
            nodes.add(nodeOf(clients.get(sessionJson, null).body()));
        }
        assertEquals(Set.of("a", "b"), nodes, "new sessions go to both nodes");

        for (int i = 0; i < 10 && frontSessionOnB == null; i++) {
            Http.Response created = clients.get(sessionJson + "?name=basket&value=3", null);
            String id = created.sessionCookie().orElseThrow();
            String owner = nodeOf(created.body());
            for (int j = 0; j < 5; j++) {
                assertEquals(owner, nodeOf(clients.get(sessionJson, id).body()), "sticky to its node");
            }
            frontSessionOnB = owner.equals("b") ? id : null;
        }
        assertNotNull(frontSessionOnB, "a new session on b");

        String frontStatus = Cluster.status(a);
        assertTrue(frontStatus.contains("\"front\":{\"scheme\":\"https\",\"port\":" + frontPort), frontStatus);
        assertTrue(frontStatus.contains("\"route\":\"a\"") && frontStatus.contains("\"route\":\"b\""),
                "the front's per-node counters are on the elected node's /status");
    }

    @Test
    @Order(2)
    void warWithWebSocketEndpointAnswersDirectly() throws Exception {
        WsClient c = WsClient.connect(HttpClient.newHttpClient(),
                URI.create("ws://127.0.0.1:" + a.httpPort() + "/session-demo/ws"));
        String hello = c.next();
        assertEquals("a", nodeOf(hello));
        assertTrue(hello.contains("\"session\":null"), hello);
        assertEquals("hello", c.echo("hello"));
        c.close();
        assertEquals(1000, c.closed().get(10, TimeUnit.SECONDS));
    }

    @Test
    @Order(3)
    void webSocketThroughTheFrontEchoes() throws Exception {
        WsClient c = WsClient.connect(clients.http1, frontWs());
        assertTrue(List.of("a", "b").contains(nodeOf(c.next())));
        assertEquals("through the front", c.echo("through the front"));
        c.close();
        assertEquals(1000, c.closed().get(10, TimeUnit.SECONDS));
    }

    @Test
    @Order(4)
    void sessionBoundWebSocketGoesToItsNode() throws Exception {
        Http.Response created = Http.get(b.httpUrl("/session-demo/session.json?name=k&value=v"));
        wsSessionOnB = created.sessionCookie().orElseThrow();
        assertTrue(wsSessionOnB.endsWith(".b"), wsSessionOnB);
        for (int i = 0; i < 3; i++) {
            WsClient c = WsClient.connect(clients.http1, frontWs(), "Cookie", "JSESSIONID=" + wsSessionOnB);
            String hello = c.next();
            assertEquals("b", nodeOf(hello), "sticky to the session's node");
            assertEquals(1, attributesOf(hello), hello);
            c.close();
        }
    }

    @Test
    @Order(5)
    void h2ByAlpnForTheJdkClientAndCurl() throws Exception {
        HttpResponse<String> hello = clients.h2Get(front("/session-demo/hello"), null);
        assertEquals(200, hello.statusCode());
        assertEquals(HttpClient.Version.HTTP_2, hello.version(), "the JDK client got h2 by ALPN");
        assertEquals("2 200", clients.curl(front("/session-demo/hello")), "curl --http2 too");
    }

    @Test
    @Order(6)
    void hundredConcurrentStreamsOnOneConnection() throws Exception {
        List<CompletableFuture<HttpResponse<String>>> hundred = IntStream.range(0, 100)
                .mapToObj(i -> clients.h2.sendAsync(TlsFrontClients.request(front("/session-demo/sleep?ms=200"), null),
                        HttpResponse.BodyHandlers.ofString()))
                .toList();
        for (CompletableFuture<HttpResponse<String>> f : hundred) {
            HttpResponse<String> r = f.get(60, TimeUnit.SECONDS);
            assertEquals(200, r.statusCode());
            assertEquals(HttpClient.Version.HTTP_2, r.version());
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertTrue(
                Cluster.status(a).contains("\"http2\":{\"connections\":1,"), "one connection carried them all"));
        assertTrue(Http.get(a.adminUrl("/metrics")).body().contains("herdcat_front_h2_connections 1.0"));
    }

    @Test
    @Order(7)
    void thousandConcurrentWebSocketsEachEcho() throws Exception {
        // a hundred handshakes at a time: a thousand TLS handshakes at once outlast WsClient's
        // handshake timeout on a busy machine
        List<WsClient> open = new ArrayList<>();
        for (int wave = 0; wave < CONCURRENT; wave += OPENED_AT_ONCE) {
            List<CompletableFuture<WsClient>> opening = new ArrayList<>();
            for (int i = wave; i < wave + OPENED_AT_ONCE; i++) {
                String[] cookie = i < KEPT_ON_B ? new String[] {"Cookie", "JSESSIONID=" + wsSessionOnB} : new String[0];
                opening.add(WsClient.open(clients.http1, frontWs(), cookie));
            }
            for (CompletableFuture<WsClient> f : opening) {
                open.add(f.get(60, TimeUnit.SECONDS));
            }
        }
        for (WsClient c : open) {
            c.next(); // the node's hello
        }
        for (int i = 0; i < CONCURRENT; i++) {
            open.get(i).send("id-" + i);
        }
        for (int i = 0; i < CONCURRENT; i++) {
            assertEquals("id-" + i, open.get(i).next(), "each WebSocket gets exactly its own echo");
        }
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            String status = Cluster.status(a);
            assertTrue(status.contains("\"webSockets\":{\"open\":" + CONCURRENT + ","), status);
            String metrics = Http.get(a.adminUrl("/metrics")).body();
            assertTrue(metrics.contains("herdcat_front_websockets " + CONCURRENT + ".0")
                    || metrics.contains("herdcat_front_websockets " + CONCURRENT + "\n"), metrics);
            assertEquals(CONCURRENT, nodeGauge(metrics, "a") + nodeGauge(metrics, "b"), metrics);
            assertTrue(nodeGauge(metrics, "b") >= KEPT_ON_B, metrics);
        });
        for (int i = 0; i < CONCURRENT; i++) {
            if (i < KEPT_ON_B) {
                keptOnB.add(open.get(i));
            } else {
                open.get(i).close();
            }
        }
        await().atMost(Duration.ofSeconds(30)).until(() ->
                Cluster.status(a).contains("\"webSockets\":{\"open\":" + KEPT_ON_B + ","));
    }

    /**
     * One kill -9 of b, holding {@value #KEPT_ON_B} WebSockets, ten h2 streams whose responses have
     * started (next to ten on a, on the same connection) and a session made through the front.
     */
    @Test
    @Order(8)
    void killOfBClosesItsWebSocketsWith1012FailsOnlyItsStreamsAndItsSessionsGoOnElsewhere() throws Exception {
        assertEquals(KEPT_ON_B, keptOnB.size());
        // streams whose responses have started on b (sticky by the session id's route) and on a
        List<CompletableFuture<HttpResponse<InputStream>>> onB =
                clients.started(front("/session-demo/sleep?ms=30000&flush=1"), "X.b");
        List<CompletableFuture<HttpResponse<InputStream>>> onA =
                clients.started(front("/session-demo/sleep?ms=4000&flush=1"), "X.a");
        for (CompletableFuture<HttpResponse<InputStream>> f : onB) {
            assertEquals(200, f.get(30, TimeUnit.SECONDS).statusCode(), "b's response has started");
        }
        for (CompletableFuture<HttpResponse<InputStream>> f : onA) {
            assertEquals(200, f.get(30, TimeUnit.SECONDS).statusCode());
        }

        ProcessHandle.of(b.pid()).orElseThrow().destroyForcibly();

        for (CompletableFuture<HttpResponse<InputStream>> f : onA) {
            assertEquals("Sleeping 4000 ms on a\nSlept 4000 ms on a\n", TlsFrontClients.body(f.get()),
                    "a's streams are whole");
        }
        for (CompletableFuture<HttpResponse<InputStream>> f : onB) {
            String got = TlsFrontClients.body(f.get());
            assertTrue(!got.contains("Slept"), "b's streams fail, never a second answer: " + got);
        }
        HttpResponse<String> after = clients.h2Get(front("/session-demo/hello"), null);
        assertEquals(200, after.statusCode(), "the same connection goes on serving");
        assertTrue(Cluster.status(a).contains("\"http2\":{\"connections\":1,"), Cluster.status(a));

        for (WsClient c : keptOnB) {
            assertEquals(1012, c.closed().get(20, TimeUnit.SECONDS), "service restart: reconnect");
        }
        WsClient again = WsClient.connect(clients.http1, frontWs(), "Cookie", "JSESSIONID=" + wsSessionOnB);
        String hello = again.next();
        assertEquals("a", nodeOf(hello), "the other node");
        assertEquals(1, attributesOf(hello), "with the session's attribute: " + hello);
        again.close();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertTrue(Http.get(a.adminUrl("/metrics")).body()
                        .contains("herdcat_front_websocket_closes_total{reason=\"node_lost\"} " + KEPT_ON_B)));

        await().atMost(Duration.ofSeconds(15)).ignoreExceptions().untilAsserted(() -> {
            Http.Response next = clients.get(front("/session-demo/session.json"), frontSessionOnB);
            assertEquals(200, next.status());
            assertEquals("\"basket\":\"3\"", Cluster.attributes(next.body()));
            assertTrue(!nodeOf(next.body()).equals("b"), next.body());
        });
        assertEquals(200, Http.status(a.adminUrl("/health/front")), "the front stays on a");
    }
}
