package io.herdcat.cluster;

import io.herdcat.cluster.RejectedMessages.Reason;
import io.herdcat.config.ClusterSecret;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jgroups.Address;
import org.jgroups.Message;
import org.jgroups.auth.AuthToken;
import org.jgroups.util.Util;

/**
 * JGroups AUTH token: proof that a joiner knows the cluster secret, without sending it. The joiner sends
 * the time, a random nonce and an HMAC of both and of its own address under a key derived from the
 * secret. The coordinator accepts a token only from the address it names, within
 * {@link MessageSeal#MAX_AGE_MILLIS} of its clock, and only once: it remembers the nonces it accepted for
 * as long as they would be fresh. A node with another secret is refused: its {@code connect()} fails with
 * "authentication failed".
 */
public final class HmacAuthToken extends AuthToken {
    private static final int MAC_LENGTH = 32;
    private static final int NONCE_LENGTH = 16;
    /** Nonces remembered at most; joins are rare, so a full cache means someone is flooding: refuse. */
    static final int MAX_REMEMBERED = 10_000;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] key;
    private final RejectedMessages rejected;
    private final Map<String, Long> usedNonces = new LinkedHashMap<>();
    private long timestamp;
    private byte[] nonce = new byte[0];
    private byte[] mac = new byte[0];
    private Address sender;

    /** For JGroups, which creates the remote side's token by reflection and then reads it. */
    public HmacAuthToken() {
        this.key = null;
        this.rejected = null;
    }

    HmacAuthToken(byte[] key, RejectedMessages rejected) {
        this.key = key.clone();
        this.rejected = rejected;
    }

    @Override
    public String getName() {
        return HmacAuthToken.class.getName();
    }

    @Override
    public int size() {
        return Long.BYTES + 1 + NONCE_LENGTH + 2 + MAC_LENGTH;
    }

    @Override
    public boolean authenticate(AuthToken token, Message msg) {
        if (key != null && token == this) {
            // this node's own message (a merge it leads) reaches AUTH without being serialized
            return true;
        }
        String why = check(token, msg.getSrc(), System.currentTimeMillis());
        if (why != null && rejected != null) {
            rejected.reject(Reason.AUTH_REFUSED, msg.getSrc(), why);
        }
        return why == null;
    }

    /** Null when the token is valid for {@code from} at {@code now} (and then it is used up), else why not. */
    String check(AuthToken token, Address from, long now) {
        if (key == null || !(token instanceof HmacAuthToken remote) || remote.mac.length != MAC_LENGTH
                || remote.nonce.length != NONCE_LENGTH) {
            return "no valid AUTH token";
        }
        if (Math.abs(now - remote.timestamp) > MessageSeal.MAX_AGE_MILLIS) {
            return "AUTH token of " + (now - remote.timestamp) + " ms ago";
        }
        if (from == null || !MessageDigest.isEqual(macOf(from, remote.timestamp, remote.nonce), remote.mac)) {
            return "AUTH token not made by " + from + " with this cluster's secret";
        }
        String id = HexFormat.of().formatHex(remote.nonce);
        synchronized (usedNonces) {
            Iterator<Long> it = usedNonces.values().iterator();
            while (it.hasNext() && now - it.next() > 2 * MessageSeal.MAX_AGE_MILLIS) {
                it.remove();
            }
            if (usedNonces.containsKey(id)) {
                return "AUTH token already used";
            }
            if (usedNonces.size() >= MAX_REMEMBERED) {
                return "too many joins within " + 2 * MessageSeal.MAX_AGE_MILLIS / 1000 + " s";
            }
            usedNonces.put(id, now);
        }
        return null;
    }

    @Override
    public void writeTo(DataOutput out) throws IOException {
        long now = System.currentTimeMillis();
        byte[] fresh = new byte[NONCE_LENGTH];
        RANDOM.nextBytes(fresh);
        Address me = sender != null ? sender : auth == null ? null : auth.getAddress();
        byte[] proof = key == null || me == null ? new byte[MAC_LENGTH] : macOf(me, now, fresh);
        out.writeLong(now);
        out.writeByte(fresh.length);
        out.write(fresh);
        out.writeShort(proof.length);
        out.write(proof);
    }

    @Override
    public void readFrom(DataInput in) throws IOException {
        timestamp = in.readLong();
        int n = in.readUnsignedByte();
        if (n > 64) {
            throw new IOException("AUTH nonce too long: " + n);
        }
        nonce = new byte[n];
        in.readFully(nonce);
        int length = in.readUnsignedShort();
        if (length > 64) {
            throw new IOException("AUTH token too long: " + length);
        }
        mac = new byte[length];
        in.readFully(mac);
    }

    /** For tests: the address this token is made for when no AUTH protocol is attached. */
    HmacAuthToken madeBy(Address address) {
        this.sender = address;
        return this;
    }

    private byte[] macOf(Address from, long time, byte[] n) {
        try {
            byte[] address = Util.streamableToByteBuffer(from);
            ByteBuffer data = ByteBuffer.allocate(5 + address.length + Long.BYTES + n.length);
            data.put("join:".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).put(address).putLong(time).put(n);
            return ClusterSecret.hmac(key, data.array());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
