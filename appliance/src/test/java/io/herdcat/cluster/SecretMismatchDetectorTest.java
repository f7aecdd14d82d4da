package io.herdcat.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SecretMismatchDetectorTest {
    @Test
    void memoryStaysBoundedWhateverTheNumberOfSenders() {
        SecretMismatchDetector d = new SecretMismatchDetector("a");
        for (int i = 0; i < 100_000; i++) {
            d.notSealed("10.0." + (i >> 8) + "." + (i & 255));
        }
        assertEquals(SecretMismatchDetector.MAX_SENDERS, d.remembered());
    }
}
