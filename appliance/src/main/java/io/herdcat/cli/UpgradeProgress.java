package io.herdcat.cli;

import java.io.PrintStream;
import java.util.HashMap;
import java.util.Map;

/**
 * Shows a running upgrade as its answers come in. On a terminal: one line redrawn in place with
 * {@code \r}, a bar of the nodes done out of all of them, the node being worked on, its step and the
 * time since the upgrade began ({@code [####------] 2/3 web2 deploying 0:41}). Anywhere else (a pipe,
 * a file, CI): one plain line each time a node changes step ({@code web1 draining}), nothing redrawn,
 * so a log reads as the roll went.
 */
abstract class UpgradeProgress {
    static final int BAR_WIDTH = 10;

    protected final PrintStream out;

    private UpgradeProgress(PrintStream out) {
        this.out = out;
    }

    /** The progress for {@code out}: the live line on a terminal, plain lines elsewhere. */
    static UpgradeProgress on(PrintStream out, boolean terminal) {
        return terminal ? new Live(out) : new Plain(out);
    }

    /** True when the process writes to a terminal that can redraw a line. */
    static boolean terminal(Map<String, String> env) {
        return System.console() != null && !"dumb".equals(env.get("TERM"));
    }

    /** Shows one answer of {@code /upgrade}. */
    abstract void show(UpgradeSnapshot snapshot);

    /** Ends the progress display, so what follows starts on a line of its own. */
    abstract void end();

    /** The live line: {@code [####------] 2/3 web2 deploying 0:41}. */
    static String bar(UpgradeSnapshot s) {
        int total = s.nodes().size();
        long done = s.nodesDone();
        int filled = total == 0 ? 0 : (int) (BAR_WIDTH * done / total);
        StringBuilder line = new StringBuilder("[").append("#".repeat(filled)).append("-".repeat(BAR_WIDTH - filled))
                .append("] ").append(done).append('/').append(total);
        UpgradeSnapshot.Node current = s.current();
        if (current != null) {
            line.append(' ').append(current.name()).append(' ').append(current.step());
        }
        return line.append(' ').append(UpgradeSnapshot.clock(s.elapsedMillis())).toString();
    }

    /** One line redrawn in place. */
    private static final class Live extends UpgradeProgress {
        private int shown;

        Live(PrintStream out) {
            super(out);
        }

        @Override
        void show(UpgradeSnapshot snapshot) {
            String line = bar(snapshot);
            out.print("\r" + line + " ".repeat(Math.max(0, shown - line.length())));
            out.flush();
            shown = line.length();
        }

        @Override
        void end() {
            if (shown > 0) {
                out.println();
                shown = 0;
            }
        }
    }

    /** A line per step a node takes. */
    private static final class Plain extends UpgradeProgress {
        private final Map<String, String> steps = new HashMap<>();

        Plain(PrintStream out) {
            super(out);
        }

        @Override
        void show(UpgradeSnapshot snapshot) {
            for (UpgradeSnapshot.Node n : snapshot.nodes()) {
                String before = steps.put(n.name(), n.step());
                if (n.step().equals(before) || (before == null && n.waiting())) {
                    continue;
                }
                boolean failed = "failed".equals(n.step()) || "rolled-back".equals(n.step());
                out.println(n.name() + " " + n.step() + (failed && !n.detail().isEmpty() ? ": " + n.detail() : ""));
            }
            out.flush();
        }

        @Override
        void end() {
            out.flush();
        }
    }
}
