package io.herdcat.cluster;

import java.util.concurrent.atomic.LongAdder;

/** What session replication counts for /status: attributes refused as not serializable. */
public final class ReplicationCounters {
    private final LongAdder notSerializable = new LongAdder();

    void notSerializable() {
        notSerializable.increment();
    }

    public long notSerializableAttributes() {
        return notSerializable.sum();
    }
}
