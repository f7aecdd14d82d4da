package io.herdcat.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.herdcat.config.Activation;
import io.herdcat.config.DispatcherMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Who runs the HTTP front, decided from one view (records in view order, oldest first). */
class DispatcherElectionTest {
    private static NodeRecord node(String name, DispatcherMode mode) {
        return new NodeRecord(name, 1, NodeRecord.Phase.READY, "127.0.0.1", 8009, 8080, 9080, "127.0.0.1", 4000,
                new byte[0], 1, Activation.ACTIVE, mode, "1", "11.0.21", List.of(), Instant.EPOCH, 1);
    }

    private static Optional<String> elected(NodeRecord... inViewOrder) {
        List<String> names = new ArrayList<>();
        for (NodeRecord r : inViewOrder) {
            names.add(r.name());
        }
        return new ClusterView(1, names, List.of(inViewOrder), false).dispatcher();
    }

    @Test
    void anAlwaysNodeIsPreferredToOlderAutoNodes() {
        assertEquals(Optional.of("c"), elected(node("a", DispatcherMode.AUTO), node("b", DispatcherMode.AUTO),
                node("c", DispatcherMode.ALWAYS)));
    }

    @Test
    void amongEqualNodesTheOldestMemberWins() {
        assertEquals(Optional.of("a"), elected(node("a", DispatcherMode.AUTO), node("b", DispatcherMode.AUTO)));
        assertEquals(Optional.of("b"), elected(node("a", DispatcherMode.AUTO), node("b", DispatcherMode.ALWAYS),
                node("c", DispatcherMode.ALWAYS)));
    }

    @Test
    void aNodeThatRejoinsDoesNotTakeTheFrontBackFromAnEqualNode() {
        NodeRecord a = node("a", DispatcherMode.AUTO);
        NodeRecord b = node("b", DispatcherMode.AUTO);
        assertEquals(Optional.of("a"), elected(a, b));
        assertEquals(Optional.of("b"), elected(b), "a left");
        assertEquals(Optional.of("b"), elected(b, a), "a is back, as the youngest member: b keeps the front");
    }

    @Test
    void neverNeverWinsEvenAlone() {
        assertEquals(Optional.empty(), elected(node("a", DispatcherMode.NEVER)));
        assertEquals(Optional.of("b"), elected(node("a", DispatcherMode.NEVER), node("b", DispatcherMode.AUTO)));
    }

    @Test
    void aStoppedOrNotReadyNodeDoesNotWin() {
        NodeRecord stopped = node("a", DispatcherMode.ALWAYS).withActivation(Activation.STOPPED);
        NodeRecord starting = node("b", DispatcherMode.ALWAYS).withPhase(NodeRecord.Phase.STARTING);
        NodeRecord stopping = node("c", DispatcherMode.AUTO).withPhase(NodeRecord.Phase.STOPPING);
        NodeRecord ready = node("d", DispatcherMode.AUTO);
        assertEquals(Optional.of("d"), elected(stopped, starting, stopping, ready));
        assertEquals(Optional.empty(), elected(stopped, starting, stopping));
    }

    @Test
    void aDisabledNodeMayStillRunTheFront() {
        assertEquals(Optional.of("a"), elected(node("a", DispatcherMode.AUTO).withActivation(Activation.DISABLED),
                node("b", DispatcherMode.AUTO)));
    }

    @Test
    void anOlderMemberWhoseRecordHasNotArrivedBlocksTheElection() {
        NodeRecord b = node("b", DispatcherMode.AUTO);
        NodeRecord c = node("c", DispatcherMode.AUTO);
        assertEquals(Optional.empty(), new ClusterView(2, List.of("a", "b", "c"), List.of(b, c), true).dispatcher(),
                "just merged: a, older than b, may be the front; wait for its record");
        assertEquals(Optional.of("b"), new ClusterView(2, List.of("b", "c", "d"), List.of(b, c), false).dispatcher(),
                "d just joined, younger than b: b keeps the front");
    }
}
