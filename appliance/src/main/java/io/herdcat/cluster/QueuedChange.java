package io.herdcat.cluster;

import org.apache.catalina.ha.ClusterMessageBase;

/**
 * What {@link ReplicatingDeltaManager#requestCompleted} hands Tomcat's replication valve for a change
 * already queued with {@link GroupCommit}: the valve passes it to the cluster's send, where
 * {@link ReplicatingCluster} waits for the acknowledgement covering the change, or hands it to
 * {@link AcknowledgedReplicationValve} to hold the response meanwhile. It never goes on the wire itself.
 */
final class QueuedChange extends ClusterMessageBase {
    private static final long serialVersionUID = 1L;
    private final String uniqueId;
    private final transient GroupCommit.Ticket ticket;

    QueuedChange(String sessionId, long now, GroupCommit.Ticket ticket) {
        this.uniqueId = sessionId + "-" + now;
        this.ticket = ticket;
    }

    GroupCommit.Ticket ticket() {
        return ticket;
    }

    @Override
    public String getUniqueId() {
        return uniqueId;
    }
}
