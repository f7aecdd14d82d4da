package io.herdcat.cluster;

/**
 * The sequence numbers already received from one sender: the highest, and which of the 1,024 below it
 * were seen. A number seen before, or too far below the highest to tell, is a replay. Not thread-safe.
 */
final class ReplayWindow {
    static final int SIZE = 1024;
    private final long[] seen = new long[SIZE / 64];
    private long highest;

    /** True (and remembered) when {@code seq} was not received before; false for a replay. */
    boolean accept(long seq) {
        if (seq <= 0) {
            return false;
        }
        if (seq > highest) {
            long shift = seq - highest;
            if (shift >= SIZE) {
                java.util.Arrays.fill(seen, 0);
            } else {
                for (long s = highest + 1; s <= seq; s++) {
                    clear(s);
                }
            }
            highest = seq;
            set(seq);
            return true;
        }
        if (highest - seq >= SIZE || isSet(seq)) {
            return false;
        }
        set(seq);
        return true;
    }

    private void set(long seq) {
        int bit = (int) (seq % SIZE);
        seen[bit >>> 6] |= 1L << (bit & 63);
    }

    private void clear(long seq) {
        int bit = (int) (seq % SIZE);
        seen[bit >>> 6] &= ~(1L << (bit & 63));
    }

    private boolean isSet(long seq) {
        int bit = (int) (seq % SIZE);
        return (seen[bit >>> 6] & (1L << (bit & 63))) != 0;
    }
}
