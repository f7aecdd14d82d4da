package io.herdcat.cluster;

import java.io.Serializable;
import org.apache.catalina.ha.ClusterManager;
import org.apache.catalina.ha.session.DeltaManager;
import org.apache.catalina.tribes.Member;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tomcat's DeltaManager, plus a clear account of attributes it cannot replicate: the webapp gets the
 * servlet API's IllegalArgumentException from {@code setAttribute} (Tomcat's own check), and the node
 * logs the attribute and its class and counts it, instead of a broken replication channel later.
 */
final class ReplicatingDeltaManager extends DeltaManager {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicatingDeltaManager.class);
    /** Tomcat asks more than once per setAttribute: count a value once. */
    private static final ThreadLocal<Object> LAST_REFUSED = new ThreadLocal<>();
    private final ReplicationCounters counters;

    private volatile Member pullFrom;

    ReplicatingDeltaManager(ReplicationCounters counters) {
        this.counters = counters;
    }

    /**
     * Fetches every session that {@code member} holds: used when a member appears that this node could
     * not replicate with while both served (two nodes started at once, a healed partition). Blocks up
     * to the state-transfer timeout; changes arriving meanwhile are queued and applied after.
     */
    void pullSessionsFrom(Member member) {
        synchronized (this) {
            pullFrom = member;
            try {
                getAllClusterSessions();
            } finally {
                pullFrom = null;
            }
        }
    }

    @Override
    protected Member findSessionMasterMember() {
        Member m = pullFrom;
        return m != null ? m : super.findSessionMasterMember();
    }

    /**
     * Returning true for a value that is not serializable keeps it from being quietly kept on this
     * node only: StandardSession then refuses it with the IllegalArgumentException.
     */
    @Override
    public boolean willAttributeDistribute(String name, Object value) {
        if (value != null && !(value instanceof Serializable) && LAST_REFUSED.get() != value) {
            LAST_REFUSED.set(value);
            counters.notSerializable();
            LOG.warn("Session attribute '{}' of {} is not serializable: refused (webapp {})", name,
                    value.getClass().getName(), getName());
        }
        return super.willAttributeDistribute(name, value);
    }

    @Override
    public ClusterManager cloneFromTemplate() {
        ReplicatingDeltaManager copy = new ReplicatingDeltaManager(counters);
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
