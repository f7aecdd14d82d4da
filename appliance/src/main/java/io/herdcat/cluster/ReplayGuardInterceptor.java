package io.herdcat.cluster;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.catalina.tribes.ChannelException;
import org.apache.catalina.tribes.ChannelMessage;
import org.apache.catalina.tribes.Member;
import org.apache.catalina.tribes.RemoteProcessException;
import org.apache.catalina.tribes.group.ChannelInterceptorBase;
import org.apache.catalina.tribes.group.InterceptorPayload;
import org.apache.catalina.tribes.io.XByteBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drops replayed replication messages and messages from nodes that are not members. The sender puts
 * its member id, a sequence number of its own and the ids of the members it sends to in front of
 * the payload; placed above the EncryptInterceptor, these bytes are covered by AES-GCM's
 * authentication, so they cannot be changed without the cluster secret. A receiver accepts a message
 * only from a member of the current view (waiting briefly for the record of a node that just
 * joined), addressed to itself, and only once per sequence number
 * ({@link ReplayWindow}); anything else is counted and logged (at most once per ten seconds). A
 * message refused as not from a member gets a negative acknowledgement, so a synchronous send to
 * this node fails instead of passing for delivered; a repeated one is acknowledged, as its first copy
 * was. A message refused further up (answered with a negative acknowledgement) is not remembered, so
 * the sender's retry is refused or taken on its own merits instead of passing for a repeat.
 */
final class ReplayGuardInterceptor extends ChannelInterceptorBase {
    private static final Logger LOG = LoggerFactory.getLogger(ReplayGuardInterceptor.class);
    private static final int ID = 16;
    private static final int MAX_SENDERS = 256;
    private static final long LOG_EVERY_MILLIS = 10_000;
    /** How long a message from a node this node has no record of yet waits for the record. */
    private static final long RECORD_WAIT_MILLIS = 3_000;
    /** Tribes sends over several connections at once: numbers this far apart may arrive out of order. */
    private static final int REPLAY_WINDOW = 4096;

    private final String nodeName;
    private final TribesMembershipBridge members;
    private final ReplicationCounters counters;
    private final AtomicLong sequence = new AtomicLong();
    /** Windows by sender id; a restarted node has a new id, so the oldest are forgotten beyond a bound. */
    private final Map<String, ReplayWindow> windows = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, ReplayWindow> eldest) {
            return size() > MAX_SENDERS;
        }
    };
    private final AtomicLong lastLog = new AtomicLong();
    private final AtomicLong unlogged = new AtomicLong();

    ReplayGuardInterceptor(String nodeName, TribesMembershipBridge members, ReplicationCounters counters) {
        this.nodeName = nodeName;
        this.members = members;
        this.counters = counters;
    }

    @Override
    public void sendMessage(Member[] destination, ChannelMessage msg, InterceptorPayload payload)
            throws ChannelException {
        byte[] self = getLocalMember(false).getUniqueId();
        ByteBuffer header = ByteBuffer.allocate(ID + 8 + 2 + ID * destination.length);
        header.put(self).putLong(sequence.incrementAndGet()).putShort((short) destination.length);
        for (Member m : destination) {
            header.put(m.getUniqueId());
        }
        XByteBuffer buffer = msg.getMessage();
        byte[] body = buffer.getBytes();
        buffer.clear();
        buffer.append(header.array(), 0, header.capacity());
        buffer.append(body, 0, body.length);
        super.sendMessage(destination, msg, payload);
    }

    @Override
    public void messageReceived(ChannelMessage msg) {
        XByteBuffer buffer = msg.getMessage();
        ByteBuffer in = ByteBuffer.wrap(buffer.getBytesDirect(), 0, buffer.getLength());
        if (in.remaining() < ID + 8 + 2) {
            refuse(msg, "too short");
            return;
        }
        byte[] sender = new byte[ID];
        in.get(sender);
        long seq = in.getLong();
        int count = in.getShort() & 0xffff;
        if (in.remaining() < count * ID) {
            refuse(msg, "too short");
            return;
        }
        byte[] self = getLocalMember(false).getUniqueId();
        boolean toMe = false;
        byte[] to = new byte[ID];
        for (int i = 0; i < count; i++) {
            in.get(to);
            toMe |= Arrays.equals(to, self);
        }
        if (!Arrays.equals(sender, msg.getAddress().getUniqueId()) || !isMember(sender)) {
            refuse(msg, "not from a member");
            return;
        }
        if (!toMe) {
            refuse(msg, "addressed to another member");
            return;
        }
        ReplayWindow window;
        synchronized (windows) {
            window = windows.computeIfAbsent(HexFormat.of().formatHex(sender), k -> new ReplayWindow(REPLAY_WINDOW));
        }
        if (!window.accept(seq)) {
            drop(msg, "replayed (sequence " + seq + ")");
            return;
        }
        byte[] body = Arrays.copyOfRange(in.array(), in.position(), buffer.getLength());
        buffer.clear();
        buffer.append(body, 0, body.length);
        try {
            super.messageReceived(msg);
        } catch (RuntimeException e) {
            // refused above (negative acknowledgement): the sender's retry is not a replay of a message taken
            window.forget(seq);
            throw e;
        }
    }

    private boolean isMember(byte[] sender) {
        try {
            return members.awaitKnownMember(sender, RECORD_WAIT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Drops the message and answers the sender with a negative acknowledgement: it was not taken. */
    private void refuse(ChannelMessage msg, String why) {
        drop(msg, why);
        throw new RemoteProcessException(why);
    }

    /** Drops the message; a repeated message is still acknowledged, as its first copy was. */
    private void drop(ChannelMessage msg, String why) {
        counters.messageDropped();
        long now = System.currentTimeMillis();
        long last = lastLog.get();
        if (now - last >= LOG_EVERY_MILLIS && lastLog.compareAndSet(last, now)) {
            LOG.warn("{}: dropped a replication message claiming to be from {}: {} ({} more dropped unlogged before)",
                    nodeName, msg.getAddress() == null ? "?" : msg.getAddress().getName(), why, unlogged.getAndSet(0));
        } else {
            unlogged.incrementAndGet();
        }
    }
}
