package io.herdcat.dispatcher;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.herdcat.testing.Args;
import io.herdcat.testing.Cluster;
import io.herdcat.testing.DumpOutputOnFailure;
import io.herdcat.testing.FreePorts;
import io.herdcat.testing.Http;
import io.herdcat.testing.NodeProcess;
import io.herdcat.testing.WsClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The demo WAR's WebSocket on a real two-node cluster, directly and through the front that node a runs:
 * routing by session, a thousand at once, and a node killed under its WebSockets. One cluster for all,
 * the tests in order (the last one kills b).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 4, unit = TimeUnit.MINUTES)
@ExtendWith(DumpOutputOnFailure.class)
class FrontWebSocketIT {
    private static final Pattern NODE = Pattern.compile("\"node\":\"([^\"]+)\"");
    private static final Pattern ATTRIBUTES = Pattern.compile("\"attributes\":(\\d+)");
    private static final int CONCURRENT = 1000;
    private static final int KEPT_ON_B = 200;
    private final HttpClient http = HttpClient.newHttpClient();
    private Path dir;
    private NodeProcess a;
    private NodeProcess b;
    private int frontPort;
    private String sessionOnB;
    private final List<WsClient> keptOnB = new ArrayList<>();

    @BeforeAll
    void startCluster() throws Exception {
        dir = Files.createTempDirectory("front-ws-it");
        Cluster.prepare(dir);
        frontPort = FreePorts.offsetWhereFree(1, 0);
        String[] args = Args.with(Cluster.frontArgs(dir, frontPort), "--front-client-max-connections", "4096");
        a = Cluster.start("a", dir, Args.with(args, "--dispatcher", "always")).awaitReady();
        b = Cluster.start("b", dir, Args.with(args, "--dispatcher", "never")).awaitReady();
        Cluster.awaitReadyNodes(a, 2);
        await().atMost(Duration.ofSeconds(20)).until(() -> Http.status(frontUrl("/session-demo/hello")) == 200);
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

    private String frontUrl(String path) {
        return "http://127.0.0.1:" + frontPort + path;
    }

    private URI frontWs() {
        return URI.create("ws://127.0.0.1:" + frontPort + "/session-demo/ws");
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
    void warWithWebSocketEndpointAnswersDirectly() throws Exception {
        WsClient c = WsClient.connect(http, URI.create("ws://127.0.0.1:" + a.httpPort() + "/session-demo/ws"));
        String hello = c.next();
        assertEquals("a", nodeOf(hello));
        assertTrue(hello.contains("\"session\":null"), hello);
        assertEquals("hello", c.echo("hello"));
        c.close();
        assertEquals(1000, c.closed().get(10, TimeUnit.SECONDS));
    }

    @Test
    @Order(2)
    void webSocketThroughTheFrontEchoes() throws Exception {
        WsClient c = WsClient.connect(http, frontWs());
        assertTrue(List.of("a", "b").contains(nodeOf(c.next())));
        assertEquals("through the front", c.echo("through the front"));
        c.close();
        assertEquals(1000, c.closed().get(10, TimeUnit.SECONDS));
    }

    @Test
    @Order(3)
    void sessionBoundWebSocketGoesToItsNode() throws Exception {
        Http.Response created = Http.get(b.httpUrl("/session-demo/session.json?name=k&value=v"));
        sessionOnB = created.sessionCookie().orElseThrow();
        assertTrue(sessionOnB.endsWith(".b"), sessionOnB);
        for (int i = 0; i < 3; i++) {
            WsClient c = WsClient.connect(http, frontWs(), "Cookie", "JSESSIONID=" + sessionOnB);
            String hello = c.next();
            assertEquals("b", nodeOf(hello), "sticky to the session's node");
            assertEquals(1, attributesOf(hello), hello);
            c.close();
        }
    }

    @Test
    @Order(4)
    void thousandConcurrentWebSocketsEachEcho() throws Exception {
        List<CompletableFuture<WsClient>> opening = new ArrayList<>();
        for (int i = 0; i < CONCURRENT; i++) {
            opening.add(i < KEPT_ON_B ? WsClient.open(http, frontWs(), "Cookie", "JSESSIONID=" + sessionOnB)
                    : WsClient.open(http, frontWs()));
        }
        List<WsClient> clients = new ArrayList<>();
        for (CompletableFuture<WsClient> f : opening) {
            clients.add(f.get(60, TimeUnit.SECONDS));
        }
        for (WsClient c : clients) {
            c.next(); // the node's hello
        }
        for (int i = 0; i < CONCURRENT; i++) {
            clients.get(i).send("id-" + i);
        }
        for (int i = 0; i < CONCURRENT; i++) {
            assertEquals("id-" + i, clients.get(i).next(), "each WebSocket gets exactly its own echo");
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
                keptOnB.add(clients.get(i));
            } else {
                clients.get(i).close();
            }
        }
        await().atMost(Duration.ofSeconds(30)).until(() ->
                Cluster.status(a).contains("\"webSockets\":{\"open\":" + KEPT_ON_B + ","));
    }

    @Test
    @Order(5)
    void killOfANodeClosesItsWebSocketsWith1012AndAReconnectReachesTheOtherWithTheSession() throws Exception {
        assertEquals(KEPT_ON_B, keptOnB.size());
        ProcessHandle.of(b.pid()).orElseThrow().destroyForcibly();
        for (WsClient c : keptOnB) {
            assertEquals(1012, c.closed().get(20, TimeUnit.SECONDS), "service restart: reconnect");
        }
        WsClient again = WsClient.connect(http, frontWs(), "Cookie", "JSESSIONID=" + sessionOnB);
        String hello = again.next();
        assertEquals("a", nodeOf(hello), "the other node");
        assertEquals(1, attributesOf(hello), "with the session's attribute: " + hello);
        again.close();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertTrue(Http.get(a.adminUrl("/metrics")).body()
                        .contains("herdcat_front_websocket_closes_total{reason=\"node_lost\"} " + KEPT_ON_B)));
    }
}
