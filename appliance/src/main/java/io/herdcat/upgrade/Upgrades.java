package io.herdcat.upgrade;

import java.nio.file.Path;

/**
 * The cluster's rolling upgrades as the admin API and the status page see them: start one with a
 * checked WAR, and read where the current (or last) one is. One runs at a time, cluster-wide.
 */
public interface Upgrades {
    /**
     * Starts rolling {@code war} (its bytes in {@code file}, which this call takes over: moved or
     * deleted) through the cluster, one node at a time.
     *
     * @param healthPath checked on each node after the deploy, relative to the context path ("" for
     *                   the context root, or like {@code health} or {@code /health})
     * @return the upgrade's status right after it started
     * @throws UpgradeRefused 409 when another upgrade runs (naming it), 503 when this node is not in a
     *                        cluster that can take one
     */
    UpgradeStatus start(WarFile war, Path file, String healthPath) throws UpgradeRefused;

    /**
     * Restarts every node (or those of {@code only}), one at a time, this one last: each is disabled, stopped, drained, and stops
     * so that its supervisor (systemd, the demo) starts it again — on whatever jar is installed — then
     * enabled once it is back and ready.
     *
     * @param only the nodes to restart (those of one host, say), in the cluster's order; empty for every node
     * @throws UpgradeRefused as {@link #start}, and 400 naming a node of {@code only} that is not a member
     */
    UpgradeStatus restart(java.util.Set<String> only) throws UpgradeRefused;

    /**
     * Removes the webapp of {@code fileName} from every node, one at a time, each disabled, stopped and
     * drained first, as {@link #start} does (the cluster-wide deploy's answer to a deleted WAR).
     *
     * @throws UpgradeRefused as {@link #start}
     */
    default UpgradeStatus undeploy(String fileName) throws UpgradeRefused {
        throw new UpgradeRefused(503, "this node runs no rolling undeploy");
    }

    /** The running upgrade, else the last one this cluster ran, else {@link UpgradeStatus#idle()}. */
    UpgradeStatus status();

    /** Why an upgrade was not started: an HTTP status and one line. */
    final class UpgradeRefused extends Exception {
        private final int status;

        public UpgradeRefused(int status, String message) {
            super(message);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }
}
