package io.herdcat.cluster;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInput;
import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.Comparator;
import java.util.Map;
import java.util.TreeMap;

/**
 * The version of one session: when it last changed, which node changed it, and how many changes each
 * node made (a version vector). Every change advances it; copies of a session are ordered by a total
 * order that every node computes alike — change time, then number of changes, then writer, then the
 * vector — so "keep the greater copy" converges to one copy whatever the order in which nodes fetch
 * from each other. A change's time is never earlier than the one before it, so a later change of the
 * same history always sorts after it. Two copies that each hold changes the other lacks (changed on
 * both sides of a partition) are {@link #concurrentWith concurrent}: the later change wins.
 */
record SessionVersion(long changedAtMillis, Map<String, Long> changes, String writer)
        implements Comparable<SessionVersion> {
    static final SessionVersion INITIAL = new SessionVersion(0, Map.of(), "");
    private static final int FORMAT = 1;
    private static final Comparator<SessionVersion> ORDER = Comparator
            .comparingLong(SessionVersion::changedAtMillis)
            .thenComparingLong(SessionVersion::total)
            .thenComparing(SessionVersion::writer)
            .thenComparing(v -> v.changes().toString());

    SessionVersion {
        changes = Collections.unmodifiableSortedMap(new TreeMap<>(changes));
    }

    /** The version after a change made by {@code node} at {@code nowMillis}. */
    SessionVersion next(String node, long nowMillis) {
        Map<String, Long> counts = new TreeMap<>(changes);
        counts.merge(node, 1L, Long::sum);
        return new SessionVersion(Math.max(nowMillis, changedAtMillis + 1), counts, node);
    }

    long total() {
        return changes.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Neither copy holds every change of the other: both were changed apart. */
    boolean concurrentWith(SessionVersion other) {
        return !includes(other) && !other.includes(this);
    }

    private boolean includes(SessionVersion other) {
        return other.changes.entrySet().stream().allMatch(e -> changes.getOrDefault(e.getKey(), 0L) >= e.getValue());
    }

    @Override
    public int compareTo(SessionVersion o) {
        return ORDER.compare(this, o);
    }

    void writeTo(DataOutput out) throws IOException {
        out.writeByte(FORMAT);
        out.writeLong(changedAtMillis);
        out.writeUTF(writer);
        out.writeShort(changes.size());
        for (Map.Entry<String, Long> e : changes.entrySet()) {
            out.writeUTF(e.getKey());
            out.writeLong(e.getValue());
        }
    }

    static SessionVersion readFrom(DataInput in) throws IOException {
        int format = in.readByte();
        if (format != FORMAT) {
            throw new IOException("session version format " + format + " is not " + FORMAT);
        }
        long at = in.readLong();
        String writer = in.readUTF();
        int n = in.readUnsignedShort();
        Map<String, Long> counts = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            counts.put(in.readUTF(), in.readLong());
        }
        return new SessionVersion(at, counts, writer);
    }

    byte[] toBytes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        try {
            writeTo(new DataOutputStream(bytes));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static SessionVersion fromBytes(byte[] bytes) throws IOException {
        return readFrom(new DataInputStream(new ByteArrayInputStream(bytes)));
    }

    @Override
    public String toString() {
        return changedAtMillis + "/" + total() + "/" + writer;
    }
}
