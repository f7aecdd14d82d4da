package io.herdcat.upgrade;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.herdcat.testing.Cluster;
import io.herdcat.testing.DumpOutputOnFailure;
import io.herdcat.testing.FreePorts;
import io.herdcat.testing.Http;
import io.herdcat.testing.NodeProcess;
import io.herdcat.testing.TestJars;
import io.herdcat.testing.TestWars;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code herdcat rolling-restart} moves two nodes, each kept running by a supervisor that starts it
 * again when it exits for a restart (as systemd does), from the previous commit's jar (built from its
 * sources by {@link TestJars#previousCommit()}; this jar under another version when the previous commit
 * speaks another replication format) to this one, while
 * clients keep counters in their sessions through the front: no failed request, no lost or reset
 * counter, every node on this jar. The node asked restarts last, so another finishes the restart for it.
 */
@Timeout(value = 15, unit = TimeUnit.MINUTES)
@ExtendWith(DumpOutputOnFailure.class)
class RollingRestartIT {
    private static final String EARLIER = "0.0.9-previous-commit";

    @TempDir
    Path dir;

    @Test
    void aRollingRestartOntoANewJarUnderLoadFailsNoRequestAndLosesNoSession() throws Exception {
        Cluster.prepare(dir);
        // the previous commit's jar, renamed so that its nodes can be told from this jar's
        Path installed = TestJars.withVersion(TestJars.previousWithSameReplicationFormat(), dir.resolve("installed.jar"),
                EARLIER);
        int frontPort = FreePorts.offsetWhereFree(1, 0);
        int offset = FreePorts.offsetWhereFree(2, 0, 100, 200);
        List<NodeProcess> nodes = new ArrayList<>();
        try {
            for (int k = 0; k < 2; k++) {
                String name = "ab".substring(k, k + 1);
                Path webapps = Files.createDirectories(dir.resolve("webapps-" + name));
                TestWars.drop(webapps, "app.war", "v1", true);
                List<String> args = new ArrayList<>(List.of("--admin-token-file", dir.resolve("admin.token").toString(),
                        "--http-port", Integer.toString(offset + k), "--ajp-port", Integer.toString(offset + 100 + k),
                        "--admin-port", Integer.toString(offset + 200 + k)));
                args.addAll(List.of(Cluster.frontArgs(dir, frontPort)));
                nodes.add(NodeProcess.startSupervised(installed, name, dir, webapps, args.toArray(String[]::new)));
            }
            for (NodeProcess n : nodes) {
                n.awaitReady();
            }
            for (NodeProcess n : nodes) {
                Cluster.awaitReadyNodes(n, 2);
            }
            String front = "http://127.0.0.1:" + frontPort;
            await("the front").atMost(Duration.ofSeconds(30)).until(() -> Http.status(front + "/app/") == 200);

            try (SessionClients clients = new SessionClients(front, 12)) {
                await("clients under way").atMost(Duration.ofSeconds(60)).until(() -> clients.leastCounter() >= 5);
                Path next = dir.resolve("next.jar");
                Files.copy(NodeProcess.jar(), next);
                Files.move(next, installed, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);

                NodeProcess stranger = NodeProcess.exec("rolling-restart-stranger", dir, Map.of(), List.of(
                        "rolling-restart", "--nodes", "nosuch", "--admin", nodes.get(0).adminUrl(""), "--token-file",
                        dir.resolve("admin.token").toString()));
                assertEquals(1, stranger.awaitExit(Duration.ofMinutes(1)), stranger.output());
                assertTrue(stranger.output().contains("no node nosuch in the cluster"), stranger.output());

                NodeProcess cli = NodeProcess.exec("rolling-restart", dir, Map.of(), List.of("rolling-restart",
                        "--nodes", "b,a",
                        "--admin", nodes.get(0).adminUrl(""), "--token-file", dir.resolve("admin.token").toString()));
                assertEquals(0, cli.awaitExit(Duration.ofMinutes(6)), cli.output());
                long after = clients.leastCounter();
                await("clients go on after the restart").atMost(Duration.ofSeconds(30))
                        .until(() -> clients.leastCounter() >= after + 3);
                clients.close();
                assertEquals(List.of(), clients.failures(), clients.answered() + " answered");
            }
            for (NodeProcess n : nodes) {
                String status = Cluster.status(n);
                assertFalse(status.contains(EARLIER), "every node runs this jar: " + status);
            }
        } finally {
            for (NodeProcess n : nodes) {
                n.close();
            }
        }
    }
}
