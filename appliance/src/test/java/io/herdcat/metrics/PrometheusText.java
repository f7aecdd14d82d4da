package io.herdcat.metrics;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A strict reader of Prometheus' text exposition format 0.0.4, for tests: every line must be a
 * {@code # HELP}, a {@code # TYPE} or a sample {@code name{label="value",…} value [timestamp]} with
 * valid names, escapes and numbers; every sample belongs to a family declared by a {@code # TYPE}
 * line before it, the samples of a family are contiguous, no series appears twice, and a histogram
 * has cumulative buckets ending in {@code le="+Inf"} that equal its {@code _count}. A violation
 * throws {@link IllegalArgumentException} naming the line.
 */
final class PrometheusText {
    private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final Pattern NUMBER = Pattern.compile(
            "[-+]?(?:(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:[eE][-+]?\\d+)?|Inf)|NaN");
    private static final Pattern TIMESTAMP = Pattern.compile("-?\\d+");
    private static final Set<String> TYPES = Set.of("counter", "gauge", "histogram", "summary", "untyped");

    /** One sample line. */
    record Sample(String name, Map<String, String> labels, double value) {
    }

    /** A family: its name, type, help text and samples in the order given. */
    record Family(String name, String type, String help, List<Sample> samples) {
    }

    private final Map<String, Family> families = new LinkedHashMap<>();

    private PrometheusText() {
    }

    static PrometheusText parse(String text) {
        PrometheusText parsed = new PrometheusText();
        parsed.read(text);
        return parsed;
    }

    /** The family, or null when it is not in the text. */
    Family family(String name) {
        return families.get(name);
    }

    Set<String> familyNames() {
        return families.keySet();
    }

    /** The value of the sample with exactly these labels; fails when there is none. */
    double value(String sampleName, Map<String, String> labels) {
        for (Family f : families.values()) {
            for (Sample s : f.samples()) {
                if (s.name().equals(sampleName) && s.labels().equals(labels)) {
                    return s.value();
                }
            }
        }
        throw new AssertionError("no sample " + sampleName + labels);
    }

    double value(String sampleName) {
        return value(sampleName, Map.of());
    }

    /** The sum of every sample of that name, whatever its labels; 0 when there is none. */
    double sum(String sampleName) {
        return families.values().stream().flatMap(f -> f.samples().stream())
                .filter(s -> s.name().equals(sampleName)).mapToDouble(Sample::value).sum();
    }

    // ---- reading ----

    private final Map<String, String> help = new LinkedHashMap<>();
    private final Map<String, String> types = new LinkedHashMap<>();
    private final Map<String, List<Sample>> samples = new LinkedHashMap<>();
    private final Set<String> closedFamilies = new HashSet<>();
    private final Set<String> series = new HashSet<>();
    private String currentFamily;
    private int lineNumber;

    private void read(String text) {
        if (!text.endsWith("\n")) {
            throw new IllegalArgumentException("the text does not end with a line feed");
        }
        for (String line : text.substring(0, text.length() - 1).split("\n", -1)) {
            lineNumber++;
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith("#")) {
                comment(line);
            } else {
                sample(line);
            }
        }
        for (Map.Entry<String, String> t : types.entrySet()) {
            List<Sample> list = samples.getOrDefault(t.getKey(), List.of());
            Family f = new Family(t.getKey(), t.getValue(), help.get(t.getKey()), List.copyOf(list));
            if (f.type().equals("histogram")) {
                checkHistogram(f);
            }
            families.put(f.name(), f);
        }
        for (String h : help.keySet()) {
            if (!types.containsKey(h)) {
                throw new IllegalArgumentException("# HELP for " + h + " without a # TYPE");
            }
        }
    }

    private void comment(String line) {
        String[] parts = line.split(" ", 4);
        if (parts.length < 3 || !parts[0].equals("#") || !(parts[1].equals("HELP") || parts[1].equals("TYPE"))) {
            return; // a plain comment
        }
        String name = parts[2];
        requireName(name);
        String rest = parts.length == 4 ? parts[3] : "";
        if (parts[1].equals("HELP")) {
            if (help.put(name, unescapeHelp(rest)) != null) {
                fail("second # HELP for " + name);
            }
        } else {
            if (!TYPES.contains(rest)) {
                fail("unknown type '" + rest + "'");
            }
            if (types.put(name, rest) != null) {
                fail("second # TYPE for " + name);
            }
            if (samples.containsKey(name)) {
                fail("# TYPE for " + name + " after its samples");
            }
            enterFamily(name);
        }
    }

    private void sample(String line) {
        int i = 0;
        while (i < line.length() && line.charAt(i) != '{' && line.charAt(i) != ' ' && line.charAt(i) != '\t') {
            i++;
        }
        String name = line.substring(0, i);
        requireName(name);
        Map<String, String> labels = new TreeMap<>();
        if (i < line.length() && line.charAt(i) == '{') {
            i = labels(line, i + 1, labels);
        }
        String[] rest = line.substring(i).strip().split("[ \t]+");
        if (i >= line.length() || (line.charAt(i) != ' ' && line.charAt(i) != '\t') || rest.length < 1
                || rest.length > 2 || rest[0].isEmpty()) {
            fail("expected ' value [timestamp]' after the name and labels");
        }
        if (!NUMBER.matcher(rest[0]).matches()) {
            fail("'" + rest[0] + "' is not a number");
        }
        if (rest.length == 2 && !TIMESTAMP.matcher(rest[1]).matches()) {
            fail("'" + rest[1] + "' is not a timestamp");
        }
        String family = familyOf(name, labels);
        if (closedFamilies.contains(family) && !family.equals(currentFamily)) {
            fail("samples of " + family + " are not together");
        }
        enterFamily(family);
        if (!series.add(name + labels)) {
            fail("series " + name + labels + " appears twice");
        }
        samples.computeIfAbsent(family, f -> new ArrayList<>()).add(new Sample(name, Map.copyOf(labels), number(rest[0])));
    }

    /** Reads {@code name="value",…}} from {@code i}; returns the index after the closing brace. */
    private int labels(String line, int i, Map<String, String> labels) {
        while (true) {
            if (i < line.length() && line.charAt(i) == '}') {
                return i + 1;
            }
            int eq = line.indexOf('=', i);
            if (eq < 0) {
                fail("unterminated labels");
            }
            String label = line.substring(i, eq);
            if (!LABEL_NAME.matcher(label).matches() || label.startsWith("__")) {
                fail("bad label name '" + label + "'");
            }
            if (eq + 1 >= line.length() || line.charAt(eq + 1) != '"') {
                fail("label value of " + label + " is not quoted");
            }
            StringBuilder value = new StringBuilder();
            int j = eq + 2;
            for (; j < line.length() && line.charAt(j) != '"'; j++) {
                char c = line.charAt(j);
                if (c == '\\') {
                    char next = j + 1 < line.length() ? line.charAt(++j) : ' ';
                    switch (next) {
                        case '\\' -> value.append('\\');
                        case '"' -> value.append('"');
                        case 'n' -> value.append('\n');
                        default -> fail("bad escape \\" + next + " in the value of " + label);
                    }
                } else {
                    value.append(c);
                }
            }
            if (j >= line.length()) {
                fail("unterminated value of " + label);
            }
            if (labels.put(label, value.toString()) != null) {
                fail("label " + label + " twice");
            }
            i = j + 1;
            if (i < line.length() && line.charAt(i) == ',') {
                i++;
            } else if (i >= line.length() || line.charAt(i) != '}') {
                fail("expected ',' or '}' after the value of " + label);
            }
        }
    }

    /** The declared family a sample belongs to, by its type's rules for suffixes and labels. */
    private String familyOf(String name, Map<String, String> labels) {
        String type = types.get(name);
        if (type != null && !type.equals("histogram")) {
            if (type.equals("summary") && !labels.containsKey("quantile")) {
                fail("summary sample " + name + " without a quantile label");
            }
            return name;
        }
        for (String suffix : List.of("_bucket", "_count", "_sum")) {
            if (name.endsWith(suffix)) {
                String base = name.substring(0, name.length() - suffix.length());
                String baseType = types.get(base);
                if ("histogram".equals(baseType) || ("summary".equals(baseType) && !suffix.equals("_bucket"))) {
                    if (suffix.equals("_bucket") && !labels.containsKey("le")) {
                        fail(name + " without an le label");
                    }
                    return base;
                }
            }
        }
        fail("sample " + name + " belongs to no family declared by a # TYPE line before it");
        return null;
    }

    private void enterFamily(String family) {
        if (currentFamily != null && !currentFamily.equals(family)) {
            closedFamilies.add(currentFamily);
        }
        currentFamily = family;
    }

    private void checkHistogram(Family f) {
        Map<Map<String, String>, List<Sample>> buckets = new LinkedHashMap<>();
        Map<Map<String, String>, Double> counts = new LinkedHashMap<>();
        for (Sample s : f.samples()) {
            if (s.name().endsWith("_bucket")) {
                Map<String, String> key = new TreeMap<>(s.labels());
                key.remove("le");
                buckets.computeIfAbsent(key, k -> new ArrayList<>()).add(s);
            } else if (s.name().endsWith("_count")) {
                counts.put(new TreeMap<>(s.labels()), s.value());
            }
        }
        for (Map.Entry<Map<String, String>, List<Sample>> e : buckets.entrySet()) {
            List<Sample> list = new ArrayList<>(e.getValue());
            list.sort((a, b) -> Double.compare(number(a.labels().get("le")), number(b.labels().get("le"))));
            Sample last = list.get(list.size() - 1);
            if (!"+Inf".equals(last.labels().get("le"))) {
                throw new IllegalArgumentException(f.name() + e.getKey() + " has no le=\"+Inf\" bucket");
            }
            for (int i = 1; i < list.size(); i++) {
                if (list.get(i).value() < list.get(i - 1).value()) {
                    throw new IllegalArgumentException(f.name() + e.getKey() + " buckets are not cumulative");
                }
            }
            Double count = counts.get(e.getKey());
            if (count == null || count != last.value()) {
                throw new IllegalArgumentException(f.name() + e.getKey() + " _count " + count
                        + " differs from its +Inf bucket " + last.value());
            }
        }
    }

    private static double number(String text) {
        return switch (text) {
            case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> Double.parseDouble(text);
        };
    }

    private String unescapeHelp(String text) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != '\\') {
                out.append(c);
                continue;
            }
            char next = i + 1 < text.length() ? text.charAt(++i) : ' ';
            switch (next) {
                case '\\' -> out.append('\\');
                case 'n' -> out.append('\n');
                default -> fail("bad escape \\" + next + " in # HELP");
            }
        }
        return out.toString();
    }

    private void requireName(String name) {
        if (!METRIC_NAME.matcher(name).matches()) {
            fail("bad metric name '" + name + "'");
        }
    }

    private void fail(String why) {
        throw new IllegalArgumentException("line " + lineNumber + ": " + why);
    }
}
