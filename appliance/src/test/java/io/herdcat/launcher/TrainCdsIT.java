package io.herdcat.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.herdcat.testing.DumpOutputOnFailure;
import io.herdcat.testing.NodeProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code train-cds} leaves a class-data archive that a JVM can then start with. */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
@ExtendWith(DumpOutputOnFailure.class)
class TrainCdsIT {
    @TempDir
    Path dir;

    @Test
    void trainCdsServesItsPageStopsAndLeavesAnArchiveTheJvmAccepts() throws Exception {
        Path archive = dir.resolve("herdcat.jsa");
        try (NodeProcess train = NodeProcess.execWithJvmFlags("train", dir,
                List.of("-Xlog:cds=off", "-XX:ArchiveClassesAtExit=" + archive), List.of("train-cds"))) {
            assertEquals(0, train.awaitExit(Duration.ofSeconds(90)));
            assertTrue(train.output().contains("Started node cds"), train.output());
        }
        assertTrue(Files.size(archive) > 1_000_000, "archive written");

        try (NodeProcess help = NodeProcess.execWithJvmFlags("with-archive", dir,
                List.of("-Xshare:auto", "-Xlog:cds=warning", "-XX:SharedArchiveFile=" + archive), List.of("--version"))) {
            assertEquals(0, help.awaitExit(Duration.ofSeconds(30)));
            assertFalse(help.output().contains("Unable to use shared archive"), help.output());
            assertTrue(help.output().startsWith("Herdcat "), help.output());
        }
    }
}
