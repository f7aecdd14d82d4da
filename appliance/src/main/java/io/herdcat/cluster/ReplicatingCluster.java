package io.herdcat.cluster;

import jakarta.servlet.ServletException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.ha.ClusterMessage;
import org.apache.catalina.tribes.ChannelException;
import org.apache.catalina.tribes.Member;
import org.apache.catalina.tribes.group.GroupChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tomcat's cluster (its managers' state transfers gated on the view, {@link ViewGatedCluster}) with
 * group commit for session changes: a change the manager queued
 * ({@link QueuedChange}) is not sent on its own; it goes out together with the changes of concurrent
 * requests ({@link GroupCommit}), and its request's response waits until that message has been
 * acknowledged: held in the connector ({@link AcknowledgedReplicationValve}), or on its thread here.
 * Those messages are read back by {@link DeltaBatchReceiver}. Every other message (session creation,
 * expiry, state transfer) goes through Tomcat's send as before. A failed send is logged and counted,
 * as Tomcat's own send does.
 */
final class ReplicatingCluster extends ViewGatedCluster {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicatingCluster.class);
    private final String nodeName;
    private final GroupCommit groupCommit;
    /** The changes queued by this thread's request while its valve defers their acknowledgements. */
    private static final ThreadLocal<List<GroupCommit.Ticket>> DEFERRED = new ThreadLocal<>();

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

    /**
     * Runs {@code work} with the waits for acknowledgements it would do deferred: the changes it queues
     * are returned, for the caller to wait on ({@link #acknowledged}) or to be called back on.
     */
    List<GroupCommit.Ticket> deferringAcknowledgements(ThrowingRunnable work) throws IOException, ServletException {
        List<GroupCommit.Ticket> deferred = new ArrayList<>(2);
        DEFERRED.set(deferred);
        try {
            work.run();
        } finally {
            DEFERRED.remove();
        }
        return deferred;
    }

    /** What {@link #deferringAcknowledgements} runs: a valve's work. */
    interface ThrowingRunnable {
        void run() throws IOException, ServletException;
    }

    /** Waits on this thread for a change's acknowledgement; a change not acknowledged is logged. */
    void acknowledged(GroupCommit.Ticket ticket) {
        try {
            groupCommit.await(ticket);
        } catch (ChannelException e) {
            notAcknowledged(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.error("{}: interrupted while waiting for the acknowledgement of a session change", nodeName);
        }
    }

    void notAcknowledged(ChannelException e) {
        LOG.error("{}: session change not acknowledged by every member: {}", nodeName, e.getMessage());
    }

    @Override
    protected void stopInternal() throws LifecycleException {
        super.stopInternal();
        groupCommit.close();
    }

    @Override
    public void send(ClusterMessage msg, Member dest, int sendOptions) {
        if (!(msg instanceof QueuedChange queued)) {
            super.send(msg, dest, sendOptions);
            return;
        }
        List<GroupCommit.Ticket> deferred = DEFERRED.get();
        if (deferred != null) {
            deferred.add(queued.ticket());
            return;
        }
        acknowledged(queued.ticket());
    }
}
