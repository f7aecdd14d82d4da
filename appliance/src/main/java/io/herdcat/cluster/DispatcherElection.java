package io.herdcat.cluster;

import io.herdcat.config.DispatcherMode;
import java.util.Optional;

/**
 * Which node runs the cluster's HTTP front: the oldest ready member (JGroups view order) whose
 * {@code dispatcher} setting is {@code always}, else the oldest ready one that allows it ({@code auto}).
 * Every node computes the same answer from the same view, so no messages are needed.
 */
public final class DispatcherElection {
    private DispatcherElection() {
    }

    public static Optional<String> elected(ClusterView view) {
        Optional<NodeRecord> preferred = view.records().stream()
                .filter(r -> r.phase() == NodeRecord.Phase.READY && r.dispatcher() == DispatcherMode.ALWAYS)
                .findFirst();
        if (preferred.isPresent()) {
            return preferred.map(NodeRecord::name);
        }
        return view.records().stream()
                .filter(r -> r.phase() == NodeRecord.Phase.READY && r.dispatcher() == DispatcherMode.AUTO)
                .findFirst().map(NodeRecord::name);
    }
}
