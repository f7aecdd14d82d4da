package io.herdcat.cluster;

import java.util.concurrent.atomic.LongAdder;

/** What session replication counts for /status and metrics: attributes refused as not serializable, failed sends. */
public final class ReplicationCounters {
    private final LongAdder notSerializable = new LongAdder();
    private final LongAdder sendFailures = new LongAdder();

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
}
