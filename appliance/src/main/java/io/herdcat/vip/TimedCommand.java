package io.herdcat.vip;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Runs one external command with a time limit. The process is started by a task on the given
 * {@link Executor}, since a child inherits the capabilities of the thread that starts it (the node's
 * privileged thread for {@code ip} and {@code arping}, an ordinary one for hooks); waiting and reading
 * happen on the caller's thread and a reader thread, so the starting thread is busy only for the start.
 * Output (stdout and stderr together) is passed on line by line as it comes and kept for the result;
 * a command still running at the limit is killed with everything it started.
 */
final class TimedCommand {
    /** Lines of output kept for the result; the sink sees all of them. */
    private static final int KEPT_LINES = 50;
    private static final long READER_WAIT_MILLIS = 2_000;

    /**
     * How a command ended.
     *
     * @param exitStatus its exit status; -1 when it did not start or was killed
     * @param timedOut   it was still running at the limit and was killed
     * @param output     its first lines of output, or why it could not start
     */
    record Result(int exitStatus, boolean timedOut, List<String> output) {
        boolean ok() {
            return exitStatus == 0 && !timedOut;
        }

        /** The output as one line, for a log message. */
        String outputLine() {
            return output.isEmpty() ? "(no output)" : String.join(" | ", output);
        }
    }

    private TimedCommand() {
    }

    static Result run(List<String> command, Map<String, String> env, Duration timeout, Executor starter,
                      Consumer<String> lines) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().putAll(env);
        Process process;
        CompletableFuture<Process> start = new CompletableFuture<>();
        try {
            starter.execute(() -> {
                try {
                    start.complete(pb.start());
                } catch (IOException | RuntimeException e) {
                    start.completeExceptionally(e);
                }
            });
            process = start.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            return new Result(-1, false, List.of("cannot start: " + e.getCause().getMessage()));
        } catch (TimeoutException e) {
            start.thenAcceptAsync(TimedCommand::kill);
            return new Result(-1, true, List.of("not started within " + timeout.toMillis() + " ms"));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            return new Result(-1, false, List.of("cannot start: the starting thread is gone"));
        }
        List<String> kept = Collections.synchronizedList(new ArrayList<>());
        Thread reader = new Thread(() -> read(process, kept, lines), "command-output");
        reader.setDaemon(true);
        reader.start();
        try {
            boolean exited = process.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (!exited) {
                kill(process);
            }
            reader.join(READER_WAIT_MILLIS);
            synchronized (kept) {
                return new Result(exited ? process.exitValue() : -1, !exited, List.copyOf(kept));
            }
        } catch (InterruptedException e) {
            kill(process);
            throw e;
        }
    }

    private static void read(Process process, List<String> kept, Consumer<String> lines) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (kept.size() < KEPT_LINES) {
                    kept.add(line);
                }
                lines.accept(line);
            }
        } catch (IOException e) {
            // the process was killed and its pipe closed
        }
    }

    /** Kills the process and every process it started. */
    private static void kill(Process process) {
        // the command first, so it cannot go on when its children end; then the children it had
        java.util.List<ProcessHandle> children = process.descendants().toList();
        process.destroyForcibly();
        children.forEach(ProcessHandle::destroyForcibly);
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
