package io.herdcat.upgrade;

import io.herdcat.cluster.ClusterMembership;
import io.herdcat.cluster.NodeRecord;
import io.herdcat.config.Activation;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a roll asks of the cluster's records about one node: its activation, a change of it waited for
 * until the node's record says it, and whether a restarted node is back.
 */
final class NodeActivations {
    private static final Logger LOG = LoggerFactory.getLogger(NodeActivations.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final ClusterMembership membership;
    private final String self;
    private final String upgradeId;

    NodeActivations(ClusterMembership membership, String self, String upgradeId) {
        this.membership = membership;
        this.self = self;
        this.upgradeId = upgradeId;
    }

    /** {@code node}'s activation, or empty when it is not a member. */
    Optional<Activation> of(String node) {
        return membership.view().records().stream().filter(r -> r.name().equals(node)).map(NodeRecord::activation)
                .findFirst();
    }

    /** Asks {@code node} for an activation and waits until its record says it (or the node is gone). */
    void set(String node, Activation a) throws InterruptedException {
        if (!membership.requestActivation(node, a)) {
            return;
        }
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<Activation> now = of(node);
            if (now.isEmpty() || now.get() == a) {
                return;
            }
            Thread.sleep(20);
        }
        LOG.warn("{}: upgrade {}: {} did not take activation {} within {} s", self, upgradeId, node, a,
                TIMEOUT.toSeconds());
    }

    /** True once {@code node} is a member again, ready, started after {@code sinceMillis}. */
    boolean back(String node, long sinceMillis) {
        return membership.view().records().stream().anyMatch(r -> r.name().equals(node)
                && r.phase() == NodeRecord.Phase.READY && r.startedAt().toEpochMilli() > sinceMillis);
    }
}
