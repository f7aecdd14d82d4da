package io.herdcat.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Meters that exist per key (a webapp, a node of the front) only while the key does: {@link #update}
 * registers the meters of new keys and removes those of keys that went away, so a scrape never shows
 * a stale series.
 */
final class KeyedMeters<K> {
    private final MeterRegistry registry;
    private final Function<K, List<Meter>> register;
    private final Map<K, List<Meter>> meters = new HashMap<>();

    /** @param register registers the meters of one key and returns them */
    KeyedMeters(MeterRegistry registry, Function<K, List<Meter>> register) {
        this.registry = registry;
        this.register = register;
    }

    /** Makes the registered keys exactly {@code keys}. */
    synchronized void update(Collection<K> keys) {
        Set<K> wanted = Set.copyOf(keys);
        meters.entrySet().removeIf(e -> {
            if (wanted.contains(e.getKey())) {
                return false;
            }
            e.getValue().forEach(registry::remove);
            return true;
        });
        for (K key : wanted) {
            meters.computeIfAbsent(key, register);
        }
    }

    synchronized void clear() {
        update(List.of());
    }
}
