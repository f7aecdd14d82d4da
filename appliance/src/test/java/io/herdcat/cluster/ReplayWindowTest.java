package io.herdcat.cluster;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ReplayWindowTest {
    private static final int SIZE = 1024;

    @Test
    void eachSequenceNumberIsTakenOnceEvenOutOfOrder() {
        ReplayWindow w = new ReplayWindow(SIZE);
        assertTrue(w.accept(2));
        assertTrue(w.accept(1), "late but new");
        assertFalse(w.accept(2), "replayed");
        assertFalse(w.accept(1), "replayed");
        assertTrue(w.accept(3));
        assertFalse(w.accept(0));
        assertFalse(w.accept(-1));
    }

    @Test
    void aForgottenNumberIsTakenAgainOnce() {
        ReplayWindow w = new ReplayWindow(SIZE);
        assertTrue(w.accept(7));
        assertTrue(w.accept(8));
        w.forget(7);
        w.forget(8);
        assertTrue(w.accept(7), "refused further up, so its retry is new");
        assertTrue(w.accept(8));
        assertFalse(w.accept(8));
        assertTrue(w.accept(8 + SIZE));
        w.forget(8);
        assertFalse(w.accept(8), "too old to forget");
    }

    @Test
    void numbersOlderThanTheWindowAreRefused() {
        ReplayWindow w = new ReplayWindow(SIZE);
        assertTrue(w.accept(5000));
        assertFalse(w.accept(5000 - SIZE), "too old to tell");
        assertTrue(w.accept(5000 - SIZE + 1));
        assertFalse(w.accept(5000 - SIZE + 1));
        assertTrue(w.accept(4999));
    }

    @Test
    void aJumpClearsWhatWasSeenBelowIt() {
        ReplayWindow w = new ReplayWindow(SIZE);
        assertTrue(w.accept(10));
        assertTrue(w.accept(10 + SIZE / 2));
        assertFalse(w.accept(10));
        assertTrue(w.accept(11));
        assertTrue(w.accept(10 + SIZE / 2 + SIZE), "a jump past the window forgets everything below");
        assertFalse(w.accept(12));
    }
}
