package io.herdcat.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The node table of {@code GET /status} as {@code herdcat status} prints it, like {@code kubectl get}:
 * a line naming the cluster, then one row per node in aligned columns; a missing or null value is
 * {@code -} and the node running the HTTP front has {@code *} under FRONT.
 */
final class StatusTable {
    private static final String GAP = "   ";

    private record Column(String title, Function<Map<?, ?>, String> value) {
    }

    private static final List<Column> COLUMNS = List.of(
            new Column("NAME", row -> text(row.get("name"))),
            new Column("STATE", row -> text(row.get("state"))),
            new Column("ACTIVATION", row -> text(row.get("activation"))),
            new Column("WEIGHT", row -> text(row.get("weight"))),
            new Column("IN-FLIGHT", row -> text(row.get("inFlight"))),
            new Column("REQUESTS", row -> text(row.get("requests"))),
            new Column("ERRORS", row -> text(row.get("errors"))),
            new Column("SESSIONS", row -> text(row.get("sessions"))),
            new Column("UPTIME", row -> uptime(row.get("uptimeSeconds"))),
            new Column("VERSION", row -> text(row.get("version"))),
            new Column("FRONT", row -> Boolean.TRUE.equals(row.get("dispatcher")) ? "*" : ""));

    private StatusTable() {
    }

    /** The header line and the table, each line ending in a newline. */
    static String format(Map<String, Object> status) {
        List<Map<?, ?>> nodes = new ArrayList<>();
        if (status.get("nodes") instanceof List<?> list) {
            for (Object o : list) {
                if (o instanceof Map<?, ?> row) {
                    nodes.add(row);
                }
            }
        }
        List<List<String>> cells = new ArrayList<>();
        cells.add(COLUMNS.stream().map(Column::title).toList());
        for (Map<?, ?> row : nodes) {
            cells.add(COLUMNS.stream().map(c -> c.value().apply(row)).toList());
        }
        return header(status, nodes.size()) + "\n" + align(cells);
    }

    /** Rows of cells in columns as wide as their widest cell, each line ending in a newline. */
    static String align(List<List<String>> rows) {
        int[] widths = new int[rows.isEmpty() ? 0 : rows.get(0).size()];
        for (List<String> row : rows) {
            for (int i = 0; i < widths.length; i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (List<String> row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < widths.length; i++) {
                line.append(row.get(i)).append(" ".repeat(widths[i] - row.get(i).length())).append(GAP);
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
        return out.toString();
    }

    private static String header(Map<String, Object> status, int nodes) {
        Object front = status.get("dispatcher");
        return "cluster " + text(status.get("clusterName")) + ": " + nodes + (nodes == 1 ? " node" : " nodes")
                + ", " + (front == null ? "no HTTP front" : "HTTP front on " + front)
                + " (as seen by " + text(status.get("self")) + ")";
    }

    /** A value as a cell: {@code -} for null, whole numbers without a fraction. */
    static String text(Object value) {
        if (value == null) {
            return "-";
        }
        if (value instanceof Double d && d == Math.rint(d) && !d.isInfinite()) {
            return Long.toString(d.longValue());
        }
        return value.toString();
    }

    /** Seconds the way kubectl shows an age: {@code 42s}, {@code 3m12s}, {@code 5h7m}, {@code 2d3h}. */
    static String uptime(Object seconds) {
        if (!(seconds instanceof Number n)) {
            return "-";
        }
        long s = n.longValue();
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return s / 60 + "m" + s % 60 + "s";
        }
        if (s < 86_400) {
            return s / 3600 + "h" + s % 3600 / 60 + "m";
        }
        return s / 86_400 + "d" + s % 86_400 / 3600 + "h";
    }
}
