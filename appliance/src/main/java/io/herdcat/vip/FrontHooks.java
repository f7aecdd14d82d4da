package io.herdcat.vip;

import io.netty.util.concurrent.DefaultThreadFactory;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Queues the {@code front.on.elected} and {@code front.on.demoted} hooks on one ordinary thread of their
 * own: they run in the order the front's changes happened, never two at once, and a slow hook delays only
 * the hooks after it, never the front or its address.
 */
final class FrontHooks {
    private static final Logger LOG = LoggerFactory.getLogger(FrontHooks.class);
    private final HookRunner runner;
    private final String onElected;
    private final String onDemoted;
    private final ExecutorService thread =
            Executors.newSingleThreadExecutor(new DefaultThreadFactory("front-hooks", true));

    /**
     * @param onElected command run when this node starts running the front; null for none
     * @param onDemoted command run when it stops; null for none
     */
    FrontHooks(HookRunner runner, String onElected, String onDemoted) {
        this.runner = runner;
        this.onElected = onElected;
        this.onDemoted = onDemoted;
    }

    void elected() {
        queue(HookRunner.Event.ELECTED, "front.on.elected", onElected);
    }

    void demoted() {
        queue(HookRunner.Event.DEMOTED, "front.on.demoted", onDemoted);
    }

    private void queue(HookRunner.Event event, String key, String command) {
        if (command == null) {
            return;
        }
        try {
            thread.execute(() -> {
                try {
                    runner.run(event, key, command);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.warn("{} not run: the node is stopping", key);
        }
    }

    /** Runs the hooks already queued, waiting for them at most {@code wait}; then kills what still runs. */
    void close(Duration wait) throws InterruptedException {
        thread.shutdown();
        if (!thread.awaitTermination(wait.toMillis(), TimeUnit.MILLISECONDS)) {
            thread.shutdownNow();
        }
    }
}
