package io.herdcat.cluster;

import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Says, once per sender, why a node cannot be part of this cluster (another secret, or traffic that is
 * not sealed at all), so the user can act on it. Remembers at most {@value #MAX_SENDERS} senders (the
 * least recently reported are forgotten first) and writes at most {@value #MAX_LINES_PER_MINUTE} lines a
 * minute: any address can send, so neither memory nor the log may grow with the number of senders.
 */
final class SecretMismatchDetector {
    private static final Logger LOG = LoggerFactory.getLogger(SecretMismatchDetector.class);
    static final int MAX_SENDERS = 256;
    static final int MAX_LINES_PER_MINUTE = 10;
    private final String node;
    private final Map<Object, Boolean> reported = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Object, Boolean> eldest) {
            return size() > MAX_SENDERS;
        }
    };
    private long minuteStart = System.nanoTime();
    private int linesThisMinute;

    SecretMismatchDetector(String node) {
        this.node = node;
    }

    /** A message sealed with another key than this cluster's. */
    void anotherSecret(Object from) {
        report(from, "it uses another cluster secret (secret.file differs between the two nodes, or one of them "
                + "uses its host's secret)");
    }

    /** A message that is not sealed at all. */
    void notSealed(Object from) {
        report(from, "its traffic is not sealed with a cluster secret (another Herdcat version, or not a Herdcat "
                + "node)");
    }

    private void report(Object from, String why) {
        if (from == null) {
            return;
        }
        synchronized (reported) {
            if (reported.put(from, Boolean.TRUE) != null) {
                return;
            }
            long now = System.nanoTime();
            if (now - minuteStart > 60_000_000_000L) {
                minuteStart = now;
                linesThisMinute = 0;
            }
            if (++linesThisMinute > MAX_LINES_PER_MINUTE) {
                return;
            }
        }
        LOG.error("{}: Cluster traffic from {} is refused: {}", node, from, why);
    }

    /** How many senders are remembered now (never more than {@value #MAX_SENDERS}). */
    int remembered() {
        synchronized (reported) {
            return reported.size();
        }
    }
}
