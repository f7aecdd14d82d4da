package io.herdcat.metrics;

import io.herdcat.dispatcher.DispatcherSnapshot;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * HTTP/2 on the front, on the node that runs it: connections and streams open now, and connections
 * closed with GOAWAY by reason ({@code rapid_reset}, {@code continuation}, {@code header_list},
 * {@code protocol}, {@code idle}, {@code drain}). Registered and removed with the front's other meters.
 */
final class FrontHttp2Meters {
    /** The reasons, in the order the front counts them; every one has its series from the start. */
    static final List<String> REASONS = List.of("rapid_reset", "continuation", "header_list", "protocol", "idle", "drain");

    private FrontHttp2Meters() {
    }

    /** @param snapshot the front's state at the last refresh, or null once it closed */
    static List<Meter> register(MeterRegistry registry, Supplier<DispatcherSnapshot> snapshot) {
        List<Meter> meters = new ArrayList<>();
        meters.add(gauge(registry, snapshot, "herdcat.front.h2.connections", "HTTP/2 connections open on the front",
                DispatcherSnapshot.Http2::connections));
        meters.add(gauge(registry, snapshot, "herdcat.front.h2.streams", "HTTP/2 streams open on the front",
                DispatcherSnapshot.Http2::streams));
        for (String reason : REASONS) {
            meters.add(FunctionCounter.builder("herdcat.front.h2.goaways", snapshot, s -> value(s,
                            h -> h.goAways().getOrDefault(reason, 0L)))
                    .tag("reason", reason)
                    .description("HTTP/2 connections the front closed with GOAWAY, by reason: rapid_reset, continuation, "
                            + "header_list (abuse), protocol (other errors), idle, drain")
                    .register(registry));
        }
        return List.copyOf(meters);
    }

    private static Meter gauge(MeterRegistry registry, Supplier<DispatcherSnapshot> snapshot, String name, String help,
                               ToDoubleFunction<DispatcherSnapshot.Http2> value) {
        return Gauge.builder(name, snapshot, s -> value(s, value)).description(help).register(registry);
    }

    private static double value(Supplier<DispatcherSnapshot> snapshot, ToDoubleFunction<DispatcherSnapshot.Http2> value) {
        DispatcherSnapshot s = snapshot.get();
        return s == null ? Double.NaN : value.applyAsDouble(s.http2());
    }
}
