package io.herdcat.config;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The secret every AJP request must carry, and where it came from: set explicitly (so an existing
 * mod_jk front keeps working), derived from the cluster secret (every node agrees without further
 * configuration), or generated for this start (nothing outside can forward to the node).
 */
public record AjpSecret(String value, Source source) {
    public enum Source { CONFIGURED, DERIVED, GENERATED }

    public AjpSecret {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("empty AJP secret");
        }
    }

    static AjpSecret derivedFrom(String clusterSecret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(clusterSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] digest = mac.doFinal("herdcat/ajp-secret".getBytes(StandardCharsets.UTF_8));
            return new AjpSecret(HexFormat.of().formatHex(digest), Source.DERIVED);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
        }
    }

    static AjpSecret generated() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return new AjpSecret(HexFormat.of().formatHex(bytes), Source.GENERATED);
    }

    @Override
    public String toString() {
        return "AjpSecret[" + source + "]";
    }
}
