package io.herdcat.cli;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Follows a started upgrade by asking {@code GET /upgrade} every half second until it no longer
 * runs, showing each answer. A node that cannot be reached, does not answer in time or answers 503
 * is asked again for up to 30 s (a coordinator may be moving); after that, or when the cluster
 * reports another upgrade than this one, the outcome is unknown and the failure says how to look.
 */
final class UpgradeWatch {
    static final Duration INTERVAL = Duration.ofMillis(500);
    static final Duration PATIENCE = Duration.ofSeconds(30);

    /** One {@code GET /upgrade}. */
    interface Poll {
        UpgradeSnapshot get() throws AdminCallException;
    }

    /** Waits between polls. */
    interface Pause {
        void sleep(Duration d) throws InterruptedException;
    }

    private final Poll poll;
    private final Pause pause;
    private final LongSupplier nanoTime;
    private final String where;

    /**
     * @param where    the admin API's URL, for messages
     * @param nanoTime the clock the 30 s of patience are measured on
     */
    UpgradeWatch(Poll poll, Pause pause, LongSupplier nanoTime, String where) {
        this.poll = poll;
        this.pause = pause;
        this.nanoTime = nanoTime;
        this.where = where;
    }

    static UpgradeWatch of(AdminClient client, String where) {
        return new UpgradeWatch(() -> UpgradeSnapshot.of(client.getObject("/upgrade")),
                d -> Thread.sleep(d.toMillis()), System::nanoTime, where);
    }

    /** Shows {@code started} and every later answer until the upgrade ends; returns the last answer. */
    UpgradeSnapshot follow(UpgradeSnapshot started, UpgradeProgress progress) throws AdminCallException {
        UpgradeSnapshot s = started;
        long lostSince = 0;
        boolean lost = false;
        try {
            progress.show(s);
            while (s.running()) {
                pause.sleep(INTERVAL);
                UpgradeSnapshot next;
                String why = "";
                try {
                    next = poll.get();
                } catch (AdminCallException e) {
                    if (!e.lostConnection()) {
                        throw new AdminCallException(e.getMessage() + "; " + unknown(s.id()));
                    }
                    next = null;
                    why = "no answer from " + where + " for " + PATIENCE.toSeconds() + " s (" + e.getMessage() + ")";
                }
                // no answer, or a node that has just (re)started and has not heard of the upgrade yet: wait
                if (next == null || next.id().isEmpty()) {
                    long now = nanoTime.getAsLong();
                    if (!lost) {
                        lost = true;
                        lostSince = now;
                    } else if (now - lostSince >= PATIENCE.toNanos()) {
                        throw new AdminCallException((next == null ? why : where + " has known of no upgrade for "
                                + PATIENCE.toSeconds() + " s") + "; " + unknown(s.id()));
                    }
                    continue;
                }
                lost = false;
                if (!next.id().equals(s.id())) {
                    throw new AdminCallException("the cluster now reports upgrade '" + next.id() + "', not "
                            + s.id() + "; " + unknown(s.id()));
                }
                s = next;
                progress.show(s);
            }
            return s;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AdminCallException("interrupted; " + unknown(s.id()));
        } finally {
            progress.end();
        }
    }

    private static String unknown(String id) {
        return "the state of upgrade " + id + " is unknown: see herdcat upgrade-status (or GET /upgrade)";
    }
}
