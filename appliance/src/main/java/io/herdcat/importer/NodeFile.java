package io.herdcat.importer;

import io.herdcat.config.Setting;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code herdcat.properties} of one node being built: settings (a later value for a key replaces
 * the earlier one, with its comment), settings left commented out because they need something the
 * import cannot supply, and what the imported files said that has no Herdcat equivalent. Only keys
 * of real {@link Setting}s are accepted.
 */
final class NodeFile {
    /** One key: its value, where it came from and, when the meaning differs, a comment saying how. */
    record Entry(String key, String value, SourceLine source, String comment, boolean commentedOut) {
    }

    private final String name;
    private final Map<String, Entry> entries = new LinkedHashMap<>();
    private final List<Unmapped> unmapped = new ArrayList<>();

    NodeFile(String name) {
        this.name = name;
    }

    String name() {
        return name;
    }

    void set(Setting setting, String value, SourceLine source) {
        set(setting, value, source, null);
    }

    void set(Setting setting, String value, SourceLine source, String comment) {
        entries.put(setting.key(), new Entry(setting.key(), value, source, comment, false));
    }

    /** A setting written commented out: the comment says what must be done before it can be used. */
    void suggest(Setting setting, String value, SourceLine source, String comment) {
        entries.put(setting.key(), new Entry(setting.key(), value, source, comment, true));
    }

    boolean has(Setting setting) {
        Entry e = entries.get(setting.key());
        return e != null && !e.commentedOut();
    }

    String value(Setting setting) {
        Entry e = entries.get(setting.key());
        return e == null || e.commentedOut() ? null : e.value();
    }

    void unmapped(Unmapped u) {
        unmapped.add(u);
    }

    List<Entry> entries() {
        return List.copyOf(entries.values());
    }

    List<Unmapped> unmapped() {
        return List.copyOf(unmapped);
    }
}
