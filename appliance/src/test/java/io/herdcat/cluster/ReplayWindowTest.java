package io.herdcat.cluster;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ReplayWindowTest {
    @Test
    void eachSequenceNumberIsTakenOnceEvenOutOfOrder() {
        ReplayWindow w = new ReplayWindow();
        assertTrue(w.accept(2));
        assertTrue(w.accept(1), "late but new");
        assertFalse(w.accept(2), "replayed");
        assertFalse(w.accept(1), "replayed");
        assertTrue(w.accept(3));
    }

    @Test
    void numbersOlderThanTheWindowAreRefused() {
        ReplayWindow w = new ReplayWindow();
        assertTrue(w.accept(ReplayWindow.SIZE + 10));
        assertFalse(w.accept(5), "too old to tell");
        assertTrue(w.accept(ReplayWindow.SIZE + 9));
        assertFalse(w.accept(0));
        assertFalse(w.accept(-1));
    }

    @Test
    void aJumpClearsWhatWasSeenBelowIt() {
        ReplayWindow w = new ReplayWindow();
        assertTrue(w.accept(10));
        assertTrue(w.accept(10 + ReplayWindow.SIZE / 2));
        assertFalse(w.accept(10));
        assertTrue(w.accept(11));
    }
}
