package io.herdcat.cluster;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** When another member counts as reachable, from the beats it sends (times in made-up nanoseconds). */
class MemberPulseTest {
    private static final long WINDOW = 750;
    private static final long CONFIRM = 400;

    @Test
    void aNewMemberCountsAtOnceAndWhileItsBeatsListThisNode() {
        MemberPulse p = new MemberPulse(0, WINDOW, CONFIRM);
        assertTrue(p.reachable(0));
        assertTrue(p.reachable(WINDOW));
        p.beat(200, true);
        assertTrue(p.reachable(200 + WINDOW));
        assertFalse(p.reachable(201 + WINDOW), "silent longer than the window");
    }

    @Test
    void aBeatWithoutThisNodeStopsItCountingAtOnce() {
        MemberPulse p = new MemberPulse(0, WINDOW, CONFIRM);
        p.beat(100, false);
        assertFalse(p.reachable(100));
        p.beat(200, true);
        assertFalse(p.reachable(200), "one beat listing this node again is not enough");
        p.beat(600, true);
        assertTrue(p.reachable(600), "listed without a break for the confirm time");
    }

    @Test
    void oldBeatsArrivingInABurstAfterSilenceDoNotBringItBack() {
        MemberPulse p = new MemberPulse(0, WINDOW, CONFIRM);
        assertFalse(p.reachable(1000), "fell silent");
        p.beat(5000, true);
        p.beat(5001, true);
        assertFalse(p.reachable(5001), "beats sent before it removed this node, delivered at once");
        p.beat(5002, false);
        p.beat(5400, false);
        assertFalse(p.reachable(5400));
    }

    @Test
    void aMemberThatWasOnlySlowCountsAgainOnceItsBeatsFlow() {
        MemberPulse p = new MemberPulse(0, WINDOW, CONFIRM);
        p.beat(2000, true);
        assertFalse(p.reachable(2000));
        p.beat(2200, true);
        assertFalse(p.reachable(2200));
        p.beat(2400, true);
        assertTrue(p.reachable(2400));
    }
}
