package io.herdcat.dispatcher.h2;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/** The front's HTTP/2 counts: connections and streams open now, and connections closed with GOAWAY, by reason. */
public final class H2Counters {
    /** Why the front closed an HTTP/2 connection with GOAWAY. */
    public enum GoAway {
        /** more RST_STREAM frames than front.h2.max.resets in 30 s (CVE-2023-44487) */
        RAPID_RESET,
        /** a header block split into too many small CONTINUATION frames */
        CONTINUATION,
        /** a header list far over front.h2.max.header.list */
        HEADER_LIST,
        /** any other breach of the protocol, or of a flood limit */
        PROTOCOL,
        /** no stream for front.idle.timeout (front.header.timeout before the first) */
        IDLE,
        /** the front drains: open streams finish, no new ones start */
        DRAIN;

        /** The name in /status and in metric labels: {@code rapid_reset}. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger streams = new AtomicInteger();
    private final Map<GoAway, LongAdder> goAways = new EnumMap<>(GoAway.class);

    public H2Counters() {
        for (GoAway g : GoAway.values()) {
            goAways.put(g, new LongAdder());
        }
    }

    void connectionOpened() {
        connections.incrementAndGet();
    }

    void connectionClosed() {
        connections.decrementAndGet();
    }

    public void streamOpened() {
        streams.incrementAndGet();
    }

    public void streamClosed() {
        streams.decrementAndGet();
    }

    void goAway(GoAway reason) {
        goAways.get(reason).increment();
    }

    public int connections() {
        return connections.get();
    }

    public int streams() {
        return streams.get();
    }

    /** Every reason with its count, in declaration order (zeros included). */
    public Map<String, Long> goAways() {
        Map<String, Long> out = new LinkedHashMap<>();
        goAways.forEach((reason, count) -> out.put(reason.label(), count.sum()));
        return out;
    }
}
