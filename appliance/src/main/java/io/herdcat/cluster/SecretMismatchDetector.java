package io.herdcat.cluster;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.SecretKey;
import org.jgroups.Address;
import org.jgroups.Message;
import org.jgroups.conf.ClassConfigurator;
import org.jgroups.protocols.EncryptHeader;
import org.jgroups.protocols.SYM_ENCRYPT;
import org.jgroups.stack.Protocol;
import org.jgroups.util.MessageBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sits where SYM_ENCRYPT is (or would be) and says, once per sender, why a node cannot be part of
 * this cluster: its traffic is encrypted with another secret, or with one while this node has none,
 * or not at all. SYM_ENCRYPT itself drops such messages without a word a user could act on.
 */
final class SecretMismatchDetector extends Protocol {
    private static final Logger LOG = LoggerFactory.getLogger(SecretMismatchDetector.class);
    private final byte[] version;
    private final short encryptId = ClassConfigurator.getProtocolId(SYM_ENCRYPT.class);
    private final Set<Address> reported = ConcurrentHashMap.newKeySet();

    /** @param key this node's encryption key, or null when it has no cluster secret */
    SecretMismatchDetector(SecretKey key) {
        try {
            this.version = key == null ? null : MessageDigest.getInstance("MD5").digest(key.getEncoded());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public Object up(Message msg) {
        check(msg);
        return up_prot.up(msg);
    }

    @Override
    public void up(MessageBatch batch) {
        for (Message msg : batch) {
            check(msg);
        }
        up_prot.up(batch);
    }

    private void check(Message msg) {
        EncryptHeader h = msg.getHeader(encryptId);
        if (version == null) {
            if (h != null) {
                report(msg.getSrc(), "it uses a cluster secret and this node has none (set the same secret.file here)");
            }
        } else if (h == null) {
            report(msg.getSrc(), "it has no cluster secret (set the same secret.file on every node)");
        } else if (h.version() != null && !Arrays.equals(h.version(), version)) {
            report(msg.getSrc(), "it uses another cluster secret (secret.file differs between the two nodes)");
        }
    }

    private void report(Address from, String why) {
        if (from != null && reported.add(from)) {
            LOG.error("Cluster traffic from {} is refused: {}", from, why);
        }
    }
}
