package io.herdcat.upgrade;

import java.util.List;

/**
 * Where a rolling upgrade (or a rolling restart: no WAR) is: what {@code GET /upgrade} answers and the
 * status page and {@code herdcat upgrade} show.
 *
 * @param id          the upgrade's id (empty when idle)
 * @param state       {@link State}
 * @param war         the WAR's file name ({@code shop.war})
 * @param contextPath {@code /shop}
 * @param sha256      of the WAR
 * @param coordinator the node running the upgrade
 * @param startedAt   epoch milliseconds, 0 when idle
 * @param endedAt     epoch milliseconds, 0 while running
 * @param message     one line: what happens now, or how it ended
 * @param nodes       the nodes in the order they are upgraded (the front's node last)
 */
public record UpgradeStatus(String id, State state, String war, String contextPath, String sha256, String coordinator,
                            long startedAt, long endedAt, String message, List<NodeProgress> nodes) {

    public UpgradeStatus {
        nodes = List.copyOf(nodes);
    }

    /** {@code idle}, {@code running}, {@code done}, {@code failed} or {@code rolled-back}, as JSON says it. */
    public enum State {
        IDLE("idle"), RUNNING("running"), DONE("done"), FAILED("failed"), ROLLED_BACK("rolled-back");

        private final String text;

        State(String text) {
            this.text = text;
        }

        public String text() {
            return text;
        }
    }

    /**
     * One node's part.
     *
     * @param node  its name
     * @param step  {@link Step}
     * @param since epoch milliseconds the step began (0 while waiting)
     * @param detail one line, or empty
     */
    public record NodeProgress(String node, Step step, long since, String detail) {
    }

    /** A node's steps, in order; {@code FAILED} and {@code ROLLED_BACK} end a node that did not make it. */
    public enum Step {
        WAITING("waiting"), STAGED("staged"), DISABLING("disabling"), DRAINING("draining"), DEPLOYING("deploying"),
        UNDEPLOYING("undeploying"), RESTARTING("restarting"), CHECKING("checking"), ENABLING("enabling"), DONE("done"), FAILED("failed"),
        ROLLED_BACK("rolled-back");

        private final String text;

        Step(String text) {
            this.text = text;
        }

        public String text() {
            return text;
        }
    }

    public static UpgradeStatus idle() {
        return new UpgradeStatus("", State.IDLE, "", "", "", "", 0, 0, "no upgrade has run", List.of());
    }

    /** A rolling restart (no WAR) rather than an upgrade. */
    public boolean restart() {
        return war.isEmpty() && !id.isEmpty();
    }

    public boolean running() {
        return state == State.RUNNING;
    }
}
