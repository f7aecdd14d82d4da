package io.herdcat.cluster;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import org.jgroups.Address;
import org.jgroups.Membership;
import org.jgroups.protocols.pbcast.GMS;

/**
 * The member order of the view that joins partitions when they heal: the largest side's members first,
 * in the order they had there, then the other sides, largest first (sides of equal size by their
 * coordinator's address, lowest first, as JGroups does). The front goes to the oldest eligible member
 * ({@link DispatcherElection}), so the side that ran it while apart (with a cluster size, the only one:
 * the majority) keeps it, and a node that was cut off does not take it on its return just because its
 * random address sorts first — which JGroups' own order (the lowest coordinator first) would let it do,
 * closing one front and opening another, with their addresses moving, right after every heal. Joins
 * and leaves keep JGroups' order: newcomers last.
 */
final class MergeOrder extends GMS.DefaultMembershipPolicy {
    private static final Comparator<Collection<Address>> LARGEST_FIRST =
            Comparator.<Collection<Address>>comparingInt(Collection::size).reversed()
                    .thenComparing(side -> side.iterator().next());

    @Override
    public List<Address> getNewMembership(Collection<Collection<Address>> subviews) {
        List<Collection<Address>> sides = new ArrayList<>();
        for (Collection<Address> side : subviews) {
            if (!side.isEmpty()) {
                sides.add(side);
            }
        }
        sides.sort(LARGEST_FIRST);
        Membership merged = new Membership();
        sides.forEach(merged::add);
        return merged.getMembers();
    }
}
