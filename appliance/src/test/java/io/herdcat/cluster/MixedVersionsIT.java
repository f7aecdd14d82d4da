package io.herdcat.cluster;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.herdcat.testing.Cluster;
import io.herdcat.testing.DumpOutputOnFailure;
import io.herdcat.testing.Http;
import io.herdcat.testing.NodeProcess;
import io.herdcat.testing.TestJars;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two nodes of different Herdcat versions — this build, and the same build calling itself an earlier
 * release — exchange sessions both ways, as they must halfway through a rolling restart to a new
 * Herdcat: compatibility is Tomcat's version and the replication format, not Herdcat's version.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
@ExtendWith(DumpOutputOnFailure.class)
class MixedVersionsIT {
    private static final String EARLIER = "0.0.9-earlier";

    @TempDir
    Path dir;

    @Test
    void nodesOfTwoHerdcatVersionsReplicateSessionsBothWays() throws Exception {
        Cluster.prepare(dir);
        Path earlierJar = TestJars.withVersion(dir.resolve("herdcat-earlier.jar"), EARLIER);
        try (NodeProcess earlier = Cluster.start(earlierJar, "old", dir).awaitReady();
             NodeProcess current = Cluster.start("new", dir).awaitReady()) {
            await().atMost(Duration.ofSeconds(30)).until(() -> Cluster.members(earlier).size() == 2
                    && Cluster.members(current).size() == 2);
            assertTrue(Cluster.status(current).contains("\"" + EARLIER + "\""), "the earlier node says its version");

            String onOld = write(earlier, "from", "old");
            String onNew = write(current, "from", "new");
            await("the session written on the earlier node, read on the current one").atMost(Duration.ofSeconds(10))
                    .until(() -> read(current, onOld).contains("\"from\":\"old\""));
            await("the session written on the current node, read on the earlier one").atMost(Duration.ofSeconds(10))
                    .until(() -> read(earlier, onNew).contains("\"from\":\"new\""));
            for (NodeProcess n : new NodeProcess[] {earlier, current}) {
                assertTrue(Cluster.status(n).contains("\"incompatibleNodes\":[]"), "no node refused: " + Cluster.status(n));
            }
        }
    }

    /** Sets an attribute in a new session on {@code node}; returns the session id. */
    private static String write(NodeProcess node, String name, String value) throws Exception {
        Http.Response r = Http.get(node.httpUrl("/session-demo/session.json?name=" + name + "&value=" + value));
        assertEquals(200, r.status(), r.body());
        return r.sessionCookie().orElseThrow();
    }

    private static String read(NodeProcess node, String session) throws Exception {
        return Http.get(node.httpUrl("/session-demo/session.json"), session).body();
    }
}
