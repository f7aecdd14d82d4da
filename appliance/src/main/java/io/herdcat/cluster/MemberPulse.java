package io.herdcat.cluster;

/**
 * What this node knows of one other member of its view, from the {@link ClusterMessage.ViewBeat}s it
 * sends: whether it still counts as reachable. It does while its last beat that listed this node is at
 * most {@code window} old and no beat since said otherwise. A member that fell silent, or sent a view
 * without this node, counts again only after listing this node for {@code confirm} without a break:
 * after a partition heals, beats sent before the other side removed this node may arrive in one burst,
 * just before the ones that show the removal, and must not bring the front back for that moment. A
 * member new in the view counts at once (joining, or merging back, took both sides). Times are
 * {@link System#nanoTime()}; not thread-safe (the caller synchronizes).
 */
final class MemberPulse {
    private static final long NONE = Long.MIN_VALUE;
    private final long window;
    private final long confirm;
    private long lastListed;
    private long streakStart;
    private boolean trusted;

    MemberPulse(long nowNanos, long windowNanos, long confirmNanos) {
        this.window = windowNanos;
        this.confirm = confirmNanos;
        this.lastListed = nowNanos;
        this.streakStart = nowNanos;
        this.trusted = true;
    }

    /** A beat arrived from the member: its view lists this node or not. */
    void beat(long nowNanos, boolean listsThisNode) {
        if (!listsThisNode) {
            trusted = false;
            streakStart = NONE;
            return;
        }
        boolean wasSilent = nowNanos - lastListed > window;
        if (wasSilent) {
            trusted = false;
        }
        if (wasSilent || streakStart == NONE) {
            streakStart = nowNanos;
        }
        lastListed = nowNanos;
        if (!trusted && nowNanos - streakStart >= confirm) {
            trusted = true;
        }
    }

    /** When a beat that listed this node last arrived (or the member joined). */
    long lastListed() {
        return lastListed;
    }

    boolean reachable(long nowNanos) {
        return trusted && nowNanos - lastListed <= window;
    }
}
