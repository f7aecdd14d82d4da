package io.herdcat.cluster;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts the cluster messages this node refused, by reason, and logs them at most once per reason every
 * ten seconds (an outsider controls how many arrive), with how many went unlogged in between.
 */
public final class RejectedMessages {
    private static final Logger LOG = LoggerFactory.getLogger(RejectedMessages.class);
    private static final long LOG_INTERVAL_NANOS = 10_000_000_000L;

    /** Why a message was refused. */
    public enum Reason {
        /** Sealed with this cluster's key but altered on the way (or forged): its authentication tag fails. */
        MODIFIED,
        /** Authentic, but already received, or too old to tell. */
        REPLAYED,
        /** Not sealed with this cluster's key: no secret, another secret, or not a Herdcat node. */
        FOREIGN,
        /** Authentic, from a node that is not a member of the current view (admin commands, records). */
        NON_MEMBER,
        /** A join whose AUTH token is invalid, bound to another sender, stale or already used. */
        AUTH_REFUSED,
        /** A Herdcat message of a format or type this node does not read. */
        UNREADABLE,
        /** Cluster events dropped because the queue of events waiting to be handled was full. */
        QUEUE_FULL;

        public String key() {
            String[] words = name().toLowerCase(Locale.ROOT).split("_");
            StringBuilder b = new StringBuilder(words[0]);
            for (int i = 1; i < words.length; i++) {
                b.append(Character.toUpperCase(words[i].charAt(0))).append(words[i].substring(1));
            }
            return b.toString();
        }
    }

    private final String node;
    private final Map<Reason, LongAdder> counts = new EnumMap<>(Reason.class);
    private final Map<Reason, long[]> logState = new EnumMap<>(Reason.class);

    public RejectedMessages(String node) {
        this.node = node;
        for (Reason r : Reason.values()) {
            counts.put(r, new LongAdder());
            logState.put(r, new long[] {System.nanoTime() - LOG_INTERVAL_NANOS, 0});
        }
    }

    /** Counts one refused message and logs it unless this reason was logged in the last ten seconds. */
    public void reject(Reason reason, Object from, String detail) {
        counts.get(reason).increment();
        long[] state = logState.get(reason);
        long suppressed;
        synchronized (state) {
            long now = System.nanoTime();
            if (now - state[0] < LOG_INTERVAL_NANOS) {
                state[1]++;
                return;
            }
            suppressed = state[1];
            state[0] = now;
            state[1] = 0;
        }
        LOG.warn("{}: Cluster message refused ({}) from {}: {}{}", node, reason.key(), from, detail,
                suppressed == 0 ? "" : " (" + suppressed + " more of this kind in the last 10 s)");
    }

    public long count(Reason reason) {
        return counts.get(reason).sum();
    }

    /** Every reason's count, keyed by {@link Reason#key()}, in declaration order. */
    public Map<String, Long> snapshot() {
        Map<String, Long> m = new LinkedHashMap<>();
        for (Reason r : Reason.values()) {
            m.put(r.key(), count(r));
        }
        return m;
    }
}
