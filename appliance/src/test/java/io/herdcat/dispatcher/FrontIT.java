package io.herdcat.dispatcher;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.herdcat.testing.Cluster;
import io.herdcat.testing.DumpOutputOnFailure;
import io.herdcat.testing.FreePorts;
import io.herdcat.testing.Http;
import io.herdcat.testing.NodeProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The elected node's HTTP front in front of a two-node cluster. */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
@ExtendWith(DumpOutputOnFailure.class)
class FrontIT {
    private static final Pattern NODE = Pattern.compile("\"node\":\"([^\"]+)\"");

    @TempDir
    Path dir;

    @Test
    void frontSpreadsNewSessionsKeepsThemStickyAndAKilledNodesSessionGoesOnElsewhere() throws Exception {
        Cluster.prepare(dir);
        int frontPort = FreePorts.offsetWhereFree(1, 0);
        String[] args = Cluster.frontArgs(dir, frontPort);
        try (NodeProcess a = Cluster.start("a", dir, args).awaitReady();
             NodeProcess b = Cluster.start("b", dir, args).awaitReady()) {
            await().atMost(Duration.ofSeconds(20)).until(() -> Cluster.members(a).size() == 2);
            String front = "http://127.0.0.1:" + frontPort + "/session-demo/session.json";
            await().atMost(Duration.ofSeconds(20)).until(() -> Http.status(front) == 200);
            assertTrue(Cluster.status(a).contains("\"dispatcher\":\"a\""), "the oldest node runs the front");
            assertEquals(200, Http.status(a.adminUrl("/health/front")), "the front's node says so");
            assertEquals(503, Http.status(b.adminUrl("/health/front")), "the other node does not run it");

            Set<String> nodes = new HashSet<>();
            for (int i = 0; i < 10; i++) {
                nodes.add(nodeOf(Http.get(front).body()));
            }
            assertEquals(Set.of("a", "b"), nodes, "new sessions go to both nodes");

            Http.Response created = Http.get(front + "?name=basket&value=3");
            String id = created.sessionCookie().orElseThrow();
            String owner = nodeOf(created.body());
            for (int i = 0; i < 5; i++) {
                assertEquals(owner, nodeOf(Http.get(front, id).body()), "sticky to its node");
            }

            String frontStatus = Cluster.status(a);
            assertTrue(frontStatus.contains("\"front\":{\"scheme\":\"http\",\"port\":" + frontPort), frontStatus);
            assertTrue(frontStatus.contains("\"route\":\"a\"") && frontStatus.contains("\"route\":\"b\""),
                    "the front's per-node counters are on the elected node's /status");

            NodeProcess victim = owner.equals("a") ? a : b;
            ProcessHandle.of(victim.pid()).orElseThrow().destroyForcibly();
            await().atMost(Duration.ofSeconds(15)).ignoreExceptions().untilAsserted(() -> {
                Http.Response after = Http.get(front, id);
                assertEquals(200, after.status());
                assertEquals("\"basket\":\"3\"", Cluster.attributes(after.body()));
                assertTrue(!nodeOf(after.body()).equals(owner), after.body());
            });
            NodeProcess survivor = victim == a ? b : a;
            await().atMost(Duration.ofSeconds(15)).until(() -> Http.status(survivor.adminUrl("/health/front")) == 200);
        }
    }

    private static String nodeOf(String json) {
        Matcher m = NODE.matcher(json);
        assertTrue(m.find(), json);
        return m.group(1);
    }
}
