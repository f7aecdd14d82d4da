package io.herdcat.cluster;

import io.herdcat.cluster.RejectedMessages.Reason;
import io.herdcat.config.ClusterSecret;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.jgroups.Address;
import org.jgroups.BytesMessage;
import org.jgroups.Message;
import org.jgroups.stack.Protocol;
import org.jgroups.util.ByteArray;
import org.jgroups.util.FastArray;
import org.jgroups.util.MessageBatch;
import org.jgroups.util.Util;

/**
 * Seals every message of the membership channel, just above the transport: the whole message (headers
 * of every protocol, flags, sender, destination and payload) is serialized and encrypted with AES-GCM,
 * which also authenticates it, together with the cluster name, a per-sender sequence number and the
 * time it was sealed. A receiver drops — counts, and logs rate-limited — what fails the tag (altered or
 * forged), what another key sealed or nobody sealed (foreign), a sequence number it already saw from
 * that sender and anything sealed more than {@link #MAX_AGE_MILLIS} ago or ahead (replayed).
 *
 * <p>Wire format of the payload: {@code 'H' 'S'}, format version (1 byte), key id (8 bytes: which
 * secret sealed it), nonce (12 bytes), then the ciphertext of {@code seq (8) | sealedAt millis (8) |
 * sealer's address (length 2, address) | the message} with its 16-byte tag. Sequence numbers count per
 * sealer (a node may forward a message on behalf of another, e.g. a retransmission). The cluster name is authenticated, not sent.
 */
final class MessageSeal extends Protocol {
    static final byte VERSION = 1;
    /** How far a sender's clock and a message's age may be off; also how long replay state must outlive a sender. */
    static final long MAX_AGE_MILLIS = 5 * 60_000L;
    /** Replay state is kept for this many senders at most (only holders of the key create any). */
    static final int MAX_SENDERS = 4096;
    private static final int HEADER = 2 + 1 + 8 + 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Sequence numbers of one sealing node that may arrive out of order (JGroups retransmits). */
    private static final int REPLAY_WINDOW = 1024;

    private final SecretKeySpec key;
    private final byte[] keyId;
    private final byte[] clusterName;
    private final RejectedMessages rejected;
    private final SecretMismatchDetector mismatch;
    private final AtomicLong sequence = new AtomicLong();
    private final Map<Address, Window> windows = new LinkedHashMap<>(64, 0.75f, true);

    MessageSeal(ClusterSecret secret, String cluster, RejectedMessages rejected, SecretMismatchDetector mismatch) {
        this.key = new SecretKeySpec(secret.derive("herdcat/jgroups-seal"), "AES");
        this.keyId = Arrays.copyOf(secret.derive("herdcat/jgroups-seal-id"), 8);
        this.clusterName = cluster.getBytes(StandardCharsets.UTF_8);
        this.rejected = rejected;
        this.mismatch = mismatch;
    }

    @Override
    public Object down(Message msg) {
        if (msg.getSrc() == null) {
            msg.setSrc(local_addr);
        }
        Message sealed = new BytesMessage(msg.getDest(), seal(msg)).setFlag(msg.getFlags(), false);
        sealed.setSrc(msg.getSrc());
        if (msg.isFlagSet(Message.TransientFlag.DONT_LOOPBACK)) {
            sealed.setFlag(Message.TransientFlag.DONT_LOOPBACK);
        }
        return down_prot.down(sealed);
    }

    @Override
    public Object up(Message msg) {
        Message inner = unseal(msg.getSrc(), msg);
        return inner == null ? null : up_prot.up(inner);
    }

    @Override
    public void up(MessageBatch batch) {
        @SuppressWarnings("unchecked")
        FastArray<Message>.FastIterator it = (FastArray<Message>.FastIterator) batch.iterator();
        while (it.hasNext()) {
            Message outer = it.next();
            Message inner = unseal(outer.getSrc() != null ? outer.getSrc() : batch.sender(), outer);
            if (inner == null) {
                it.remove();
            } else {
                it.replace(inner);
            }
        }
        if (!batch.isEmpty()) {
            up_prot.up(batch);
        }
    }

