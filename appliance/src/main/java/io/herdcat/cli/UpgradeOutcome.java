package io.herdcat.cli;

import java.util.Optional;

/**
 * Whether an upgrade that ended is a success for {@code herdcat upgrade}: exit code 0 only when its
 * state is {@code done} and every node's step is {@code done} (every node runs the new WAR), else 1
 * with one line saying what happened.
 */
final class UpgradeOutcome {
    private UpgradeOutcome() {
    }

    /** Empty when every node runs the new WAR, else the line saying why not. */
    static Optional<String> problem(UpgradeSnapshot s) {
        String message = s.message().isEmpty() ? "" : ": " + s.message();
        if (!UpgradeSnapshot.DONE.equals(s.state())) {
            return Optional.of("upgrade " + s.id() + " " + (s.state().isEmpty() ? "ended" : s.state()) + message);
        }
        if (s.nodes().isEmpty()) {
            return Optional.of("upgrade " + s.id() + " is done but names no node that runs " + s.war());
        }
        return s.nodes().stream().filter(n -> !n.done()).findFirst()
                .map(n -> "upgrade " + s.id() + " is done but node " + n.name() + " is at step " + n.step()
                        + (n.detail().isEmpty() ? "" : " (" + n.detail() + ")") + ", so not every node runs "
                        + s.war());
    }

    /** 0 when every node runs the new WAR, else 1. */
    static int exitCode(UpgradeSnapshot s) {
        return problem(s).isEmpty() ? 0 : 1;
    }
}
