package io.herdcat.cluster;

import java.io.IOException;
import java.io.Serializable;
import java.util.List;
import java.util.function.Consumer;
import org.apache.catalina.ha.ClusterMessage;
import org.apache.catalina.ha.session.SessionMessage;
import org.apache.catalina.ha.session.SessionMessageImpl;
import org.apache.catalina.tribes.ByteMessage;
import org.apache.catalina.tribes.ChannelListener;
import org.apache.catalina.tribes.Member;
import org.apache.catalina.tribes.RemoteProcessException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes a {@link DeltaBatch} off the channel and hands its changes, one by one and in order, to the
 * cluster's listeners as the session-change messages Tomcat's managers expect. It runs on Tribes'
 * receiving thread before the acknowledgement is written, so the sender hears back only after every
 * change in the message was applied (or queued by a manager still loading its sessions). A message
 * that cannot be read is counted, logged, and answered with a negative acknowledgement, which fails
 * the sender's requests instead of passing for delivered.
 */
final class DeltaBatchReceiver implements ChannelListener {
    private static final Logger LOG = LoggerFactory.getLogger(DeltaBatchReceiver.class);
    private final String nodeName;
    private final Consumer<ClusterMessage> deliver;
    private final ReplicationCounters counters;

    DeltaBatchReceiver(String nodeName, Consumer<ClusterMessage> deliver, ReplicationCounters counters) {
        this.nodeName = nodeName;
        this.deliver = deliver;
        this.counters = counters;
    }

    @Override
    public boolean accept(Serializable msg, Member sender) {
        return msg instanceof ByteMessage bytes && DeltaBatch.isBatch(bytes.getMessage());
    }

    @Override
    public void messageReceived(Serializable msg, Member sender) {
        List<DeltaBatch.Change> changes;
        try {
            changes = DeltaBatch.decode(((ByteMessage) msg).getMessage());
        } catch (IOException e) {
            counters.messageDropped();
            LOG.warn("{}: unreadable batch of session changes from {}: {}", nodeName, sender.getName(),
                    e.getMessage());
            throw new RemoteProcessException("unreadable batch of session changes: " + e.getMessage());
        }
        long now = System.currentTimeMillis();
        for (DeltaBatch.Change c : changes) {
            SessionMessageImpl change = new SessionMessageImpl(c.context(), SessionMessage.EVT_SESSION_DELTA,
                    c.body(), c.sessionId(), c.sessionId() + "-" + now);
            change.setAddress(sender);
            change.setTimestamp(now);
            deliver.accept(change);
        }
    }
}
