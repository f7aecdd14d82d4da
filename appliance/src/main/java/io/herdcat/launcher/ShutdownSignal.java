package io.herdcat.launcher;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import sun.misc.Signal;

/** Turns SIGTERM, SIGINT or the exit of a parent process into one "stop now" the main thread waits for. */
final class ShutdownSignal {
    private final CountDownLatch stop = new CountDownLatch(1);
    private volatile String reason = "";
    private volatile int exitCode = Main.OK;

    /** Handles SIGTERM and SIGINT (instead of the JVM's default exit with 143/130). */
    ShutdownSignal onSignals() {
        for (String name : List.of("TERM", "INT")) {
            Signal.handle(new Signal(name), s -> trigger("SIG" + s.getName()));
        }
        return this;
    }

    /** Also stops when process {@code pid} exits, so a demo's nodes never outlive the demo. */
    ShutdownSignal onParentExit(Long pid) {
        if (pid != null) {
            ProcessHandle.of(pid).ifPresentOrElse(
                    parent -> parent.onExit().thenRun(() -> trigger("parent process " + pid + " exited")),
                    () -> trigger("parent process " + pid + " is gone"));
        }
        return this;
    }

    void trigger(String why) {
        trigger(why, Main.OK);
    }

    /** A stop after which the process exits with {@code code} (the first stop asked for wins). */
    synchronized void trigger(String why, int code) {
        if (stop.getCount() > 0) {
            reason = why;
            exitCode = code;
            stop.countDown();
        }
    }

    /** The exit code the stop asked for. */
    int exitCode() {
        return exitCode;
    }

    /** Blocks until a stop is asked for; returns why. */
    String await() throws InterruptedException {
        stop.await();
        return reason;
    }
}
