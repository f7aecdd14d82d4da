package io.herdcat.importer;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A mod_jk {@code workers.properties} read the way mod_jk reads it: {@code #} starts a comment
 * anywhere on a line, {@code $(name)} is replaced by an earlier property's value, list attributes
 * ({@code worker.list}, {@code balance_workers}, {@code mount}…) given twice are joined with commas,
 * other keys given twice keep the last value, and {@code worker.X.reference=worker.Y} copies every
 * attribute of Y that X does not set itself. An attribute mod_jk does not know, a line without
 * {@code =} or a reference to a worker that is not defined is an error naming the line.
 */
final class WorkersFile {
    /** Every worker attribute mod_jk accepts (its documentation's list). */
    static final Set<String> ATTRIBUTES = Set.of("sysprops", "stderr", "stdout", "secret", "mx", "ms", "class_path",
            "bridge", "jvm_lib", "ld_path", "cmd_line", "native_lib", "reference", "host", "source", "port", "type",
            "cachesize", "connection_pool_size", "connection_pool_minsize", "cache_timeout", "connection_pool_timeout",
            "connection_acquire_timeout", "recovery_options", "connect_timeout", "prepost_timeout", "reply_timeout",
            "socket_timeout", "socket_connect_timeout", "ping_timeout", "ping_mode", "socket_buffer",
            "socket_keepalive", "connection_ping_interval", "recycle_timeout", "lbfactor", "distance",
            "balanced_workers", "balance_workers", "sticky_session", "sticky_session_force", "session_cookie",
            "session_path", "set_session_cookie", "session_cookie_path", "local_worker", "local_worker_only",
            "jvm_route", "route", "domain", "redirect", "mount", "method", "lock", "disabled", "stopped",
            "activation", "recover_time", "error_escalation_time", "max_reply_timeouts", "retry_interval",
            "busy_limit", "max_packet_size", "css", "ns", "xmlns", "doctype", "prefix", "read_only", "user",
            "user_case_insensitive", "good", "bad", "secretkey", "retries", "lb_retries", "fail_on_status",
            "list", "maintain", "prefer_ipv6");
    private static final Set<String> LISTS = Set.of("balance_workers", "balanced_workers", "mount", "user", "good",
            "bad", "fail_on_status", "list");
    private static final Pattern VARIABLE = Pattern.compile("\\$\\(([^)]*)\\)");
    private static final Pattern WORKER_KEY = Pattern.compile("worker\\.([^.]+)\\.([^.]+)");
    private static final int MAX_REFERENCE_DEPTH = 20;

    /** One property: its value and the line that (last) set it. */
    record Value(String text, SourceLine source) {
    }

    private final String fileName;
    private final Map<String, Value> values;
    /** For list keys: each item and the line that added it. */
    private final Map<String, Map<String, SourceLine>> itemLines;

    private WorkersFile(String fileName, Map<String, Value> values, Map<String, Map<String, SourceLine>> itemLines) {
        this.fileName = fileName;
        this.values = values;
        this.itemLines = itemLines;
    }

    static WorkersFile read(Path file) throws IOException {
        String name = file.getFileName().toString();
        Map<String, Value> values = new LinkedHashMap<>();
        Map<String, Map<String, SourceLine>> itemLines = new LinkedHashMap<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1)) {
            String raw;
            int lineNo = 0;
            while ((raw = in.readLine()) != null) {
                lineNo++;
                SourceLine at = new SourceLine(name, lineNo);
                int hash = raw.indexOf('#');
                String line = (hash >= 0 ? raw.substring(0, hash) : raw).trim();
                if (line.isEmpty()) {
                    continue;
                }
                int eq = line.indexOf('=');
                if (eq < 0) {
                    throw at.error("'" + line + "' is not KEY=VALUE");
                }
                String key = line.substring(0, eq).trim();
                String value = substitute(line.substring(eq + 1).trim(), values);
                if (key.isEmpty() || value.isEmpty()) {
                    continue; // mod_jk skips a key or value that is empty
                }
                if (add(values, key, value, at)) {
                    Map<String, SourceLine> lines = itemLines.computeIfAbsent(key, k -> new LinkedHashMap<>());
                    items(value).forEach(item -> lines.putIfAbsent(item, at));
                }
            }
        }
        WorkersFile f = new WorkersFile(name, values, itemLines);
        f.resolveReferences();
        return f;
    }

    /** Adds the property; true when its key holds a list. */
    private static boolean add(Map<String, Value> values, String key, String value, SourceLine at) {
        String attribute = null;
        Matcher m = WORKER_KEY.matcher(key);
        if (key.equals("worker.list") || key.equals("worker.maintain")) {
            attribute = key.substring("worker.".length());
        } else if (m.matches()) {
            attribute = m.group(2);
            if (!ATTRIBUTES.contains(attribute)) {
                throw at.error("'" + key + "': mod_jk has no worker attribute '" + attribute + "'");
            }
        } else if (key.startsWith("worker.")) {
            throw at.error("'" + key + "' is not worker.NAME.ATTRIBUTE");
        }
        boolean list = attribute != null && LISTS.contains(attribute);
        Value old = values.get(key);
        if (old != null && list) {
            values.put(key, new Value(old.text() + "," + value, at));
        } else {
            values.put(key, new Value(value, at));
        }
        return list;
    }

    private static String substitute(String value, Map<String, Value> earlier) {
        Matcher m = VARIABLE.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            Value v = earlier.get(m.group(1));
            m.appendReplacement(out, Matcher.quoteReplacement(v == null ? m.group() : v.text()));
        }
        m.appendTail(out);
        return out.toString();
    }

    private void resolveReferences() {
        for (String worker : definedWorkers()) {
            resolve(worker, 0);
        }
    }

    private void resolve(String worker, int depth) {
        Value ref = values.get("worker." + worker + ".reference");
        if (ref == null) {
            return;
        }
        if (depth > MAX_REFERENCE_DEPTH) {
            throw ref.source().error("worker references nest deeper than " + MAX_REFERENCE_DEPTH + " (a cycle?)");
        }
        String from = ref.text().endsWith(".") ? ref.text() : ref.text() + ".";
        String referenced = from.startsWith("worker.") ? from.substring(7, from.length() - 1) : null;
        if (referenced == null || referenced.contains(".") || !definedWorkers().contains(referenced)) {
            throw ref.source().error("worker." + worker + ".reference names unknown worker '" + ref.text() + "'");
        }
        resolve(referenced, depth + 1);
        String to = "worker." + worker + ".";
        for (Map.Entry<String, Value> e : List.copyOf(values.entrySet())) {
            if (e.getKey().startsWith(from) && !e.getKey().endsWith(".reference")) {
                values.putIfAbsent(to + e.getKey().substring(from.length()), e.getValue());
            }
        }
    }

    String fileName() {
        return fileName;
    }

    /** Every worker name some {@code worker.NAME.ATTRIBUTE} line defines, in file order. */
    Set<String> definedWorkers() {
        Set<String> names = new LinkedHashSet<>();
        for (String key : values.keySet()) {
            Matcher m = WORKER_KEY.matcher(key);
            if (m.matches() && !key.equals("worker.list") && !key.equals("worker.maintain")) {
                names.add(m.group(1));
            }
        }
        return names;
    }

    Optional<Value> global(String key) {
        return Optional.ofNullable(values.get(key));
    }

    Optional<Value> attribute(String worker, String attribute) {
        return Optional.ofNullable(values.get("worker." + worker + "." + attribute));
    }

    /** The worker's attributes, name to value, as set or inherited. */
    Map<String, Value> attributes(String worker) {
        Map<String, Value> out = new LinkedHashMap<>();
        String prefix = "worker." + worker + ".";
        values.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                out.put(k.substring(prefix.length()), v);
            }
        });
        return out;
    }

    /** The properties that are not worker attributes ({@code workers.tomcat_home}, {@code ps}…). */
    Map<String, Value> others() {
        Map<String, Value> out = new LinkedHashMap<>();
        values.forEach((k, v) -> {
            if (!k.startsWith("worker.")) {
                out.put(k, v);
            }
        });
        return out;
    }

    /** The line that added this item to a list key such as worker.list (the key's last line if unknown). */
    SourceLine itemSource(String key, String item) {
        Map<String, SourceLine> lines = itemLines.get(key);
        SourceLine at = lines == null ? null : lines.get(item);
        return at != null ? at : values.get(key).source();
    }

    /** A comma (or space) separated list value split into its items. */
    static List<String> items(String text) {
        List<String> out = new ArrayList<>();
        for (String s : text.split("[,\\s]+")) {
            if (!s.isBlank()) {
                out.add(s.trim());
            }
        }
        return out;
    }
}
