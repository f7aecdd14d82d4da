package io.herdcat.cluster;

import java.util.BitSet;

/**
 * The sequence numbers seen from one sender, as in IPsec's anti-replay window: a number is accepted
 * once, when it is above the highest seen or within the last {@code size} below it and not yet seen;
 * anything older is refused. Out-of-order arrival within the window is fine (Tribes sends over several
 * connections; JGroups retransmits). Used for replication messages and for sealed membership messages.
 */
final class ReplayWindow {
    private final int size;
    private final BitSet seen;
    private long highest;

    ReplayWindow(int size) {
        if (size <= 0) {
            throw new IllegalArgumentException("window size " + size);
        }
        this.size = size;
        this.seen = new BitSet(size);
    }

    /** True (and remembered) the first time {@code sequence} is offered and it is not too old. */
    synchronized boolean accept(long sequence) {
        if (sequence <= 0) {
            return false;
        }
        if (sequence > highest) {
            if (sequence - highest >= size) {
                seen.clear();
            } else {
                for (long s = highest + 1; s < sequence; s++) {
                    seen.clear(bit(s));
                }
            }
            highest = sequence;
            seen.set(bit(sequence));
            return true;
        }
        if (highest - sequence >= size || seen.get(bit(sequence))) {
            return false;
        }
        seen.set(bit(sequence));
        return true;
    }

    /**
     * Forgets that {@code sequence} was seen, so that its next copy is accepted: for a message that was
     * accepted here but then refused further up, whose sender will send it again.
     */
    synchronized void forget(long sequence) {
        if (sequence > 0 && sequence <= highest && highest - sequence < size) {
            seen.clear(bit(sequence));
        }
    }

    private int bit(long sequence) {
        return (int) (sequence % size);
    }
}
