package io.herdcat.config;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The one secret every node of a cluster shares. Each use gets its own key derived from it
 * (HMAC-SHA256 of a purpose label), so the AJP secret, the membership key and the replication key
 * never reveal each other or the secret itself.
 */
public final class ClusterSecret {
    static final int MIN_LENGTH = 16;
    private final byte[] secret;
    private final String origin;

    public ClusterSecret(String secret) {
        this(secret, "secret.file");
    }

    /** @param origin where the secret comes from, for log lines ("secret.file", "this host's secret …") */
    public ClusterSecret(String secret, String origin) {
        this.origin = origin;
        if (secret.length() < MIN_LENGTH) {
            throw new IllegalArgumentException("cluster secret shorter than " + MIN_LENGTH);
        }
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
    }

    public String origin() {
        return origin;
    }

    /** 32 bytes derived for {@code purpose}, the same on every node with the same secret. */
    public byte[] derive(String purpose) {
        return hmac(secret, purpose.getBytes(StandardCharsets.UTF_8));
    }

    /** HMAC-SHA256 of {@code data} under {@code key}. */
    public static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
        }
    }

    @Override
    public String toString() {
        return "ClusterSecret[***]";
    }
}
