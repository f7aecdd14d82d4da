package io.herdcat.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.herdcat.config.ClusterSecret;
import io.herdcat.config.NodeConfig.ClusterSettings;
import io.herdcat.config.NodeConfig.SessionManagerKind;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import org.jgroups.Address;
import org.jgroups.protocols.pbcast.GMS;
import org.jgroups.stack.MembershipChangePolicy;
import org.jgroups.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The order of the view that joins partitions when they heal, as the node's own stack computes it: the
 * larger side's members first, in their order, so that its front (its oldest eligible member) stays the
 * oldest eligible member of the merged view and a lone node that was cut off does not take the front.
 */
class MergeOrderTest {
    /** Addresses ordered by their value: {@code LOW} sorts before every other. */
    private static final Address LOW = new UUID(0, 1);
    private static final Address B = new UUID(0, 5);
    private static final Address C = new UUID(0, 9);
    private static final Address D = new UUID(0, 13);

    @Test
    void aLoneNodeThatWasCutOffComesBackBehindTheLargerSideEvenWhenItsAddressSortsFirst() {
        assertEquals(List.of(B, C, LOW), merged(List.of(List.of(LOW), List.of(B, C))));
        assertEquals(List.of(B, C, LOW), merged(List.of(List.of(B, C), List.of(LOW))));
    }

    @Test
    void theLargerSideKeepsItsOwnOrderAndTheOthersFollowLargestFirst() {
        assertEquals(List.of(C, B, LOW, D), merged(List.of(List.of(D), List.of(LOW), List.of(C, B))));
    }

    @Test
    void sidesOfEqualSizeAreOrderedByTheirCoordinatorsAddress() {
        assertEquals(List.of(LOW, D, B, C), merged(List.of(List.of(B, C), List.of(LOW, D))));
    }

    @Test
    void aMemberListedByTwoSidesIsListedOnce() {
        assertEquals(List.of(B, C, D, LOW), merged(List.of(List.of(B, C, D), List.of(LOW, D))));
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static List<Address> merged(List<List<Address>> subviews) {
        return policy().getNewMembership((List) subviews);
    }

    private static MembershipChangePolicy policy() {
        ClusterSettings cs = new ClusterSettings("merge-order", InetAddress.getLoopbackAddress(), List.of(), null, 0, 0,
                new ClusterSecret("merge-order-test-secret-0123456789abcdef"), SessionManagerKind.DELTA,
                Duration.ofSeconds(5), Duration.ofSeconds(2), Duration.ofSeconds(10), 0);
        return JGroupsStack.build(cs, null, "merge-order", new RejectedMessages("merge-order")).stream()
                .filter(GMS.class::isInstance).map(GMS.class::cast).findFirst().orElseThrow()
                .getMembershipChangePolicy();
    }
}
