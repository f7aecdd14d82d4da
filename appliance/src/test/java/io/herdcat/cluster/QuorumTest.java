package io.herdcat.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.herdcat.config.Activation;
import io.herdcat.config.DispatcherMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The majority rule of the election: only a group that reaches a majority of cluster.size elects a front. */
class QuorumTest {
    private static NodeRecord node(String name) {
        return new NodeRecord(name, 1, NodeRecord.Phase.READY, "127.0.0.1", 8009, 8080, 9080, "127.0.0.1", 4000,
                new byte[0], 1, Activation.ACTIVE, DispatcherMode.AUTO, "1", "11.0.21", List.of(), Instant.EPOCH, 1);
    }

    private static ClusterView view(Quorum quorum, int reachable, String... names) {
        List<NodeRecord> records = new ArrayList<>();
        for (String n : names) {
            records.add(node(n));
        }
        return new ClusterView(1, List.of(names), records, false, quorum, reachable);
    }

    private static ClusterView view(Quorum quorum, String... names) {
        return view(quorum, names.length, names);
    }

    @Test
    void aMajorityElectsAsWithoutTheRule() {
        assertEquals(Optional.of("a"), view(new Quorum(3), "a", "b", "c").dispatcher());
        assertEquals(Optional.of("b"), view(new Quorum(3), "b", "c").dispatcher(), "two of three");
        assertEquals(Optional.of("a"), view(new Quorum(5), "a", "b", "c").dispatcher(), "three of five");
        assertEquals(Optional.empty(), view(new Quorum(3), "a", "b").frontBlocked());
    }

    @Test
    void aMinorityElectsNobodyAndSaysWhy() {
        ClusterView alone = view(new Quorum(3), "a");
        assertEquals(Optional.empty(), alone.dispatcher());
        assertEquals(Optional.of("no quorum: 1 of 3 members reachable, 2 needed"), alone.frontBlocked());
        assertEquals(Optional.empty(), view(new Quorum(5), "a", "b").dispatcher(), "two of five");
    }

    @Test
    void exactlyHalfOfAnEvenSizeElectsNobody() {
        assertEquals(Optional.empty(), view(new Quorum(2), "a").dispatcher(), "one of two");
        assertEquals(Optional.empty(), view(new Quorum(4), "a", "b").dispatcher(), "two of four");
        assertEquals(Optional.of("a"), view(new Quorum(4), "a", "b", "c").dispatcher(), "three of four");
        assertEquals(Optional.of("a"), view(new Quorum(2), "a", "b").dispatcher(), "both of two");
    }

    @Test
    void membersThatFellSilentDoNotCount() {
        ClusterView cutOff = view(new Quorum(3), 1, "a", "b", "c");
        assertEquals(Optional.empty(), cutOff.dispatcher(), "three in the view, but only this node heard from");
        assertTrue(cutOff.frontBlocked().isPresent());
        assertEquals(Optional.of("a"), view(new Quorum(3), 2, "a", "b", "c").dispatcher(), "one silent of three");
    }

    @Test
    void withoutASizeEveryGroupElects() {
        assertEquals(Optional.of("a"), view(Quorum.NONE, "a").dispatcher());
        assertEquals(Optional.of("a"), new ClusterView(1, List.of("a"), List.of(node("a")), false).dispatcher());
        assertEquals(Optional.empty(), view(Quorum.NONE, "a").frontBlocked());
    }

    @Test
    void aSizeOfOneNeedsOnlyThisNode() {
        assertEquals(1, new Quorum(1).majority());
        assertEquals(Optional.of("a"), view(new Quorum(1), "a").dispatcher());
    }

    @Test
    void moreMembersThanTheSizeStillHoldAMajority() {
        assertEquals(Optional.of("a"), view(new Quorum(3), "a", "b", "c", "d").dispatcher());
    }

    @Test
    void whileTheDepartedFrontMayStillHoldTheFrontNobodyIsElected() {
        ClusterView held = new ClusterView(1, List.of("b", "c"), List.of(node("b"), node("c")), false, new Quorum(3), 2,
                Optional.of("waiting up to 900 ms for a, which ran the front and left the view, to have closed it"));
        assertEquals(Optional.empty(), held.dispatcher());
        assertTrue(held.frontBlocked().orElseThrow().startsWith("waiting up to 900 ms for a"));
        assertEquals(Optional.of("b"), new ClusterView(1, List.of("b", "c"), List.of(node("b"), node("c")), false,
                new Quorum(3), 2, Optional.empty()).dispatcher());
    }
}
