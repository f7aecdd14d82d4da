package io.herdcat.cluster;

import java.util.concurrent.atomic.LongAdder;

/**
 * What session replication counts for /status and metrics: attributes refused as not serializable,
 * failed sends, sessions changed on both sides of a partition, copies older than this node's,
 * replication messages dropped as replayed or from a non-member, session changes replicated and the
 * messages that carried them (several concurrent requests' changes share one message).
 */
public final class ReplicationCounters {
    private final LongAdder notSerializable = new LongAdder();
    private final LongAdder sendFailures = new LongAdder();
    private final LongAdder conflicts = new LongAdder();
    private final LongAdder staleCopies = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private final LongAdder changes = new LongAdder();
    private final LongAdder changeMessages = new LongAdder();

    void sessionConflict() {
        conflicts.increment();
    }

    /** Sessions found changed on both sides of a partition, resolved here (the later change won). */
    public long sessionConflicts() {
        return conflicts.sum();
    }

    void staleCopyKept() {
        staleCopies.increment();
    }

    /** Session copies or changes received that were older than this node's copy, so not applied. */
    public long staleSessionCopies() {
        return staleCopies.sum();
    }

    void messageDropped() {
        dropped.increment();
    }

    /** Replication messages dropped: replayed, out of the replay window, from a non-member, or unreadable. */
    public long droppedMessages() {
        return dropped.sum();
    }

    void notSerializable() {
        notSerializable.increment();
    }

    public long notSerializableAttributes() {
        return notSerializable.sum();
    }

    void sendFailed(int members) {
        sendFailures.add(members);
    }

    /** Replication messages a member did not take (unreachable, or not acknowledged in time), per member. */
    public long sendFailures() {
        return sendFailures.sum();
    }

    void changesReplicated(int count) {
        changes.add(count);
        changeMessages.increment();
    }

    /** Session changes acknowledged by every member they were sent to. */
    public long changesReplicated() {
        return changes.sum();
    }

    /** Replication messages that carried those changes. */
    public long changeMessages() {
        return changeMessages.sum();
    }
}
