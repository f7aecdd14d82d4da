package io.herdcat.cluster;

import java.io.Serializable;
import org.apache.catalina.ha.ClusterManager;
import org.apache.catalina.ha.session.DeltaManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tomcat's DeltaManager, plus a clear account of attributes it cannot replicate: the webapp still
 * gets the servlet API's IllegalArgumentException from {@code setAttribute}, and the node logs the
 * attribute and its class and counts it, instead of a broken replication channel later.
 */
final class ReplicatingDeltaManager extends DeltaManager {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicatingDeltaManager.class);
    private final ReplicationCounters counters;

    ReplicatingDeltaManager(ReplicationCounters counters) {
        this.counters = counters;
    }

    @Override
    public boolean willAttributeDistribute(String name, Object value) {
        boolean ok = super.willAttributeDistribute(name, value);
        if (!ok || (value != null && !(value instanceof Serializable))) {
            counters.notSerializable();
            LOG.warn("Session attribute '{}' of {} is not serializable: refused (webapp {})", name,
                    value == null ? "null" : value.getClass().getName(), getName());
            return false;
        }
        return true;
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
