package io.herdcat.launcher;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.herdcat.testing.Args;
import io.herdcat.testing.Cluster;
import io.herdcat.testing.DumpOutputOnFailure;
import io.herdcat.testing.NodeProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** An admin change that a node has applied is on disk: kill -9 right after it, and the restarted node keeps it. */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
@ExtendWith(DumpOutputOnFailure.class)
class AdminStateCrashIT {
    @TempDir
    Path dir;

    @Test
    void stopSetThroughTheApiSurvivesKillOfTheNodeRightAfterIt() throws Exception {
        Cluster.prepare(dir);
        String[] args = Args.with(new String[] {"--access-log", "false"});
        Path state = dir.resolve("work-a").resolve("admin-state.properties");
        try (NodeProcess b = Cluster.start("b", dir, args).awaitReady()) {
            try (NodeProcess a = Cluster.start("a", dir, args).awaitReady()) {
                await().atMost(Duration.ofSeconds(20)).until(() -> Cluster.members(b).size() == 2);
                assertEquals(202, Cluster.adminPost(b, "/nodes/a/weight", "7", Cluster.ADMIN_TOKEN));
                assertEquals(202, Cluster.adminPost(b, "/nodes/a/activation", "stopped", Cluster.ADMIN_TOKEN));
                await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(5))
                        .until(() -> "stopped".equals(ownActivation(a)));
                ProcessHandle.of(a.pid()).orElseThrow().destroyForcibly();
                a.awaitExit(Duration.ofSeconds(20));
            }
            String kept = Files.readString(state);
            assertTrue(kept.contains("activation=stopped") && kept.contains("weight=7"), kept);
            try (Stream<Path> files = Files.list(state.getParent())) {
                assertTrue(files.noneMatch(f -> f.getFileName().toString().endsWith(".tmp")), "no temporary file left");
            }
            try (NodeProcess again = Cluster.start("a", dir, args).awaitReady()) {
                assertEquals("stopped", ownActivation(again), "the restarted node keeps the change");
            }
        }
    }

    /** The activation of node a in the records of {@code node}. */
    private static String ownActivation(NodeProcess node) throws Exception {
        Matcher m = Pattern.compile("\\{\"name\":\"a\",\"phase\":\"[A-Z]+\",\"activation\":\"([a-z]+)\"")
                .matcher(Cluster.status(node));
        return m.find() ? m.group(1) : "";
    }
}
