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
 * one node's folder is deployed on every node (and lands in every folder), a new version dropped into
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
            nodes.add(start("a"));
            nodes.add(start("b"));
            for (NodeProcess n : nodes) {
                n.awaitReady();
            }
            for (NodeProcess n : nodes) {
                Cluster.awaitReadyNodes(n, 2);
            }
            NodeProcess a = nodes.get(0);
            NodeProcess b = nodes.get(1);

            TestWars.drop(webapps("b"), "app.war", "v1", true);
            awaitServed(List.of(a, b), "version=v1");
            assertTrue(Files.exists(webapps("a").resolve("app.war")), "a's folder holds the WAR the cluster runs");

            TestWars.drop(webapps("a"), "app.war", "v2", true);
            awaitServed(List.of(a, b), "version=v2");
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
            await("app undeployed from every node").atMost(ROLL).pollInterval(Duration.ofMillis(500))
                    .until(() -> nodes.stream().allMatch(n -> Http.status(n.httpUrl("/app/")) == 404));
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

    private static void awaitServed(List<NodeProcess> nodes, String body) {
        await("every node serves " + body).atMost(ROLL).pollInterval(Duration.ofMillis(500)).until(() -> {
            for (NodeProcess n : nodes) {
                Http.Response r = Http.get(n.httpUrl("/app/"));
                if (r.status() != 200 || !r.body().strip().equals(body)) {
                    return false;
                }
            }
            return true;
        });
    }
}
