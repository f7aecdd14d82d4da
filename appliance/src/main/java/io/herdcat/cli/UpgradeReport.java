package io.herdcat.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * An upgrade as {@code herdcat upgrade} shows it when it ends and {@code herdcat upgrade-status}
 * shows it at any time: a line naming the upgrade, its state and length, its message, then one row
 * per node in the order they are upgraded with the step each one is at ({@code -} for no detail).
 */
final class UpgradeReport {
    private UpgradeReport() {
    }

    /** The report, each line ending in a newline; only the message when no upgrade has run. */
    static String format(UpgradeSnapshot s) {
        if (s.id().isEmpty() || UpgradeSnapshot.IDLE.equals(s.state())) {
            return (s.message().isEmpty() ? "no upgrade has run" : s.message()) + "\n";
        }
        StringBuilder out = new StringBuilder("upgrade ").append(s.id()).append(": ").append(s.war());
        if (!s.contextPath().isEmpty()) {
            out.append(" at ").append(s.contextPath());
        }
        out.append(", ").append(s.state()).append(s.running() ? " for " : " after ")
                .append(UpgradeSnapshot.clock(s.elapsedMillis()));
        if (!s.coordinator().isEmpty()) {
            out.append(" (coordinator ").append(s.coordinator()).append(')');
        }
        out.append('\n');
        if (!s.message().isEmpty()) {
            out.append(s.message()).append('\n');
        }
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("NODE", "STEP", "DETAIL"));
        for (UpgradeSnapshot.Node n : s.nodes()) {
            rows.add(List.of(n.name(), n.step(), n.detail().isEmpty() ? "-" : n.detail()));
        }
        return out.append(StatusTable.align(rows)).toString();
    }
}
