package io.herdcat.cluster;

import java.util.List;
import java.util.Optional;

/**
 * One consistent picture of the cluster: the members in JGroups' view order (oldest first; the first
 * is the coordinator), the record each has published, how many members are heard from (this node
 * included; the others until they fall silent, see {@link QuorumWatch}), and the node elected to run
 * the HTTP front ({@link DispatcherElection}, computed once here so every reader agrees). A member whose
 * record has not arrived yet is listed in {@code memberNames} but has no record. {@code merge} is true
 * for the view that joins partitions that lived apart (or nodes that started at the same moment and
 * formed one each).
 */
public final class ClusterView {
    private final long viewId;
    private final List<String> memberNames;
    private final List<NodeRecord> records;
    private final boolean merge;
    private final Quorum quorum;
    private final int reachableMembers;
    private final Optional<String> frontHold;
    private final Optional<String> dispatcher;

    /** A view without a majority rule, every member reachable. */
    public ClusterView(long viewId, List<String> memberNames, List<NodeRecord> records, boolean merge) {
        this(viewId, memberNames, records, merge, Quorum.NONE, memberNames.size());
    }

    public ClusterView(long viewId, List<String> memberNames, List<NodeRecord> records, boolean merge, Quorum quorum,
                       int reachableMembers) {
        this(viewId, memberNames, records, merge, quorum, reachableMembers, Optional.empty());
    }

    /**
     * @param frontHold why no node may open the front yet although the view has a majority (the node that
     *                  ran it left the view and may not have closed it yet, see {@link DepartedFront}), or empty
     */
    public ClusterView(long viewId, List<String> memberNames, List<NodeRecord> records, boolean merge, Quorum quorum,
                       int reachableMembers, Optional<String> frontHold) {
        this.viewId = viewId;
        this.memberNames = List.copyOf(memberNames);
        this.records = List.copyOf(records);
        this.merge = merge;
        this.quorum = quorum;
        this.reachableMembers = reachableMembers;
        this.frontHold = frontHold;
        this.dispatcher = frontBlocked().isPresent() ? Optional.empty()
                : DispatcherElection.elect(this.memberNames, this.records, quorum, reachableMembers);
    }

    public long viewId() {
        return viewId;
    }

    public List<String> memberNames() {
        return memberNames;
    }

    /** The members' records, in view order. */
    public List<NodeRecord> records() {
        return records;
    }

    public boolean merge() {
        return merge;
    }

    /** The node elected to run the HTTP front, if any member can. */
    public Optional<String> dispatcher() {
        return dispatcher;
    }

    public Quorum quorum() {
        return quorum;
    }

    /** Members of this view that are heard from, this node included. */
    public int reachableMembers() {
        return reachableMembers;
    }

    /**
     * Why no node of this view may run the front: it lacks a majority of the cluster, or the node that
     * ran the front has just left and may still hold it; empty when nothing stands in the way.
     */
    public Optional<String> frontBlocked() {
        if (memberNames.isEmpty()) {
            return Optional.empty();
        }
        Optional<String> loss = quorum.loss(reachableMembers);
        return loss.isPresent() ? loss : frontHold;
    }

    /** Why the front may not open yet although the view has a majority (see {@link DepartedFront}), or empty. */
    public Optional<String> frontHold() {
        return frontHold;
    }

    public Optional<String> coordinator() {
        return memberNames.isEmpty() ? Optional.empty() : Optional.of(memberNames.get(0));
    }

    public Optional<NodeRecord> record(String name) {
        return records.stream().filter(r -> r.name().equals(name)).findFirst();
    }

    @Override
    public String toString() {
        return "ClusterView[" + viewId + ", members=" + memberNames + ", dispatcher=" + dispatcher.orElse("none")
                + frontBlocked().map(q -> ", " + q).orElse("") + (merge ? ", merge" : "") + "]";
    }
}
