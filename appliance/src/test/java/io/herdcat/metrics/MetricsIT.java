package io.herdcat.metrics;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.herdcat.cli.JsonReader;
import io.herdcat.testing.Cluster;
import io.herdcat.testing.DumpOutputOnFailure;
import io.herdcat.testing.FreePorts;
import io.herdcat.testing.Http;
import io.herdcat.testing.NodeProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Prometheus metrics on the admin port: the node's own, and the HTTP front's on the node that runs it. */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
@ExtendWith(DumpOutputOnFailure.class)
class MetricsIT {
    private static final HttpClient CLIENT = HttpClient.newHttpClient();
    private static final String WEBAPP = "/session-demo";

    @TempDir
    Path dir;

    @Test
    void nodeWithoutTheFrontCountsItsRequestsBySessionsAndStatusClass() throws Exception {
        Cluster.prepare(dir);
        try (NodeProcess node = Cluster.start("solo", dir, "--dispatcher", "never").awaitReady()) {
            HttpResponse<String> first = CLIENT.send(HttpRequest.newBuilder(URI.create(node.adminUrl("/metrics")))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, first.statusCode());
            assertTrue(first.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"),
                    first.headers().toString());
            PrometheusText before = PrometheusText.parse(first.body());
            for (String family : List.of("herdcat_node_requests_total", "herdcat_node_request_seconds",
                    "herdcat_node_in_flight", "herdcat_node_sessions", "herdcat_node_session_creations_total",
                    "herdcat_node_response_bytes_total", "herdcat_node_ready", "herdcat_cluster_members",
                    "herdcat_replication_not_serializable_total", "jvm_memory_used_bytes", "jvm_threads_live_threads",
                    "jvm_classes_loaded_classes", "process_cpu_usage", "process_uptime_seconds", "system_cpus",
                    "process_cpu_seconds_total", "tomcat_threads_busy_threads", "tomcat_threads_current_threads",
                    "tomcat_threads_config_max_threads", "tomcat_connections_current_connections",
                    "tomcat_connections_config_max_connections")) {
                assertNotNull(before.family(family), family + " in " + before.familyNames());
            }
            assertEquals("histogram", before.family("herdcat_node_request_seconds").type());
            assertTrue(before.familyNames().stream().noneMatch(f -> f.startsWith("herdcat_front_")),
                    "no front meters on a node that does not run the front: " + before.familyNames());
            assertEquals(1.0, before.value("herdcat_cluster_members"));
            assertEquals(1.0, before.value("herdcat_node_ready"));
            assertEquals(0.0, before.value("herdcat_node_sessions", Map.of("webapp", WEBAPP)));

            for (int i = 0; i < 5; i++) {
                assertEquals(200, Http.get(node.httpUrl(WEBAPP + "/hello")).status());
            }
            assertEquals(404, Http.get(node.httpUrl("/no-such-webapp")).status());
            assertEquals(200, Http.get(node.httpUrl(WEBAPP + "/session.json?name=k&value=v")).status());

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                PrometheusText after = scrape(node);
                assertEquals(6.0, delta(before, after, "herdcat_node_requests_total", Map.of("status", "2xx")));
                assertEquals(1.0, delta(before, after, "herdcat_node_requests_total", Map.of("status", "4xx")));
                assertEquals(0.0, delta(before, after, "herdcat_node_requests_total", Map.of("status", "5xx")));
                assertEquals(after.value("herdcat_node_requests_total", Map.of("status", "2xx")),
                        after.value("herdcat_node_request_seconds_count", Map.of("status", "2xx")),
                        "the histogram counts the same requests");
                assertEquals(1.0, after.value("herdcat_node_sessions", Map.of("webapp", WEBAPP)));
                assertEquals(1.0, delta(before, after, "herdcat_node_session_creations_total", Map.of("webapp", WEBAPP)));
                assertTrue(after.value("herdcat_node_response_bytes_total") > before.value("herdcat_node_response_bytes_total"));
            });
        }
    }

    @Test
    void frontMetricsCountRequestsPerNodeOnTheFrontsNodeAndMoveWithTheFront() throws Exception {
        Promtool.require();
        Cluster.prepare(dir);
        int frontPort = FreePorts.offsetWhereFree(1, 0);
        String[] args = Cluster.frontArgs(dir, frontPort);
        try (NodeProcess a = Cluster.start("a", dir, args).awaitReady();
             NodeProcess b = Cluster.start("b", dir, args).awaitReady()) {
            await().atMost(Duration.ofSeconds(20)).until(() -> Cluster.members(a).size() == 2);
            String hello = "http://127.0.0.1:" + frontPort + WEBAPP + "/hello";
            await().atMost(Duration.ofSeconds(20)).until(() -> Http.status(hello) == 200);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                PrometheusText front = scrape(a);
                assertEquals(1.0, front.value("herdcat_front_node_up", Map.of("node", "a")));
                assertEquals(1.0, front.value("herdcat_front_node_up", Map.of("node", "b")));
            });
            PrometheusText frontBefore = scrape(a);
            PrometheusText nodeBBefore = scrape(b);
            for (String family : List.of("herdcat_front_requests_total", "herdcat_front_errors_total",
                    "herdcat_front_in_flight", "herdcat_front_request_body_bytes_total",
                    "herdcat_front_response_body_bytes_total",
                    "herdcat_front_connections", "herdcat_front_failovers_total", "herdcat_front_node_up",
                    "herdcat_front_clients_cut_total",
                    "herdcat_front_responses_total", "herdcat_front_request_seconds")) {
                assertNotNull(frontBefore.family(family), family + " in " + frontBefore.familyNames());
            }
            assertTrue(nodeBBefore.familyNames().stream().noneMatch(f -> f.startsWith("herdcat_front_")),
                    "b does not run the front: " + nodeBBefore.familyNames());
            assertEquals(2.0, nodeBBefore.value("herdcat_cluster_members"));

            for (int i = 0; i < 10; i++) {
                assertEquals(200, Http.get(hello).status());
            }
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                PrometheusText front = scrape(a);
                PrometheusText nodeB = scrape(b);
                double toA = delta(frontBefore, front, "herdcat_front_requests_total", Map.of("node", "a"));
                double toB = delta(frontBefore, front, "herdcat_front_requests_total", Map.of("node", "b"));
                assertEquals(10.0, toA + toB, "every request went to a node");
                assertTrue(toA >= 1 && toB >= 1, "both nodes served: a " + toA + ", b " + toB);
                assertEquals(toB, delta(nodeBBefore, nodeB, "herdcat_node_requests_total", Map.of("status", "2xx")),
                        "b counts what the front sent it");
                assertEquals(10.0, delta(frontBefore, front, "herdcat_front_responses_total", Map.of("status", "2xx")));
                assertEquals(10.0, delta(frontBefore, front, "herdcat_front_request_seconds_count", Map.of("status", "2xx")));
                assertTrue(delta(frontBefore, front, "herdcat_front_response_body_bytes_total", Map.of("node", "b")) > 0);
                assertTrue(front.value("herdcat_front_connections", Map.of("node", "b", "state", "idle"))
                        + front.value("herdcat_front_connections", Map.of("node", "b", "state", "busy")) >= 1);
                assertEquals(0.0, front.sum("herdcat_front_errors_total"));
            });
            // requests held at the nodes each hold one AJP connection, busy; once answered it is idle
            int held = 4;
            HttpClient http11 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            List<CompletableFuture<HttpResponse<String>>> slow = new ArrayList<>();
            for (int i = 0; i < held; i++) {
                slow.add(http11.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + frontPort + WEBAPP
                        + "/sleep?ms=8000")).build(), HttpResponse.BodyHandlers.ofString()));
            }
            await().atMost(Duration.ofSeconds(6)).untilAsserted(() -> assertFrontConnections(a, held));
            for (CompletableFuture<HttpResponse<String>> r : slow) {
                assertEquals(200, r.get(1, TimeUnit.MINUTES).statusCode());
            }
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertFrontConnections(a, 0));
            assertTrue(scrape(a).sum("herdcat_front_connections") >= held, "the held requests' connections stay open");
            // Prometheus' conventions, on a real scrape of a node that runs the front and has served traffic
            Promtool.check(rawScrape(a));
            Promtool.check(rawScrape(b));

            ProcessHandle.of(a.pid()).orElseThrow().destroyForcibly();
            await("b runs the front").atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                PrometheusText front = scrape(b);
                assertNotNull(front.family("herdcat_front_requests_total"), "front meters on b: " + front.familyNames());
                assertEquals(1.0, front.value("herdcat_cluster_members"));
                assertEquals(1.0, front.value("herdcat_front_node_up", Map.of("node", "b")));
                assertTrue(front.family("herdcat_front_node_up").samples().stream()
                        .noneMatch(s -> "a".equals(s.labels().get("node"))), "no series of the dead node a");
            });
            assertEquals(200, Http.get(hello).status());
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertEquals(1.0, scrape(b).value("herdcat_front_requests_total", Map.of("node", "b"))));
        }
    }

    @Test
    void replicationToAFrozenMemberCountsASendFailure() throws Exception {
        Cluster.prepare(dir);
        // a frozen member stays in the view for a minute: only the replication send can notice it
        try (NodeProcess a = Cluster.start("a", dir, "--cluster-silence-timeout", "60s").awaitReady();
             NodeProcess b = Cluster.start("b", dir, "--cluster-silence-timeout", "60s").awaitReady()) {
            await().atMost(Duration.ofSeconds(20)).until(() -> Cluster.members(a).size() == 2);
            String session = Http.get(a.httpUrl(WEBAPP + "/session.json?name=k&value=1")).sessionCookie().orElseThrow();
            assertEquals(0.0, scrape(a).value("herdcat_replication_send_failures_total"));
            PrometheusText replicated = scrape(a);
            assertTrue(replicated.value("herdcat_replication_changes_total") >= 1, "the write's change, acknowledged");
            assertTrue(replicated.value("herdcat_replication_change_messages_total") >= 1);
            new ProcessBuilder("kill", "-STOP", Long.toString(b.pid())).start().waitFor();
            try {
                assertEquals(200, Http.get(a.httpUrl(WEBAPP + "/session.json?name=k&value=2"), session).status());
                await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                        assertTrue(scrape(a).value("herdcat_replication_send_failures_total") >= 1));
                assertEquals(2.0, scrape(a).value("herdcat_cluster_members"), "b is still a member, only frozen");
            } finally {
                new ProcessBuilder("kill", "-CONT", Long.toString(b.pid())).start().waitFor();
            }
        }
    }

    /**
     * herdcat_front_connections on the front's node: the states are busy and idle only (no "open" that a
     * sum would count twice), {@code busy} of them busy in all, and per node busy + idle is the number of
     * connections the front itself reports open on /status.
     */
    @SuppressWarnings("unchecked")
    private static void assertFrontConnections(NodeProcess front, int busy) throws Exception {
        PrometheusText metrics = scrape(front);
        Map<String, Object> status = JsonReader.object(Http.get(front.adminUrl("/status")).body());
        List<Map<String, Object>> nodes = (List<Map<String, Object>>) ((Map<String, Object>) status.get("front"))
                .get("nodes");
        for (PrometheusText.Sample s : metrics.family("herdcat_front_connections").samples()) {
            assertTrue(Set.of("busy", "idle").contains(s.labels().get("state")), s.toString());
        }
        double busyAll = 0;
        for (Map<String, Object> node : nodes) {
            String route = (String) node.get("route");
            double nodeBusy = metrics.value("herdcat_front_connections", Map.of("node", route, "state", "busy"));
            double nodeIdle = metrics.value("herdcat_front_connections", Map.of("node", route, "state", "idle"));
            assertEquals(((Long) node.get("connections")).doubleValue(), nodeBusy + nodeIdle,
                    route + ": busy + idle is the open connections");
            busyAll += nodeBusy;
        }
        assertEquals(busy, busyAll, "busy connections");
    }

    private static PrometheusText scrape(NodeProcess node) throws Exception {
        return PrometheusText.parse(rawScrape(node));
    }

    private static String rawScrape(NodeProcess node) throws Exception {
        Http.Response r = Http.get(node.adminUrl("/metrics"));
        assertEquals(200, r.status(), r.body());
        return r.body();
    }

    private static double delta(PrometheusText before, PrometheusText after, String sample, Map<String, String> labels) {
        return after.value(sample, labels) - before.value(sample, labels);
    }
}
