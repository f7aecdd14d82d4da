package io.herdcat.cluster;

import java.io.Serializable;
import org.apache.catalina.ha.ClusterManager;
import org.apache.catalina.ha.session.DeltaManager;
import org.apache.catalina.ha.session.SessionMessage;
import org.apache.catalina.ha.session.SessionMessageImpl;
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

    ReplicatingDeltaManager(ReplicationCounters counters) {
        this.counters = counters;
    }

    /**
     * Asks {@code member} for every session it holds, which arrive and are added like a start-up state
     * transfer: used when a member appears that this node could not replicate with while both served
     * (two nodes started at once, a healed partition). Unlike the start-up transfer this does not
     * enter DeltaManager's sync phase, in which two nodes asking each other at once would drop each
     * other's request and both wait for the state-transfer timeout.
     */
    void pullSessionsFrom(Member member) {
        SessionMessage ask = new SessionMessageImpl(getName(), SessionMessage.EVT_GET_ALL_SESSIONS, null, "GET-ALL",
                "GET-ALL-" + getName());
        ask.setTimestamp(System.currentTimeMillis());
        getCluster().send(ask, member);
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
