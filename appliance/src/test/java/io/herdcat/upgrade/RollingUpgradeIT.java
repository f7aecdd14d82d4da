package io.herdcat.upgrade;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.herdcat.testing.Cluster;
import io.herdcat.testing.DumpOutputOnFailure;
import io.herdcat.testing.FreePorts;
import io.herdcat.testing.Http;
import io.herdcat.testing.NodeProcess;
import io.herdcat.testing.TestWars;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A WAR rolled through three nodes by {@code herdcat upgrade} while clients keep state in their sessions
 * through the front: no failed request, no lost or reset counter, every node on the new version; and a
 * new version whose health check fails goes back, the cluster ending on the old version, the clients
 * seeing nothing; a truncated WAR is refused with nothing started, and a second upgrade while one runs
 * with 409.
 */
@Timeout(value = 8, unit = TimeUnit.MINUTES)
@ExtendWith(DumpOutputOnFailure.class)
class RollingUpgradeIT {
    private static final int CLIENTS = 12;
    private static final Pattern STATE = Pattern.compile("\"state\":\"([a-z-]+)\"");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path dir;

    /**
     * One cluster, one client population, three releases: a truncated WAR (refused), a v2 whose health
     * check fails (rolled back; a second upgrade meanwhile refused), then a good v2 (done).
     */
    @Test
    void aBrokenReleaseGoesBackAndAGoodOneRollsThroughWithNoFailedRequestAndNoLostSession() throws Exception {
        Path broken = war("broken", "v2-broken");
        Path v2 = war("v2", "v2");
        List<NodeProcess> nodes = startThree();
        try (SessionClients clients = new SessionClients(front(), CLIENTS)) {
            await("clients under way").atMost(Duration.ofSeconds(60)).until(() -> clients.leastCounter() >= 5);
            Path truncated = dir.resolve("truncated/app.war");
            Files.createDirectories(truncated.getParent());
            byte[] whole = Files.readAllBytes(broken);
            Files.write(truncated, java.util.Arrays.copyOf(whole, whole.length / 2));
            HttpResponse<String> refused = upload(nodes.get(1), truncated, "app.war", "health.jsp");
            assertEquals(400, refused.statusCode(), refused.body());
            assertEquals("idle", state(Http.get(nodes.get(1).adminUrl("/upgrade")).body()), "nothing started");

            HttpResponse<String> started = upload(nodes.get(1), broken, "app.war", "health.jsp");
            assertEquals(202, started.statusCode(), started.body());
            HttpResponse<String> second = upload(nodes.get(2), broken, "app.war", "health.jsp");
            assertEquals(409, second.statusCode(), second.body());
            String back = awaitEnd(nodes.get(1));
            assertEquals("rolled-back", state(back), back);
            assertTrue(back.contains("answered 500"), back);
            assertEquals(1, count(back, "\"step\":\"rolled-back\""), "the roll stopped at the first node: " + back);
            assertEquals(2, count(back, "\"step\":\"staged\""), "the others were never touched: " + back);
            for (NodeProcess n : nodes) {
                assertEquals("version=v1", Http.get(n.httpUrl("/app/")).body().strip(), "node " + n.httpUrl("/"));
            }

            NodeProcess cli = NodeProcess.exec("upgrade", dir, Map.of(), List.of("upgrade", v2.toString(),
                    "--health-path", "health.jsp", "--admin", nodes.get(0).adminUrl(""),
                    "--token-file", dir.resolve("admin.token").toString()));
            assertEquals(0, cli.awaitExit(Duration.ofMinutes(4)), cli.output());
            String ended = Http.get(nodes.get(2).adminUrl("/upgrade")).body();
            assertEquals("done", state(ended), "every node says the same: " + ended);
            long after = clients.leastCounter();
            await("clients go on after the upgrade").atMost(Duration.ofSeconds(30))
                    .until(() -> clients.leastCounter() >= after + 3);
            clients.close();
            assertEquals(List.of(), clients.failures(), clients.answered() + " answered");
            for (NodeProcess n : nodes) {
                assertEquals("version=v2", Http.get(n.httpUrl("/app/")).body().strip(), "node " + n.httpUrl("/"));
            }
        } finally {
            for (NodeProcess n : nodes) {
                n.close();
            }
        }
    }

    private int frontPort;

    private static int count(String text, String part) {
        return text.split(java.util.regex.Pattern.quote(part), -1).length - 1;
    }

    private String front() {
        return "http://127.0.0.1:" + frontPort;
    }

    /** Three nodes, each with its own webapps folder holding app.war v1, one front. */
    private List<NodeProcess> startThree() throws Exception {
        Cluster.prepare(dir);
        frontPort = FreePorts.offsetWhereFree(1, 0);
        List<NodeProcess> nodes = new ArrayList<>();
        for (String name : List.of("a", "b", "c")) {
            Path webapps = Files.createDirectories(dir.resolve("webapps-" + name));
            TestWars.drop(webapps, "app.war", "v1", true);
            List<String> args = new ArrayList<>(List.of("--admin-token-file", dir.resolve("admin.token").toString()));
            args.addAll(List.of(Cluster.frontArgs(dir, frontPort)));
            nodes.add(NodeProcess.start(name, dir, webapps, args.toArray(String[]::new)));
        }
        for (NodeProcess n : nodes) {
            n.awaitReady();
        }
        for (NodeProcess n : nodes) {
            Cluster.awaitReadyNodes(n, 3);
        }
        await("the front").atMost(Duration.ofSeconds(30)).until(() -> Http.status(front() + "/app/") == 200);
        return nodes;
    }

    /** app.war with this label, in a folder of its own. */
    private Path war(String folder, String label) throws IOException {
        Path d = Files.createDirectories(dir.resolve(folder));
        TestWars.drop(d, "app.war", label, true);
        return d.resolve("app.war");
    }

    private static HttpResponse<String> upload(NodeProcess node, Path war, String name, String health)
            throws IOException, InterruptedException {
        HttpRequest post = HttpRequest.newBuilder(URI.create(node.adminUrl("/upgrade?war=" + name + "&health=" + health)))
                .header("Authorization", "Bearer " + Cluster.ADMIN_TOKEN)
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofFile(war)).build();
        return HTTP.send(post, HttpResponse.BodyHandlers.ofString());
    }

    /** Polls GET /upgrade until it no longer says running; returns the last answer. */
    private static String awaitEnd(NodeProcess node) {
        String[] last = {""};
        await("the upgrade ends").atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(500)).until(() -> {
            last[0] = Http.get(node.adminUrl("/upgrade")).body();
            String s = state(last[0]);
            return !s.equals("running") && !s.equals("idle");
        });
        return last[0];
    }

    private static String state(String json) {
        Matcher m = STATE.matcher(json);
        return m.find() ? m.group(1) : "";
    }
}
