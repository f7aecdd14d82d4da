package io.herdcat.dispatcher.balance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.herdcat.config.Activation;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BalancerTest {
    private static WorkerSpec spec(String route, int weight, Activation activation) {
        return new WorkerSpec(route, "127.0.0.1", 8009, weight, activation);
    }

    private static Map<String, Integer> newSessions(Balancer b, int count) {
        Map<String, Integer> shares = new HashMap<>();
        for (int i = 0; i < count; i++) {
            shares.merge(b.choose(null, Set.of()).orElseThrow().route(), 1, Integer::sum);
        }
        return shares;
    }

    @Test
    void equalWeightsShareNewSessionsEvenly() {
        Balancer b = new Balancer(BalanceMethod.REQUESTS, false);
        b.update(List.of(spec("a", 1, Activation.ACTIVE), spec("b", 1, Activation.ACTIVE)));
        Map<String, Integer> shares = newSessions(b, 1000);
        assertEquals(500, shares.get("a"), 25);
        assertEquals(500, shares.get("b"), 25);
    }

    @Test
    void weightsShareNewSessionsInProportionWithinFivePercent() {
        Balancer b = new Balancer(BalanceMethod.REQUESTS, false);
        b.update(List.of(spec("a", 1, Activation.ACTIVE), spec("b", 3, Activation.ACTIVE), spec("c", 4, Activation.ACTIVE)));
        Map<String, Integer> shares = newSessions(b, 1000);
        assertEquals(125, shares.get("a"), 1000 * 0.05);
        assertEquals(375, shares.get("b"), 1000 * 0.05);
        assertEquals(500, shares.get("c"), 1000 * 0.05);
    }

    @Test
    void aSessionStaysOnItsNode() {
        Balancer b = new Balancer(BalanceMethod.REQUESTS, false);
        b.update(List.of(spec("a", 1, Activation.ACTIVE), spec("b", 1, Activation.ACTIVE)));
        for (int i = 0; i < 10; i++) {
            assertEquals("b", b.choose("b", Set.of()).orElseThrow().route());
        }
    }

    @Test
    void disabledNodeKeepsItsSessionsAndGetsNoNewOnes() {
        Balancer b = new Balancer(BalanceMethod.REQUESTS, false);
        b.update(List.of(spec("a", 1, Activation.ACTIVE), spec("b", 1, Activation.DISABLED)));
        assertEquals("b", b.choose("b", Set.of()).orElseThrow().route());
        assertEquals(Map.of("a", 100), newSessions(b, 100));
    }

    @Test
    void stoppedNodeGetsNothingNotEvenItsSessions() {
        Balancer b = new Balancer(BalanceMethod.REQUESTS, false);
        b.update(List.of(spec("a", 1, Activation.ACTIVE), spec("b", 1, Activation.STOPPED)));
        assertEquals("a", b.choose("b", Set.of()).orElseThrow().route());
        assertEquals(Map.of("a", 100), newSessions(b, 100));
    }

    @Test
    void stickyForceRefusesToMoveASessionWhoseNodeIsUnavailable() {
        Balancer b = new Balancer(BalanceMethod.REQUESTS, true);
        b.update(List.of(spec("a", 1, Activation.ACTIVE), spec("b", 1, Activation.STOPPED)));
        assertEquals(Optional.empty(), b.choose("b", Set.of()));
        assertEquals("a", b.choose("a", Set.of()).orElseThrow().route());
    }

    @Test
    void nodeInErrorIsSkippedUntilItRecoversAndTriedNodesAreSkipped() {
        Balancer b = new Balancer(BalanceMethod.REQUESTS, false);
        b.update(List.of(spec("a", 1, Activation.ACTIVE), spec("b", 1, Activation.ACTIVE)));
        b.worker("a").orElseThrow().markError(1, "refused");
        assertEquals(Map.of("b", 50), newSessions(b, 50));
        assertEquals("b", b.choose("a", Set.of()).orElseThrow().route(), "its sessions fail over");
        assertEquals(Optional.empty(), b.choose(null, Set.of("b")), "no node left: the front answers 503");
        b.worker("a").orElseThrow().markOk();
        assertEquals("a", b.choose(null, Set.of("b")).orElseThrow().route());
    }

    @Test
    void whenEveryNodeIsInErrorTheOneLongestInErrorIsTriedAnyway() {
        Balancer b = new Balancer(BalanceMethod.REQUESTS, false);
        b.update(List.of(spec("a", 1, Activation.ACTIVE), spec("b", 1, Activation.ACTIVE)));
        b.worker("b").orElseThrow().markError(1, "no CPong");
        b.worker("a").orElseThrow().markError(2, "no CPong");
        assertEquals("b", b.choose(null, Set.of()).orElseThrow().route());
        assertEquals("a", b.choose(null, Set.of("b")).orElseThrow().route(), "then the next");
        assertEquals(Optional.empty(), b.choose(null, Set.of("a", "b")), "all tried: the front answers 503");
    }

    @Test
    void busynessPicksTheNodeWithFewestRequestsInFlight() {
        Balancer b = new Balancer(BalanceMethod.BUSYNESS, false);
        b.update(List.of(spec("a", 1, Activation.ACTIVE), spec("b", 1, Activation.ACTIVE)));
        b.worker("a").orElseThrow().started();
        b.worker("a").orElseThrow().started();
        assertEquals("b", b.choose(null, Set.of()).orElseThrow().route());
    }

    @Test
    void updateKeepsCountersAndHealthOfKnownNodes() {
        Balancer b = new Balancer(BalanceMethod.REQUESTS, false);
        b.update(List.of(spec("a", 1, Activation.ACTIVE)));
        Worker a = b.worker("a").orElseThrow();
        a.started();
        a.markError(5, "refused");
        b.update(List.of(spec("a", 2, Activation.DISABLED), spec("b", 1, Activation.ACTIVE)));
        assertTrue(b.worker("a").orElseThrow() == a);
        assertEquals(1, a.requests());
        assertEquals(Worker.State.ERROR, a.state());
        assertEquals(Activation.DISABLED, a.spec().activation());
    }
}
