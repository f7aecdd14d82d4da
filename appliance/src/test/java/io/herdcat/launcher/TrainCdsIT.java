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

/**
 * {@code train-cds} serves its pages successfully and leaves a class-data archive that a JVM then
 * really loads Herdcat's classes from: {@code -Xshare:on} refuses to start on an unusable archive,
 * and the class-load log names the archive as the source.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
@ExtendWith(DumpOutputOnFailure.class)
class TrainCdsIT {
    @TempDir
    Path dir;

    @Test
    void trainCdsServesItsPageStopsAndLeavesAnArchiveTheJvmLoadsHerdcatFrom() throws Exception {
        Path archive = dir.resolve("herdcat.jsa");
        try (NodeProcess train = NodeProcess.execWithJvmFlags("train", dir,
                List.of("-Xlog:cds=off", "-XX:ArchiveClassesAtExit=" + archive), List.of("train-cds"))) {
            assertEquals(0, train.awaitExit(Duration.ofSeconds(90)), "every training request answered 2xx");
            assertTrue(train.output().contains("Started node cds"), train.output());
            assertFalse(train.output().contains("train-cds:"), train.output());
        }
        assertTrue(Files.size(archive) > 1_000_000, "archive written");

        try (NodeProcess version = NodeProcess.execWithJvmFlags("with-archive", dir,
                List.of("-Xshare:on", "-Xlog:class+load=info", "-XX:SharedArchiveFile=" + archive), List.of("--version"))) {
            assertEquals(0, version.awaitExit(Duration.ofSeconds(30)), "-Xshare:on exits at once on an unusable archive");
            String out = version.output();
            assertTrue(out.contains("io.herdcat.launcher.Main source: shared objects file"),
                    "Herdcat's own classes come from the trained archive:\n" + out);
            assertTrue(out.lines().anyMatch(l -> l.startsWith("Herdcat ")), out);
        }
    }
}