    private byte[] seal(Message msg) {
        try {
            ByteArray body = Util.messageToBuffer(msg);
            byte[] nonce = new byte[12];
            RANDOM.nextBytes(nonce);
            ByteBuffer header = ByteBuffer.allocate(HEADER).put((byte) 'H').put((byte) 'S').put(VERSION).put(keyId)
                    .put(nonce);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(header.array());
            cipher.updateAAD(clusterName);
            Address sealer = local_addr != null ? local_addr : msg.getSrc();
            org.jgroups.util.ByteArrayDataOutputStream a = new org.jgroups.util.ByteArrayDataOutputStream(32);
            Util.writeAddress(sealer, a);
            byte[] sealerBytes = Arrays.copyOf(a.buffer(), a.position());
            byte[] plain = ByteBuffer.allocate(18 + sealerBytes.length + body.getLength())
                    .putLong(sequence.incrementAndGet()).putLong(System.currentTimeMillis())
                    .putShort((short) sealerBytes.length).put(sealerBytes)
                    .put(body.getArray(), body.getOffset(), body.getLength()).array();
            byte[] out = Arrays.copyOf(header.array(), HEADER + cipher.getOutputSize(plain.length));
            cipher.doFinal(plain, 0, plain.length, out, HEADER);
            return out;
        } catch (Exception e) {
            throw new IllegalStateException("cannot seal a cluster message", e);
        }
    }

    /** The message inside, or null (counted and logged) when it must not go up. */
    private Message unseal(Address sender, Message msg) {
        byte[] data = msg.getArray();
        int offset = msg.getOffset();
        int length = msg.getLength();
        if (data == null || length < HEADER + TAG_BITS / 8 + 16 || data[offset] != 'H' || data[offset + 1] != 'S') {
            rejected.reject(Reason.FOREIGN, sender, "not sealed with a cluster secret");
            mismatch.notSealed(sender);
            return null;
        }
        if (data[offset + 2] != VERSION) {
            rejected.reject(Reason.UNREADABLE, sender, "sealed in format " + data[offset + 2] + "; this node reads "
                    + VERSION + " (another Herdcat version)");
            return null;
        }
        if (!MessageDigest.isEqual(keyId, Arrays.copyOfRange(data, offset + 3, offset + 11))) {
            rejected.reject(Reason.FOREIGN, sender, "sealed with another cluster secret");
            mismatch.anotherSecret(sender);
            return null;
        }
        byte[] plain;
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, data, offset + 11, 12));
            cipher.updateAAD(data, offset, HEADER);
            cipher.updateAAD(clusterName);
            plain = cipher.doFinal(data, offset + HEADER, length - HEADER);
        } catch (GeneralSecurityException e) {
            rejected.reject(Reason.MODIFIED, sender, "authentication tag does not match (altered or forged)");
            return null;
        }
        Message inner;
        Address sealer;
        ByteBuffer b = ByteBuffer.wrap(plain);
        long seq = b.getLong();
        long sealedAt = b.getLong();
        try {
            int sealerLength = b.getShort();
            sealer = Util.readAddress(new org.jgroups.util.ByteArrayDataInputStream(plain, 18, sealerLength));
            int at = 18 + sealerLength;
            inner = Util.messageFromBuffer(plain, at, plain.length - at);
        } catch (Exception e) {
            rejected.reject(Reason.UNREADABLE, sender, "authentic but unreadable: " + e);
            return null;
        }
        Address src = inner.getSrc();
        if (src == null || (sender != null && !sender.equals(src))) {
            rejected.reject(Reason.MODIFIED, sender, "sealed by " + src + " but sent as " + sender);
            return null;
        }
        long now = System.currentTimeMillis();
        if (Math.abs(now - sealedAt) > MAX_AGE_MILLIS) {
            rejected.reject(Reason.REPLAYED, src, "sealed " + (now - sealedAt) + " ms ago (clocks more than "
                    + MAX_AGE_MILLIS / 1000 + " s apart, or a replay)");
            return null;
        }
        if (!firstTime(sealer, seq, now)) {
            rejected.reject(Reason.REPLAYED, src, "sequence number " + seq + " of " + sealer + " already received");
            return null;
        }
        return inner;
    }

    private boolean firstTime(Address src, long seq, long now) {
        synchronized (windows) {
            Window w = windows.get(src);
            if (w == null) {
                expire(now);
                w = new Window();
                windows.put(src, w);
            }
            w.lastMillis = now;
            return w.replay.accept(seq);
        }
    }

    /** Forgets senders silent for longer than any message of theirs stays acceptable, and the eldest beyond the cap. */
    private void expire(long now) {
        Iterator<Window> it = windows.values().iterator();
        while (it.hasNext()) {
            Window w = it.next();
            if (windows.size() >= MAX_SENDERS || now - w.lastMillis > 2 * MAX_AGE_MILLIS + 60_000) {
                it.remove();
            } else {
                break;
            }
        }
    }

    int trackedSenders() {
        synchronized (windows) {
            return windows.size();
        }
    }

    private static final class Window {
        final ReplayWindow replay = new ReplayWindow(REPLAY_WINDOW);
        long lastMillis;
    }
}
