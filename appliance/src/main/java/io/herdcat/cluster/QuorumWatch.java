package io.herdcat.cluster;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import org.jgroups.Address;
import org.jgroups.View;

/**
 * Counts the members of the view that are still heard from, so that a node cut off from the majority
 * gives the front up within {@code cluster.silence.timeout} of the cut. Failure detection alone takes
 * longer: it suspects a silent member after 1 to 1.2 × the silence timeout, verifies it for
 * {@code cluster.crash.timeout} and only then installs the smaller view. This watch counts a member as
 * reachable while it was heard ({@link LastHeard}) within the last three quarters of the silence timeout
 * (at least three heartbeats), and checks 20 times per silence timeout; when the count differs from the
 * one the current {@link ClusterView} holds, the view is published again with the new count, which
 * may take the front away or give it back. A check that runs late (this node itself was paused, so it
 * has not read what arrived meanwhile) waits for the next one before it judges.
 */
final class QuorumWatch implements AutoCloseable {
    private final LastHeard heard;
    private final long windowNanos;
    private final long tickNanos;
    private final Supplier<View> view;
    private final Supplier<Address> self;
    private final IntSupplier published;
    private final Runnable republish;
    private final ScheduledExecutorService timer;
    private long lastTickNanos;

    /**
     * @param view      the view installed now (null before the first)
     * @param self      this node's address (null before it joined)
     * @param published the reachable count of the view published last
     * @param republish publishes the view again, with a fresh count
     */
    QuorumWatch(String node, Duration silenceTimeout, LastHeard heard, Supplier<View> view, Supplier<Address> self,
                IntSupplier published, Runnable republish) {
        this.heard = heard;
        this.windowNanos = silenceTimeout.toNanos() * 3 / 4;
        this.tickNanos = Math.max(TimeUnit.MILLISECONDS.toNanos(20), silenceTimeout.toNanos() / 20);
        this.view = view;
        this.self = self;
        this.published = published;
        this.republish = republish;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "quorum-watch-" + node);
            t.setDaemon(true);
            return t;
        });
    }

    void start() {
        lastTickNanos = System.nanoTime();
        timer.scheduleWithFixedDelay(this::check, tickNanos, tickNanos, TimeUnit.NANOSECONDS);
    }

    /** Members of {@code v} heard from within the window, this node included. */
    int reachable(View v) {
        Address me = self.get();
        long since = System.nanoTime() - windowNanos;
        int n = 0;
        for (Address a : v.getMembers()) {
            if (a.equals(me) || heard.heardSince(a, since)) {
                n++;
            }
        }
        return n;
    }

    private void check() {
        long now = System.nanoTime();
        boolean late = now - lastTickNanos > tickNanos + windowNanos / 4;
        lastTickNanos = now;
        View v = view.get();
        if (late || v == null || self.get() == null) {
            return;
        }
        if (reachable(v) != published.getAsInt()) {
            republish.run();
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
