package io.herdcat.cluster;

import java.util.List;
import java.util.Optional;

/**
 * One consistent picture of the cluster: the members in JGroups' view order (oldest first; the first
 * is the coordinator) and the record each has published. A member whose record has not arrived yet
 * is listed in {@code memberNames} but has no record. {@code merge} is true for the view that joins
 * partitions that lived apart (or nodes that started at the same moment and formed one each).
 */
public record ClusterView(long viewId, List<String> memberNames, List<NodeRecord> records, boolean merge) {
    public ClusterView {
        memberNames = List.copyOf(memberNames);
        records = List.copyOf(records);
    }

    public Optional<String> coordinator() {
        return memberNames.isEmpty() ? Optional.empty() : Optional.of(memberNames.get(0));
    }

    public Optional<NodeRecord> record(String name) {
        return records.stream().filter(r -> r.name().equals(name)).findFirst();
    }
}
