package io.herdcat.metrics;

import io.herdcat.dispatcher.DispatcherSnapshot;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.herdcat.dispatcher.ws.WsTunnels;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The WebSockets through the cluster's HTTP front, on the node that runs it: how many are open, how
 * many handshakes were refused at {@code front.ws.max}, and how many closed, by reason. Registered and
 * removed with the rest of the front's meters ({@link FrontMeters}); read from its latest snapshot.
 */
final class FrontWebSocketMeters {
    private final Supplier<DispatcherSnapshot> snapshot;
    private final List<Meter> meters;

    /** Registers the meters; {@code snapshot} is the front's latest state, or null while it runs elsewhere. */
    FrontWebSocketMeters(MeterRegistry registry, Supplier<DispatcherSnapshot> snapshot) {
        this.snapshot = snapshot; // the meters hold this object only weakly; FrontMeters holds it
        List<Meter> all = new ArrayList<>();
        all.add(Gauge.builder("herdcat.front.websockets", this, m -> m.value(w -> w.open()))
                .description("WebSockets open through the front now").register(registry));
        all.add(FunctionCounter.builder("herdcat.front.websockets.refused", this, m -> m.value(w -> w.refused()))
                .description("WebSocket handshakes the front answered 503 because front.ws.max were open")
                .register(registry));
        for (WsTunnels.Reason reason : WsTunnels.Reason.values()) {
            String label = reason.label();
            all.add(FunctionCounter.builder("herdcat.front.websocket.closes", this,
                            m -> m.value(w -> w.closes().getOrDefault(label, 0L)))
                    .tag("reason", label)
                    .description("WebSockets through the front that closed, by reason: client, node (its Close first), "
                            + "node_lost (1012), idle, stopped (1001 after shutdown.timeout), front (1001, handover)")
                    .register(registry));
        }
        this.meters = List.copyOf(all);
    }

    private double value(java.util.function.ToDoubleFunction<DispatcherSnapshot.WebSockets> read) {
        DispatcherSnapshot s = snapshot.get();
        return s == null ? Double.NaN : read.applyAsDouble(s.webSockets());
    }

    void remove(MeterRegistry registry) {
        meters.forEach(registry::remove);
    }
}
