package io.herdcat.cluster;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.lang.ref.WeakReference;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.Session;
import org.apache.catalina.ha.ClusterManager;
import org.apache.catalina.ha.ClusterMessage;
import org.apache.catalina.ha.session.DeltaManager;
import org.apache.catalina.ha.session.SessionMessage;
import org.apache.catalina.ha.session.SessionMessageImpl;
import org.apache.catalina.tribes.Member;
import org.apache.catalina.tribes.io.ReplicationStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tomcat's DeltaManager with versioned sessions ({@link VersionedSession}), so that no copy of a
 * session ever replaces a newer one: each replicated change carries the version it applies to and
 * the one it makes, and a state transfer (at start-up, or fetched after a merge) keeps whichever copy
 * of each session is greater in {@link SessionVersion}'s total order. A session changed on both sides
 * of a partition is resolved that way too (the later change wins), logged and counted. A change that
 * cannot be applied because earlier ones are missing here (the session is unknown, or a change was
 * lost while apart) makes this node fetch the sender's sessions again.
 *
 * <p>Also gives a clear account of attributes it cannot replicate: the webapp gets the servlet API's
 * IllegalArgumentException from {@code setAttribute} (Tomcat's own check), and the node logs the
 * attribute and its class and counts it, instead of a broken replication channel later.
 */
final class ReplicatingDeltaManager extends DeltaManager {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicatingDeltaManager.class);
    /** A fetch not answered in this time is asked again. */
    private static final long PULL_RETRY_MILLIS = 10_000;
    private static final long FORGET_PULL_MILLIS = 60_000;
    /**
     * Tomcat asks more than once per setAttribute: count a value once. Held weakly: worker threads
     * outlive webapps, and a strong reference would keep a redeployed webapp's classes loaded.
     */
    private static final ThreadLocal<WeakReference<Object>> LAST_REFUSED = new ThreadLocal<>();
    private final String nodeName;
    private final ReplicationCounters counters;
    /** Fetches asked of a member and not yet completed: when asked, and whether another is wanted after it. */
    private final Map<Member, Pull> pulls = new ConcurrentHashMap<>();
    private volatile ExecutorService pullSender;
    private final Object mergeLock = new Object();
    private volatile ViewGatedCluster.ViewGate viewGate = () -> { };

    private record Pull(long askedAtMillis, boolean again) {
    }

    ReplicatingDeltaManager(String nodeName, ReplicationCounters counters) {
        this.nodeName = nodeName;
        this.counters = counters;
    }

    String nodeName() {
        return nodeName;
    }

    /** Every session read (changes, state transfers) goes through {@link SessionClassFilter}. */
    @Override
    public ReplicationStream getReplicationStream(byte[] data, int offset, int length) throws IOException {
        ReplicationStream stream = super.getReplicationStream(data, offset, length);
        stream.setObjectInputFilter(SessionClassFilter.FILTER);
        return stream;
    }

    @Override
    public Session createEmptySession() {
        return new VersionedSession(this);
    }

    /**
     * Asks {@code member} for every session it holds; they are merged like a start-up state transfer,
     * keeping the newer copy of each. Used when a member appears that this node could not replicate
     * with while both served (two nodes started at once, a healed partition), and when a change from
     * {@code member} shows that this node missed earlier ones. Unlike the start-up transfer this does
     * not enter DeltaManager's sync phase, in which two nodes asking each other at once would drop
     * each other's request and both wait for the state-transfer timeout. Sent in the background; one
     * fetch per member at a time.
     */
    void pullSessionsFrom(Member member) {
        long now = System.currentTimeMillis();
        // a member that left while its fetch was pending never completes it
        pulls.values().removeIf(p -> now - p.askedAtMillis() > FORGET_PULL_MILLIS);
        Pull before = pulls.get(member);
        if (before != null && now - before.askedAtMillis() < PULL_RETRY_MILLIS) {
            pulls.replace(member, before, new Pull(before.askedAtMillis(), true));
            return;
        }
        pulls.put(member, new Pull(now, false));
        ExecutorService sender = pullSender;
        if (sender == null) {
            return;
        }
        sender.execute(() -> {
            SessionMessage ask = new SessionMessageImpl(getName(), SessionMessage.EVT_GET_ALL_SESSIONS, null,
                    "GET-ALL", "GET-ALL-" + getName());
            ask.setTimestamp(System.currentTimeMillis());
            getCluster().send(ask, member);
        });
    }

    /** What the first state transfer waits for: the members it may ask for their sessions. */
    void awaitViewBeforeStateTransfer(ViewGatedCluster.ViewGate gate) {
        this.viewGate = gate;
    }

    /**
     * The start-up state transfer, asked of a running member: only once the view is known. Everything
     * the manager's start does before (its session id generator's secure random among it) runs while
     * the node joins.
     */
    @Override
    public synchronized void getAllClusterSessions() {
        try {
            viewGate.await();
        } catch (InterruptedException e) {
            // the node is being stopped: no state transfer, and nothing serves
            Thread.currentThread().interrupt();
            return;
        }
        super.getAllClusterSessions();
    }

    @Override
    protected void handleALL_SESSION_TRANSFERCOMPLETE(SessionMessage msg, Member sender) {
        super.handleALL_SESSION_TRANSFERCOMPLETE(msg, sender);
        Pull done = pulls.remove(sender);
        if (done != null && done.again()) {
            pullSessionsFrom(sender);
        }
    }

    /**
     * A changed session's change is queued for group commit ({@link GroupCommit}) and the valve gets
     * a {@link QueuedChange} to wait on. The manager always runs under a {@link ReplicatingCluster}
     * ({@link SessionReplication}).
     */
    @Override
    public ClusterMessage requestCompleted(String sessionId, boolean expires) {
        try {
            if (findSession(sessionId) instanceof VersionedSession session) {
                long now = System.currentTimeMillis();
                GroupCommit groupCommit = ((ReplicatingCluster) getCluster()).groupCommit();
                ClusterMessage msg = session.takeChange(nodeName, change -> new QueuedChange(sessionId, now,
                        groupCommit.enqueue(new DeltaBatch.Change(getName(), sessionId,
                                VersionedDelta.encode(change)))));
                if (msg != null) {
                    if (!expires) {
                        session.setPrimarySession(true);
                    }
                    session.setLastTimeReplicated(now);
                    msg.setTimestamp(now);
                    return msg;
                }
            }
        } catch (IOException e) {
            LOG.error("Could not serialize the change of session {} of {} on {}", sessionId, getName(), nodeName, e);
            return null;
        }
        return super.requestCompleted(sessionId, expires);
    }

    @Override
    protected void handleSESSION_DELTA(SessionMessage msg, Member sender) throws IOException, ClassNotFoundException {
        VersionedSession.Change change = VersionedDelta.decode(msg.getSession());
        if (change == null) {
            super.handleSESSION_DELTA(msg, sender);
            return;
        }
        Session found = findSession(msg.getSessionID());
        if (!(found instanceof VersionedSession session)) {
            LOG.debug("{}: change of unknown session {} of {} from {}: fetching its sessions", nodeName,
                    msg.getSessionID(), getName(), sender.getName());
            pullSessionsFrom(sender);
            return;
        }
        VersionedSession.Applied applied = session.apply(change);
        if (applied == VersionedSession.Applied.MISSING_EARLIER_CHANGES) {
            LOG.debug("{}: change {} of session {} of {} from {} follows {}, this node holds {}: fetching its sessions",
                    nodeName, change.next(), msg.getSessionID(), getName(), sender.getName(), change.base(),
                    session.version());
            pullSessionsFrom(sender);
        } else if (applied == VersionedSession.Applied.ALREADY_NEWER) {
            counters.staleCopyKept();
        }
    }

    /** A creation for a session this node already holds (sent twice, or fetched first) changes nothing. */
    @Override
    protected void handleSESSION_CREATED(SessionMessage msg, Member sender) {
        try {
            if (findSession(msg.getSessionID()) != null) {
                return;
            }
        } catch (IOException e) {
            return;
        }
        super.handleSESSION_CREATED(msg, sender);
    }

    /**
     * Tomcat's state transfer replaces every session it receives; this one keeps the newer copy of
     * each and counts and logs a session changed on both sides.
     */
    @Override
    protected void deserializeSessions(byte[] data) throws ClassNotFoundException, IOException {
        try (ObjectInputStream ois = getReplicationStream(data)) {
            int n = (Integer) ois.readObject();
            for (int i = 0; i < n; i++) {
                VersionedSession incoming = (VersionedSession) createEmptySession();
                incoming.readObjectData(ois);
                incoming.setManager(this);
                incoming.becomeReplica();
                merge(incoming);
            }
        }
    }

    private void merge(VersionedSession incoming) throws IOException {
        synchronized (mergeLock) {
            mergeLocked(incoming);
        }
    }

    private void mergeLocked(VersionedSession incoming) throws IOException {
        String id = incoming.getIdInternal();
        Session local = findSession(id);
        if (local instanceof VersionedSession mine) {
            SessionVersion have = mine.version();
            SessionVersion got = incoming.version();
            boolean keepMine = have.compareTo(got) >= 0;
            if (have.concurrentWith(got)) {
                counters.sessionConflict();
                LOG.warn("{}: session {} of {} was changed on both sides of a partition ({} here, {} fetched): "
                        + "the later change wins, {}", nodeName, id, getName(), have, got,
                        keepMine ? "this node's copy" : "the fetched copy");
            }
            if (keepMine) {
                if (!have.equals(got)) {
                    counters.staleCopyKept();
                }
                return;
            }
            add(incoming);
            return;
        }
        add(incoming);
        if (isNotifySessionListenersOnReplication()) {
            incoming.tellNew();
        }
    }

    /**
     * Returning true for a value that is not serializable keeps it from being quietly kept on this
     * node only: StandardSession then refuses it with the IllegalArgumentException.
     */
    @Override
    public boolean willAttributeDistribute(String name, Object value) {
        if (value != null && !(value instanceof Serializable) && lastRefused() != value) {
            LAST_REFUSED.set(new WeakReference<>(value));
            counters.notSerializable();
            LOG.warn("Session attribute '{}' of {} is not serializable: refused (webapp {})", name,
                    value.getClass().getName(), getName());
        }
        return super.willAttributeDistribute(name, value);
    }

    private static Object lastRefused() {
        WeakReference<Object> ref = LAST_REFUSED.get();
        return ref == null ? null : ref.get();
    }

    @Override
    protected void startInternal() throws LifecycleException {
        pullSender = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "session-pull-" + getName());
            t.setDaemon(true);
            t.setContextClassLoader(ReplicatingDeltaManager.class.getClassLoader());
            return t;
        });
        super.startInternal();
    }

    @Override
    protected void stopInternal() throws LifecycleException {
        super.stopInternal();
        ExecutorService sender = pullSender;
        if (sender != null) {
            sender.shutdownNow();
        }
        pulls.clear();
    }

    @Override
    public ClusterManager cloneFromTemplate() {
        ReplicatingDeltaManager copy = new ReplicatingDeltaManager(nodeName, counters);
        clone(copy);
        copy.setExpireSessionsOnShutdown(isExpireSessionsOnShutdown());
        copy.setNotifySessionListenersOnReplication(isNotifySessionListenersOnReplication());
        copy.setNotifyContainerListenersOnReplication(isNotifyContainerListenersOnReplication());
        copy.setStateTransferTimeout(getStateTransferTimeout());
        copy.setSendAllSessions(isSendAllSessions());
        copy.setSendAllSessionsSize(getSendAllSessionsSize());
        copy.setSendAllSessionsWaitTime(getSendAllSessionsWaitTime());
        copy.setStateTimestampDrop(isStateTimestampDrop());
        return copy;
    }
}
