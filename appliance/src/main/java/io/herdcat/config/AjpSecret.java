package io.herdcat.config;

import java.security.SecureRandom;
import java.util.HexFormat;

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

    static AjpSecret derivedFrom(ClusterSecret clusterSecret) {
        return new AjpSecret(HexFormat.of().formatHex(clusterSecret.derive("herdcat/ajp-secret")), Source.DERIVED);
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
