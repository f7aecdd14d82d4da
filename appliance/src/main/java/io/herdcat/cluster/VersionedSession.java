package io.herdcat.cluster;

import java.io.IOException;
import java.io.ObjectInput;
import java.io.ObjectInputStream;
import java.io.ObjectOutput;
import java.io.ObjectOutputStream;
import java.util.function.Function;
import org.apache.catalina.Manager;
import org.apache.catalina.ha.session.DeltaSession;

/**
 * Tomcat's DeltaSession with a {@link SessionVersion}: taking a change for replication (or dropping
 * it, when there is no member to send it to) advances it,
 * applying a replicated change sets it to the sender's, and it travels with the session's state
 * (after the attributes), so a receiver can tell which of two copies is newer. The version changes
 * under the session's own diff lock, together with the attributes it describes.
 */
final class VersionedSession extends DeltaSession {
    private static final long serialVersionUID = 1L;
    private transient SessionVersion version = SessionVersion.INITIAL;

    /** A change to replicate: the serialized delta, the version it applies to and the version it makes. */
    record Change(byte[] delta, SessionVersion base, SessionVersion next) {
    }

    /** What {@link #apply} did with a replicated change. */
    enum Applied { APPLIED, ALREADY_NEWER, MISSING_EARLIER_CHANGES }

    VersionedSession(Manager manager) {
        super(manager);
    }

    SessionVersion version() {
        diffLock.lock();
        try {
            return version;
        } finally {
            diffLock.unlock();
        }
    }

    /**
     * Takes the change made since the last call, with the version it advances to, and hands it to
     * {@code queue} before another change of this session can be taken, so that changes are queued in
     * the order they were made; returns what {@code queue} returns, or null when nothing changed.
     */
    <T> T takeChange(String node, Function<Change, T> queue) throws IOException {
        diffLock.lock();
        try {
            if (!isDirty()) {
                return null;
            }
            byte[] delta = getDiff();
            SessionVersion base = version;
            version = base.next(node, System.currentTimeMillis());
            return queue.apply(new Change(delta, base, version));
        } finally {
            diffLock.unlock();
        }
    }

    /**
     * Applies a replicated change when it follows this copy's version; leaves this copy alone when it
     * already holds that change or a later one, or when changes before it are missing here.
     */
    Applied apply(Change change) throws IOException, ClassNotFoundException {
        diffLock.lock();
        try {
            if (version.compareTo(change.next()) >= 0) {
                return Applied.ALREADY_NEWER;
            }
            if (!version.equals(change.base())) {
                return Applied.MISSING_EARLIER_CHANGES;
            }
            deserializeAndExecuteDeltaRequest(change.delta());
            version = change.next();
            return Applied.APPLIED;
        } finally {
            diffLock.unlock();
        }
    }

    /** Makes a copy just read from a state transfer a valid backup: not primary, no pending change. */
    void becomeReplica() {
        setValid(true);
        setPrimarySession(false);
        access();
        setAccessCount(0);
        super.resetDeltaRequest();
    }

    /**
     * Tomcat drops the pending change instead of replicating it when there is no member to send it to
     * (a node alone, or one side of a partition): the change still happened, so the version advances.
     */
    @Override
    public void resetDeltaRequest() {
        diffLock.lock();
        try {
            if (isDirty() && getManager() instanceof ReplicatingDeltaManager manager) {
                version = version.next(manager.nodeName(), System.currentTimeMillis());
            }
            super.resetDeltaRequest();
        } finally {
            diffLock.unlock();
        }
    }

    @Override
    public void writeObjectData(ObjectOutput stream) throws IOException {
        diffLock.lock();
        try {
            super.writeObjectData(stream);
            stream.writeObject(version.toBytes());
        } finally {
            diffLock.unlock();
        }
    }

    @Override
    public void readObjectData(ObjectInputStream stream) throws ClassNotFoundException, IOException {
        readObjectData((ObjectInput) stream);
    }

    @Override
    public void writeObjectData(ObjectOutputStream stream) throws IOException {
        writeObjectData((ObjectOutput) stream);
    }

    @Override
    public void readObjectData(ObjectInput stream) throws ClassNotFoundException, IOException {
        diffLock.lock();
        try {
            super.readObjectData(stream);
            version = SessionVersion.fromBytes((byte[]) stream.readObject());
        } finally {
            diffLock.unlock();
        }
    }
}
