package io.herdcat.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A class-data-sharing archive of the jar under test, trained once per build with {@code train-cds}
 * (as the README recommends for production), so that the many nodes and commands the tests start each
 * start about a quarter faster. Without an archive (training failed, or {@code -Dherdcat.test.cds=false}),
 * nodes start as before.
 */
final class TestCds {
    private static List<String> flags;

    private TestCds() {
    }

    /** The JVM flags that load the archive of {@code jar}, trained first if needed; none when it cannot be. */
    static synchronized List<String> flags(List<String> jvmFlags, Path jar) {
        if (flags == null) {
            flags = Boolean.parseBoolean(System.getProperty("herdcat.test.cds", "true")) ? train(jvmFlags, jar) : List.of();
        }
        return flags;
    }

    private static List<String> train(List<String> jvmFlags, Path jar) {
        try {
            Path dir = Files.createDirectories(Path.of("target", "test-cds").toAbsolutePath());
            Path archive = dir.resolve("herdcat-" + Files.size(jar) + "-" + Files.getLastModifiedTime(jar).toMillis()
                    + ".jsa");
            if (!Files.exists(archive)) {
                List<String> cmd = new ArrayList<>();
                cmd.add(ProcessHandle.current().info().command().orElse("java"));
                cmd.addAll(jvmFlags);
                cmd.addAll(List.of("-Xlog:cds=off", "-XX:ArchiveClassesAtExit=" + archive, "-jar", jar.toString(),
                        "train-cds"));
                Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                        .redirectOutput(dir.resolve("train.log").toFile()).start();
                if (!p.waitFor(2, TimeUnit.MINUTES)) {
                    p.destroyForcibly();
                }
                if (p.exitValue() != 0 || !Files.exists(archive)) {
                    System.out.println("test nodes start without a class-data archive: train-cds failed, see "
                            + dir.resolve("train.log"));
                    return List.of();
                }
            }
            return List.of("-XX:SharedArchiveFile=" + archive, "-Xlog:cds=off");
        } catch (IOException | IllegalThreadStateException e) {
            System.out.println("test nodes start without a class-data archive: " + e);
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }
}
