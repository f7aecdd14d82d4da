package io.herdcat.upgrade;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.herdcat.testing.Cluster;
import io.herdcat.testing.DumpOutputOnFailure;
import io.herdcat.testing.Http;
import io.herdcat.testing.NodeProcess;
import io.herdcat.testing.TestWars;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code deploy.cluster=true} on nodes that each have their own webapps folder: a WAR dropped into
 * the folder of a node alone in its cluster is deployed there, and taken by the next node before it
 * starts; a WAR dropped into one node's folder is deployed on every node (and lands in every folder), a new version dropped into
 * another node's folder replaces it everywhere, a node that joins later holds the cluster's WAR before
 * it is ready (and has set aside the one the cluster does not run), and a WAR deleted from one folder
 * is undeployed from every node.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
@ExtendWith(DumpOutputOnFailure.class)
class ClusterDeployIT {
    private static final Duration ROLL = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    @Test
    void aDroppedWarRollsToEveryNodeAJoiningNodeTakesItAndADeletedOneIsUndeployedEverywhere() throws Exception {
        Cluster.prepare(dir);
        List<NodeProcess> nodes = new ArrayList<>();
        try {
            NodeProcess a = start("a");
            nodes.add(a);
            a.awaitReady();
            TestWars.drop(webapps("a"), "solo.war", "solo", true);
            awaitServed(List.of(a), "/solo/", "version=solo"); // alone: deployed on a itself

            NodeProcess b = start("b");
            nodes.add(b);
            b.awaitReady();
            assertEquals("version=solo", Http.get(b.httpUrl("/solo/")).body().strip(), "b took solo.war from a");
            for (NodeProcess n : nodes) {
                Cluster.awaitReadyNodes(n, 2);
            }

            TestWars.drop(webapps("b"), "app.war", "v1", true);
            awaitRolled(a, sha256(webapps("b").resolve("app.war")));
            assertServed(List.of(a, b), "version=v1");
            assertTrue(Files.exists(webapps("a").resolve("app.war")), "a's folder holds the WAR the cluster runs");

            TestWars.drop(webapps("a"), "app.war", "v2", true);
            awaitRolled(b, sha256(webapps("a").resolve("app.war")));
            assertServed(List.of(a, b), "version=v2");
            assertArrayEquals(Files.readAllBytes(webapps("a").resolve("app.war")),
                    Files.readAllBytes(webapps("b").resolve("app.war")), "b's folder holds v2 too");

            // c's folder lacks the cluster's WAR and holds one the cluster does not run
            TestWars.drop(Files.createDirectories(webapps("c")), "stale.war", "stale", true);
            NodeProcess c = start("c");
            nodes.add(c);
            c.awaitReady();
            assertArrayEquals(Files.readAllBytes(webapps("a").resolve("app.war")),
                    Files.readAllBytes(webapps("c").resolve("app.war")), "c took the cluster's WAR before it was ready");
            assertEquals("version=v2", Http.get(c.httpUrl("/app/")).body().strip(), "c serves v2 once ready");
            assertTrue(Files.notExists(webapps("c").resolve("stale.war")), "the cluster's set wins");
            assertTrue(Files.exists(dir.resolve("work-c/deploy/set-aside/stale.war")), "moved aside, not deleted");
            assertEquals(404, Http.status(c.httpUrl("/stale/")));

            for (NodeProcess n : nodes) {
                Cluster.awaitReadyNodes(n, 3);
            }
            Files.delete(webapps("b").resolve("app.war"));
            awaitRolled(c, "");
            for (NodeProcess n : nodes) {
                assertEquals(404, Http.status(n.httpUrl("/app/")), "undeployed from " + n.httpUrl("/"));
            }
            for (String name : List.of("a", "b", "c")) {
                assertTrue(Files.notExists(webapps(name).resolve("app.war")), name + "'s folder no longer holds it");
            }
        } finally {
            for (NodeProcess n : nodes) {
                n.close();
            }
        }
    }

    private NodeProcess start(String name) throws Exception {
        Path webapps = Files.createDirectories(dir.resolve("webapps-" + name));
        return NodeProcess.start(name, dir, webapps, "--deploy-cluster", "true", "--shutdown-timeout", "5s");
    }

    private Path webapps(String name) {
        return dir.resolve("webapps-" + name);
    }

    /**
     * Waits until {@code node} says the last roll of app.war, of the WAR with {@code sha256} (empty: the
     * undeploy), is done; each node has then been checked on its own HTTP port. Polls the admin port, not
     * the webapp, so the nodes' drains are not kept busy.
     */
    private static void awaitRolled(NodeProcess node, String sha256) {
        String[] last = {""};
        await("app.war rolled (" + (sha256.isEmpty() ? "undeployed" : sha256) + ")").atMost(ROLL)
                .pollInterval(Duration.ofMillis(500)).until(() -> {
                    last[0] = Http.get(node.adminUrl("/upgrade")).body();
                    return last[0].contains("\"war\":\"app.war\"") && last[0].contains("\"sha256\":\"" + sha256 + "\"")
                            && last[0].contains("\"state\":\"done\"");
                });
    }

    private static void assertServed(List<NodeProcess> nodes, String body) throws Exception {
        for (NodeProcess n : nodes) {
            assertEquals(body, Http.get(n.httpUrl("/app/")).body().strip(), "served by " + n.httpUrl("/"));
        }
    }

    private static String sha256(Path file) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(Files.readAllBytes(file)));
    }

    private static void awaitServed(List<NodeProcess> nodes, String path, String body) {
        await("every node serves " + body).atMost(ROLL).pollInterval(Duration.ofMillis(500)).until(() -> {
            for (NodeProcess n : nodes) {
                Http.Response r = Http.get(n.httpUrl(path));
                if (r.status() != 200 || !r.body().strip().equals(body)) {
                    return false;
                }
            }
            return true;
        });
    }
}
