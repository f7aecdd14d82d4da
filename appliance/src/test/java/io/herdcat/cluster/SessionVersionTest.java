package io.herdcat.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SessionVersionTest {
    @Test
    void aLaterChangeOfTheSameHistoryAlwaysSortsAfterEvenWhenTheClockGoesBack() {
        SessionVersion v1 = SessionVersion.INITIAL.next("a", 5_000);
        SessionVersion v2 = v1.next("b", 1_000);
        assertTrue(v2.compareTo(v1) > 0);
        assertFalse(v2.concurrentWith(v1), "b's change follows a's");
    }

    @Test
    void copiesChangedOnBothSidesAreConcurrentAndTheLaterChangeWins() {
        SessionVersion base = SessionVersion.INITIAL.next("a", 1_000);
        SessionVersion onA = base.next("a", 2_000);
        SessionVersion onB = base.next("b", 3_000);
        assertTrue(onA.concurrentWith(onB));
        assertTrue(onB.compareTo(onA) > 0, "the later change wins");
        assertEquals(onB, Collections.max(List.of(onA, onB)));
    }

    @Test
    void keepingTheGreaterCopyConvergesWhateverTheOrderOfFetches() {
        SessionVersion base = SessionVersion.INITIAL.next("a", 1_000);
        List<SessionVersion> partitions = List.of(base.next("a", 2_000), base.next("b", 2_000).next("b", 2_001),
                base.next("c", 2_000), base);
        SessionVersion expected = Collections.max(partitions);
        Random random = new Random(7);
        for (int round = 0; round < 200; round++) {
            List<SessionVersion> copies = new ArrayList<>(partitions);
            // random pairwise fetches until nothing changes
            for (int step = 0; step < 50; step++) {
                int to = random.nextInt(copies.size());
                int from = random.nextInt(copies.size());
                if (copies.get(from).compareTo(copies.get(to)) > 0) {
                    copies.set(to, copies.get(from));
                }
            }
            for (int i = 0; i < copies.size(); i++) {
                for (int j = 0; j < copies.size(); j++) {
                    if (copies.get(j).compareTo(copies.get(i)) > 0) {
                        copies.set(i, copies.get(j));
                    }
                }
            }
            assertTrue(copies.stream().allMatch(expected::equals), copies.toString());
        }
    }

    @Test
    void survivesTheWire() throws Exception {
        SessionVersion v = SessionVersion.INITIAL.next("a", 1_000).next("b", 2_000);
        assertEquals(v, SessionVersion.fromBytes(v.toBytes()));
        assertEquals(0, v.compareTo(SessionVersion.fromBytes(v.toBytes())));
    }
}
