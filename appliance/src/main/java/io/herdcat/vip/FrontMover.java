package io.herdcat.vip;

import io.netty.util.concurrent.DefaultThreadFactory;
import io.herdcat.config.NodeConfig;
import io.herdcat.dispatcher.FrontStateListener;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What follows the HTTP front from host to host. When this node's front starts accepting, its address
 * ({@code front.vip}) is added here and announced, then {@code front.on.elected} runs; when it stops
 * accepting (handed over, the node stopping, cut off: whatever ends the election here), the address is
 * removed, then {@code front.on.demoted} runs. At start, an address left on the interface by an earlier
 * run that was killed is removed unless the front already opened here. All of it happens in order on one
 * thread of its own, so the front never waits for a command; hooks run after the address step, on their
 * own thread ({@link FrontHooks}).
 */
public final class FrontMover implements FrontStateListener {
    private static final Logger LOG = LoggerFactory.getLogger(FrontMover.class);
    private final VipHolder holder;
    private final FrontHooks hooks;
    private final Duration hookTimeout;
    private final VipCounters counters;
    private final ExecutorService thread =
            Executors.newSingleThreadExecutor(new DefaultThreadFactory("front-vip", true));
    private final boolean active;
    private volatile boolean opened;

    private FrontMover(VipHolder holder, FrontHooks hooks, Duration hookTimeout, VipCounters counters, boolean active) {
        this.active = active;
        this.holder = holder;
        this.hooks = hooks;
        this.hookTimeout = hookTimeout;
        this.counters = counters;
    }

    /**
     * @param privileged starts the {@code ip} and {@code arping} commands: the thread that holds the
     *                   capabilities to change this host's addresses
     */
    public static FrontMover start(NodeConfig config, Executor privileged) {
        NodeConfig.FrontMove m = config.frontMove();
        VipCounters counters = new VipCounters();
        VipHolder holder = m.vip() == null ? null : new VipHolder(m.vip(), privileged, counters);
        String vip = m.vip() == null ? null : m.vip().address().getHostAddress();
        FrontHooks hooks = new FrontHooks(new HookRunner(config.name(), vip, m.hookTimeout(), counters),
                m.onElected(), m.onDemoted());
        boolean active = holder != null || m.onElected() != null || m.onDemoted() != null;
        FrontMover mover = new FrontMover(holder, hooks, m.hookTimeout(), counters, active);
        if (holder != null) {
            mover.queue(mover::removeStale);
        }
        return mover;
    }

    @Override
    public void frontOpened() {
        opened = true;
        queue(() -> {
            if (holder != null) {
                holder.add();
            }
            hooks.elected();
        });
    }

    @Override
    public void frontClosed() {
        queue(() -> {
            if (holder != null) {
                holder.remove("the front stopped here");
            }
            hooks.demoted();
        });
    }

    public VipCounters counters() {
        return counters;
    }

    private void removeStale() throws InterruptedException {
        if (!opened && holder.present()) {
            holder.remove("left by an earlier run of this node");
        }
    }

    private interface Step {
        void run() throws InterruptedException;
    }

    private void queue(Step step) {
        if (!active) {
            return;
        }
        try {
            thread.execute(() -> {
                try {
                    step.run();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (RuntimeException e) {
                    LOG.warn("Moving the front's address failed", e);
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.warn("The front's address was not changed: the node is stopping");
        }
    }

    /** Finishes the queued steps (the address removed, hooks run), each within its time limit, then stops. */
    public void close() {
        thread.shutdown();
        try {
            if (!thread.awaitTermination(VipHolder.COMMAND_TIMEOUT.toMillis() * 4, TimeUnit.MILLISECONDS)) {
                thread.shutdownNow();
            }
            hooks.close(hookTimeout.multipliedBy(2).plusSeconds(1));
        } catch (InterruptedException e) {
            thread.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
