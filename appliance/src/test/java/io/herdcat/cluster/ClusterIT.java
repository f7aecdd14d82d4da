package io.herdcat.cluster;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.herdcat.testing.Cluster;
import io.herdcat.testing.DumpOutputOnFailure;
import io.herdcat.testing.FreePorts;
import io.herdcat.testing.Http;
import io.herdcat.testing.NodeProcess;
import io.herdcat.testing.TestWars;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Membership, node records and session replication between separate node processes (nodes started at
 * the same instant: MembershipMergeIT).
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
@ExtendWith(DumpOutputOnFailure.class)
class ClusterIT {
    private static final Duration VIEW = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    @Test
    void threeNodesAgreeOnRecordsAndAWeightChangeAndASessionIsReadOnEveryNodeSurvivesKillAndComesBack()
            throws Exception {
        Cluster.prepare(dir);
        try (NodeProcess a = Cluster.start("a", dir).awaitReady();
             NodeProcess b = Cluster.start("b", dir).awaitReady();
             NodeProcess c = Cluster.start("c", dir).awaitReady()) {
            List<NodeProcess> all = List.of(a, b, c);
            for (NodeProcess n : all) {
                await().atMost(VIEW).until(() -> Cluster.members(n).size() == 3);
            }
            assertEquals(Cluster.members(a), Cluster.members(c), "one view, same order everywhere");
            for (NodeProcess n : all) {
                for (String name : List.of("a", "b", "c")) {
                    await().atMost(VIEW).until(() -> Cluster.weightOf(n, name) == 1);
                }
            }
            assertEquals(401, Cluster.adminPost(a, "/nodes/b/weight", "5", null));
            assertEquals(401, Cluster.adminPost(a, "/nodes/b/weight", "5", "wrong-token"));
            assertEquals(1, Cluster.weightOf(a, "b"), "a refused write changes nothing");
            assertEquals(202, Cluster.adminPost(a, "/nodes/b/weight", "5", Cluster.ADMIN_TOKEN));
            for (NodeProcess n : all) {
                await().atMost(VIEW).until(() -> Cluster.weightOf(n, "b") == 5);
            }
            assertTrue(a.output().contains("Admin write from"), "writes are logged");

            Http.Response first = Http.get(a.httpUrl("/session-demo/session.json?name=colour&value=blue"));
            String id = first.sessionCookie().orElseThrow();
            Http.get(a.httpUrl("/session-demo/session.json?name=size&value=9"), id);
            String expected = "\"colour\":\"blue\",\"size\":\"9\"";

            // a node that serves another node's session takes it over: the id's route suffix changes
            Http.Response onB = Http.get(b.httpUrl("/session-demo/session.json"), id);
            assertEquals(expected, Cluster.attributes(onB.body()));
            String idOnB = onB.sessionCookie().orElseThrow();
            assertTrue(idOnB.endsWith(".b"), idOnB);
            Http.Response onC = Http.get(c.httpUrl("/session-demo/session.json"), idOnB);
            assertEquals(expected, Cluster.attributes(onC.body()));
            String idOnC = onC.sessionCookie().orElseThrow();

            Http.get(c.httpUrl("/session-demo/session.json?name=moved&value=toc"), idOnC);
            ProcessHandle.of(c.pid()).orElseThrow().destroyForcibly();
            Http.Response afterKill = Http.get(a.httpUrl("/session-demo/session.json"), idOnC);
            String withMoved = "\"colour\":\"blue\",\"moved\":\"toc\",\"size\":\"9\"";
            assertEquals(withMoved, Cluster.attributes(afterKill.body()), "the session outlives the node that had it");
            String movedId = afterKill.sessionCookie().orElseThrow();
            assertTrue(movedId.endsWith(".a"), "the session now routes to a: " + movedId);
            Http.get(a.httpUrl("/session-demo/session.json?name=after&value=kill"), movedId);

            try (NodeProcess again = Cluster.start("c", dir).awaitReady()) {
                await().atMost(VIEW).until(() -> Cluster.members(again).size() == 3);
                Http.Response onC2 = Http.get(again.httpUrl("/session-demo/session.json"), movedId);
                assertEquals("\"after\":\"kill\"," + withMoved, Cluster.attributes(onC2.body()),
                        "a restarted node receives the sessions, including writes made while it was down");
            }
        }
    }

    @Test
    void sessionsWrittenWhileANodeWasFrozenReachItWhenItComesBackAndANonSerializableAttributeIsRefused()
            throws Exception {
        Cluster.prepare(dir);
        TestWars.drop(dir.resolve("webapps"), "app.war", "v1", true);
        String[] secured = Cluster.frontArgs(dir, FreePorts.offsetWhereFree(1, 0));
        try (NodeProcess a = Cluster.start("a", dir, secured).awaitReady();
             NodeProcess b = Cluster.start("b", dir, secured).awaitReady()) {
            await().atMost(VIEW).until(() -> Cluster.members(a).size() == 2);
            new ProcessBuilder("kill", "-STOP", Long.toString(b.pid())).start().waitFor();
            try {
                await().atMost(VIEW).until(() -> Cluster.members(a).equals(List.of("a")));
                Http.Response written = Http.get(a.httpUrl("/session-demo/session.json?name=while&value=apart"));
                String id = written.sessionCookie().orElseThrow();
                new ProcessBuilder("kill", "-CONT", Long.toString(b.pid())).start().waitFor();
                await().atMost(VIEW).until(() -> Cluster.members(a).size() == 2 && Cluster.members(b).size() == 2);
                await().atMost(VIEW).untilAsserted(() -> assertEquals("\"while\":\"apart\"", Cluster.attributes(
                        Http.get(b.httpUrl("/session-demo/session.json"), id).body()),
                        "the session written while b was frozen is on b after the merge"));
                assertTrue(b.output().contains("Fetching the sessions"), "b fetched them: " + b.output());
            } finally {
                new ProcessBuilder("kill", "-CONT", Long.toString(b.pid())).start().waitFor();
            }

            // an attribute that cannot be replicated is refused to the webapp, counted, and replication goes on
            assertEquals("refused", Http.get(a.httpUrl("/app/bad.jsp")).body().strip());
            assertTrue(Cluster.status(a).contains("\"notSerializableAttributes\":1"), Cluster.status(a));
            assertTrue(a.output().contains("Session attribute 'bad' of java.lang.Object is not serializable"), a.output());
            Http.Response written = Http.get(a.httpUrl("/session-demo/session.json?name=k&value=v"));
            String id = written.sessionCookie().orElseThrow();
            assertEquals("\"k\":\"v\"", Cluster.attributes(Http.get(b.httpUrl("/session-demo/session.json"), id).body()));
        }
    }
}
