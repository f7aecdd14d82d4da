package io.herdcat.cluster;

import io.herdcat.config.ClusterSecret;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.time.Duration;
import org.jgroups.Message;
import org.jgroups.auth.AuthToken;

/**
 * JGroups AUTH token: proof that a joiner knows the cluster secret, without sending it. The joiner
 * sends a time stamp and an HMAC of it under a key derived from the secret; the coordinator checks
 * both. A node with another secret is refused: its {@code connect()} fails with "authentication failed".
 */
public final class HmacAuthToken extends AuthToken {
    private static final int MAC_LENGTH = 32;
    /** How far apart the two nodes' clocks and the message's age may be. */
    private static final long MAX_SKEW_MILLIS = Duration.ofMinutes(10).toMillis();

    private final byte[] key;
    private long timestamp;
    private byte[] mac = new byte[0];

    /** For JGroups, which creates the remote side's token by reflection and then reads it. */
    public HmacAuthToken() {
        this.key = null;
    }

    HmacAuthToken(byte[] key) {
        this.key = key.clone();
    }

    @Override
    public String getName() {
        return HmacAuthToken.class.getName();
    }

    @Override
    public int size() {
        return Long.BYTES + Short.BYTES + MAC_LENGTH;
    }

    @Override
    public boolean authenticate(AuthToken token, Message msg) {
        if (key != null && token == this) {
            // this node's own message (a merge it leads) reaches AUTH without being serialized
            return true;
        }
        if (key == null || !(token instanceof HmacAuthToken remote) || remote.mac.length != MAC_LENGTH) {
            return false;
        }
        boolean fresh = Math.abs(System.currentTimeMillis() - remote.timestamp) <= MAX_SKEW_MILLIS;
        return fresh && MessageDigest.isEqual(macOf(remote.timestamp), remote.mac);
    }

    @Override
    public void writeTo(DataOutput out) throws IOException {
        long now = System.currentTimeMillis();
        byte[] proof = key == null ? new byte[MAC_LENGTH] : macOf(now);
        out.writeLong(now);
        out.writeShort(proof.length);
        out.write(proof);
    }

    @Override
    public void readFrom(DataInput in) throws IOException {
        timestamp = in.readLong();
        int length = in.readUnsignedShort();
        if (length > 64) {
            throw new IOException("AUTH token too long: " + length);
        }
        mac = new byte[length];
        in.readFully(mac);
    }

    private byte[] macOf(long time) {
        return ClusterSecret.hmac(key, ByteBuffer.allocate(Long.BYTES).putLong(time).array());
    }
}
