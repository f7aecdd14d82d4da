package io.herdcat.cluster;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ReplayWindowTest {
    @Test
    void eachSequenceNumberIsAcceptedOnceInAnyOrderWithinTheWindow() {
        ReplayWindow w = new ReplayWindow();
        assertTrue(w.accept(1));
        assertTrue(w.accept(3));
        assertTrue(w.accept(2), "late but new");
        assertFalse(w.accept(2));
        assertFalse(w.accept(3));
        assertFalse(w.accept(0));
        assertTrue(w.accept(5000));
        assertFalse(w.accept(5000 - ReplayWindow.SIZE), "too old to tell: refused");
        assertTrue(w.accept(5000 - ReplayWindow.SIZE + 1));
        assertFalse(w.accept(5000 - ReplayWindow.SIZE + 1));
        assertTrue(w.accept(4999));
    }
}
