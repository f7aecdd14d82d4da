package io.herdcat.cluster;

import org.apache.catalina.ha.ClusterMessage;
import org.apache.catalina.tribes.ChannelException;
import org.apache.catalina.tribes.Member;
import org.apache.catalina.tribes.group.GroupChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tomcat's cluster (its managers' state transfers gated on the view, {@link ViewGatedCluster}) with
 * group commit for session changes: a change the manager queued
 * ({@link QueuedChange}) is not sent on its own; the request thread waits until the message holding
 * it, together with the changes of concurrent requests, has been acknowledged ({@link GroupCommit}).
 * Those messages are read back by {@link DeltaBatchReceiver}. Every other message (session creation,
 * expiry, state transfer) goes through Tomcat's send as before. A failed send is logged and counted,
 * as Tomcat's own send does.
 */
final class ReplicatingCluster extends ViewGatedCluster {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicatingCluster.class);
    private final String nodeName;
    private final GroupCommit groupCommit;

    ReplicatingCluster(GroupChannel channel, int sendOptions, String nodeName, ReplicationCounters counters,
                       ViewGate viewGate) {
        super(viewGate);
        this.nodeName = nodeName;
        setChannel(channel);
        setChannelSendOptions(sendOptions);
        this.groupCommit = new GroupCommit(channel, sendOptions, counters);
        channel.addChannelListener(new DeltaBatchReceiver(nodeName, this::messageReceived, counters));
    }

    GroupCommit groupCommit() {
        return groupCommit;
    }

    @Override
    public void send(ClusterMessage msg, Member dest, int sendOptions) {
        if (!(msg instanceof QueuedChange queued)) {
            super.send(msg, dest, sendOptions);
            return;
        }
        try {
            groupCommit.await(queued.ticket());
        } catch (ChannelException e) {
            LOG.error("{}: session change {} not acknowledged by every member: {}", nodeName, msg.getUniqueId(),
                    e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.error("{}: interrupted while waiting for the acknowledgement of session change {}", nodeName,
                    msg.getUniqueId());
        }
    }
}
