package io.herdcat.cluster;

import java.util.BitSet;

/**
 * The sequence numbers seen from one sender, as in IPsec's anti-replay window: a number is accepted
 * once, when it is above the highest seen or within the last {@value #SIZE} below it and not yet
 * seen; anything older is refused. Out-of-order arrival (Tribes sends over several connections) within
 * the window is fine.
 */
final class ReplayWindow {
    static final int SIZE = 4096;
    private final BitSet seen = new BitSet(SIZE);
    private long highest;

    /** True the first time {@code sequence} is offered and it is not too old. */
    synchronized boolean accept(long sequence) {
        if (sequence <= 0) {
            return false;
        }
        if (sequence > highest) {
            if (sequence - highest >= SIZE) {
                seen.clear();
            } else {
                for (long s = highest + 1; s < sequence; s++) {
                    seen.clear((int) (s % SIZE));
                }
            }
            highest = sequence;
            seen.set((int) (sequence % SIZE));
            return true;
        }
        if (highest - sequence >= SIZE) {
            return false;
        }
        int bit = (int) (sequence % SIZE);
        if (seen.get(bit)) {
            return false;
        }
        seen.set(bit);
        return true;
    }
}
