package io.herdcat.cluster;

import java.util.Optional;

/**
 * The majority rule of a cluster meant to have {@code size} members: a group of members may run the
 * front only when it holds a majority of them ({@code size/2 + 1}, so two disjoint groups never both
 * do; exactly half of an even size is not enough). Size 0 means the size is unknown: no rule, every
 * group may run a front.
 */
public record Quorum(int size) {
    /** No rule: the cluster's size is not configured. */
    public static final Quorum NONE = new Quorum(0);

    public Quorum {
        if (size < 0) {
            throw new IllegalArgumentException("cluster size " + size);
        }
    }

    /** Members needed for a majority (0 without a rule). */
    public int majority() {
        return size == 0 ? 0 : size / 2 + 1;
    }

    public boolean holds(int members) {
        return members >= majority();
    }

    /** Why {@code members} reachable members may not run the front, or empty when they may. */
    public Optional<String> loss(int members) {
        return holds(members) ? Optional.empty()
                : Optional.of("no quorum: " + members + " of " + size + " members reachable, " + majority() + " needed");
    }
}
