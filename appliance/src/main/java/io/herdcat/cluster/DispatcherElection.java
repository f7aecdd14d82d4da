package io.herdcat.cluster;

import io.herdcat.config.Activation;
import io.herdcat.config.DispatcherMode;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which node runs the cluster's HTTP front, from the records of one view (JGroups view order, oldest
 * first). Only a READY node whose activation is not {@code stopped} can win; {@code never} never does.
 * The oldest eligible {@code always} node wins, else the oldest eligible {@code auto} node. Ties go to
 * the oldest member, so a node that leaves and joins again comes back as the youngest and does not take
 * the front back from an equal node that holds it (no flapping); an {@code always} node does take it
 * from an {@code auto} one, since that is what the operator asked for. Every node computes the same
 * answer from the same view, so no messages are needed. A member whose record has not arrived yet and
 * that is older than the winner might be the rightful winner (after partitions merge, each side lacks
 * the other's records for a moment): until its record arrives nobody is elected, so two nodes never
 * both believe they hold the front. With a configured cluster size, a group that
 * does not reach a majority of it ({@link Quorum}) elects nobody, so a node cut off in a minority gives
 * the front up and two partitions never both run one. Computed once per view: {@link ClusterView#dispatcher()}.
 */
final class DispatcherElection {
    private DispatcherElection() {
    }

    /**
     * @param memberNames      the view's members, oldest first
     * @param reachableMembers members of the view that are heard from, this node included
     */
    static Optional<String> elect(List<String> memberNames, List<NodeRecord> recordsInViewOrder, Quorum quorum,
                                  int reachableMembers) {
        if (!quorum.holds(reachableMembers)) {
            return Optional.empty();
        }
        Optional<NodeRecord> preferred = oldestEligible(recordsInViewOrder, DispatcherMode.ALWAYS);
        Optional<String> winner = (preferred.isPresent() ? preferred
                : oldestEligible(recordsInViewOrder, DispatcherMode.AUTO)).map(NodeRecord::name);
        return winner.filter(w -> olderMembersAllKnown(w, memberNames, recordsInViewOrder));
    }

    private static boolean olderMembersAllKnown(String winner, List<String> memberNames, List<NodeRecord> records) {
        Set<String> known = records.stream().map(NodeRecord::name).collect(Collectors.toSet());
        for (String member : memberNames) {
            if (member.equals(winner)) {
                return true;
            }
            if (!known.contains(member)) {
                return false;
            }
        }
        return true;
    }

    private static Optional<NodeRecord> oldestEligible(List<NodeRecord> records, DispatcherMode mode) {
        return records.stream()
                .filter(r -> r.dispatcher() == mode && r.phase() == NodeRecord.Phase.READY
                        && r.activation() != Activation.STOPPED)
                .findFirst();
    }
}
