package io.herdcat.cluster;

import io.herdcat.config.Activation;
import io.herdcat.config.DispatcherMode;
import java.util.List;
import java.util.Optional;

/**
 * Which node runs the cluster's HTTP front, from the records of one view (JGroups view order, oldest
 * first). Only a READY node whose activation is not {@code stopped} can win; {@code never} never does.
 * The oldest eligible {@code always} node wins, else the oldest eligible {@code auto} node. Ties go to
 * the oldest member, so a node that leaves and joins again comes back as the youngest and does not take
 * the front back from an equal node that holds it (no flapping); an {@code always} node does take it
 * from an {@code auto} one, since that is what the operator asked for. Every node computes the same
 * answer from the same view, so no messages are needed. Computed once per view: {@link ClusterView#dispatcher()}.
 */
final class DispatcherElection {
    private DispatcherElection() {
    }

    static Optional<String> elect(List<NodeRecord> recordsInViewOrder) {
        Optional<NodeRecord> preferred = oldestEligible(recordsInViewOrder, DispatcherMode.ALWAYS);
        return (preferred.isPresent() ? preferred : oldestEligible(recordsInViewOrder, DispatcherMode.AUTO))
                .map(NodeRecord::name);
    }

    private static Optional<NodeRecord> oldestEligible(List<NodeRecord> records, DispatcherMode mode) {
        return records.stream()
                .filter(r -> r.dispatcher() == mode && r.phase() == NodeRecord.Phase.READY
                        && r.activation() != Activation.STOPPED)
                .findFirst();
    }
}
