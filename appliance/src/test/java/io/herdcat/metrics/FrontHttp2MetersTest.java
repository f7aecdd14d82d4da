package io.herdcat.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.herdcat.dispatcher.DispatcherSnapshot;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The front's HTTP/2 meters: their Prometheus names, labels and values, and their removal. */
class FrontHttp2MetersTest {
    @Test
    void connectionsStreamsAndGoAwaysByReasonAreExported() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        AtomicReference<DispatcherSnapshot> now = new AtomicReference<>(new DispatcherSnapshot("https", 443, 0,
                DispatcherSnapshot.ClientCuts.NONE, List.of(), DispatcherSnapshot.WebSockets.NONE,
                new DispatcherSnapshot.Http2(3, 17,
                Map.of("rapid_reset", 2L, "continuation", 1L))));
        var meters = FrontHttp2Meters.register(registry, now::get);
        PrometheusText text = PrometheusText.parse(registry.scrape());
        assertEquals(3.0, text.value("herdcat_front_h2_connections"));
        assertEquals(17.0, text.value("herdcat_front_h2_streams"));
        assertEquals(2.0, text.value("herdcat_front_h2_goaways_total", Map.of("reason", "rapid_reset")));
        assertEquals(1.0, text.value("herdcat_front_h2_goaways_total", Map.of("reason", "continuation")));
        assertEquals(0.0, text.value("herdcat_front_h2_goaways_total", Map.of("reason", "drain")));
        assertEquals(3.0, text.sum("herdcat_front_h2_goaways_total"));
        meters.forEach(registry::remove);
        assertTrue(!registry.scrape().contains("herdcat_front_h2"), registry.scrape());
    }
}
