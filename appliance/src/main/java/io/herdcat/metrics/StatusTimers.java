package io.herdcat.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Request durations by status class ({@code status="1xx"} … {@code "5xx"}): a histogram
 * {@code <timer>_seconds} with fixed buckets, and a counter {@code <counter>_total} of the same
 * requests. Every class is registered up front, so the series exist before the first request.
 */
final class StatusTimers {
    /** Bucket bounds, from a quick static file to a slow report (Prometheus' client defaults, plus 30 s). */
    static final Duration[] BUCKETS = {Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
        Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
        Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10),
        Duration.ofSeconds(30)};
    private static final int CLASSES = 5;

    private final Timer[] timers = new Timer[CLASSES];
    private final List<Meter> meters = new ArrayList<>();

    StatusTimers(MeterRegistry registry, String timer, String timerHelp, String counter, String counterHelp) {
        for (int i = 0; i < CLASSES; i++) {
            String status = (i + 1) + "xx";
            timers[i] = Timer.builder(timer).description(timerHelp).tag("status", status)
                    .serviceLevelObjectives(BUCKETS).register(registry);
            meters.add(timers[i]);
            meters.add(FunctionCounter.builder(counter, timers[i], Timer::count).description(counterHelp)
                    .tag("status", status).register(registry));
        }
    }

    void record(int status, long nanos) {
        timers[classIndex(status)].record(nanos, TimeUnit.NANOSECONDS);
    }

    /** 0 for 1xx … 4 for 5xx; a code outside 100-599 goes to the nearest class. */
    static int classIndex(int status) {
        return Math.min(CLASSES, Math.max(1, status / 100)) - 1;
    }

    List<Meter> meters() {
        return List.copyOf(meters);
    }
}
