package io.herdcat.upgrade;

import io.herdcat.cluster.ClusterView;
import io.herdcat.cluster.NodeRecord;
import java.util.ArrayList;
import java.util.List;

/**
 * The order a roll takes the cluster's ready nodes in: by name, the node running the front last (so
 * the front moves at most once, and not at all when its node upgrades fine); for a rolling restart,
 * the coordinating node after every other, since it goes down without waiting for itself.
 */
final class RollOrder {
    private RollOrder() {
    }

    /** The ready nodes of {@code view} in the order an upgrade takes them. */
    static List<String> upgrade(ClusterView view) {
        List<String> nodes = new ArrayList<>();
        for (NodeRecord r : view.records()) {
            if (r.phase() == NodeRecord.Phase.READY) {
                nodes.add(r.name());
            }
        }
        nodes.sort(String::compareTo);
        view.dispatcher().filter(nodes::remove).ifPresent(nodes::add);
        return List.copyOf(nodes);
    }

    /** As {@link #upgrade}, then {@code self}, the coordinating node, last of all. */
    static List<String> restart(ClusterView view, String self) {
        List<String> nodes = new ArrayList<>(upgrade(view));
        if (nodes.remove(self)) {
            nodes.add(self);
        }
        return List.copyOf(nodes);
    }
}
