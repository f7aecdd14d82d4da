package io.herdcat.cli;

import io.herdcat.testing.NodeProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What one run of {@code java -jar herdcat.jar ARGS} printed, on each stream, and its exit code. The
 * command runs in a folder of the test's with only the given {@code HERDCAT_*} variables, its output
 * going to files (so it never sees a terminal).
 */
record CliRun(int code, String out, String err) {
    List<String> outLines() {
        return out.lines().toList();
    }

    List<String> errLines() {
        return err.lines().toList();
    }

    @Override
    public String toString() {
        return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }

    /** Runs the jar with these arguments, allowing it 30 s. */
    static CliRun herdcat(Path dir, Map<String, String> env, String... args) throws IOException, InterruptedException {
        return herdcat(dir, env, List.of(), Duration.ofSeconds(30), args);
    }

    /** Runs the jar with these extra JVM flags and arguments, allowing it {@code atMost}. */
    static CliRun herdcat(Path dir, Map<String, String> env, List<String> jvmFlags, Duration atMost, String... args)
            throws IOException, InterruptedException {
        Path out = Files.createTempFile(dir, "cli", ".out");
        Path err = Files.createTempFile(dir, "cli", ".err");
        List<String> command = new ArrayList<>(NodeProcess.command(List.of(args)));
        command.addAll(command.indexOf("-jar"), jvmFlags);
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("HERDCAT_"));
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(atMost.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("herdcat " + String.join(" ", args) + " still running after " + atMost);
        }
        return new CliRun(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }
}
