package io.herdcat.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeltaBatchTest {
    private static DeltaBatch.Change change(String context, String id, String body) {
        return new DeltaBatch.Change(context, id, body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void changesComeBackInOrderWithTheirWebappAndSession() throws IOException {
        List<DeltaBatch.Change> sent = List.of(change("/app", "s1", "first"), change("/app", "s1", "second"),
                change("/other", "s2", ""));
        byte[] message = DeltaBatch.encode(sent);
        assertTrue(DeltaBatch.isBatch(message));
        List<DeltaBatch.Change> read = DeltaBatch.decode(message);
        assertEquals(3, read.size());
        for (int i = 0; i < 3; i++) {
            assertEquals(sent.get(i).context(), read.get(i).context());
            assertEquals(sent.get(i).sessionId(), read.get(i).sessionId());
            assertArrayEquals(sent.get(i).body(), read.get(i).body());
        }
    }

    @Test
    void aJavaSerializedMessageIsNotABatch() {
        assertFalse(DeltaBatch.isBatch(new byte[] {(byte) 0xac, (byte) 0xed, 0, 5, 0, 0, 0, 1}));
        assertFalse(DeltaBatch.isBatch(new byte[] {0x48, 0x43}));
        assertFalse(DeltaBatch.isBatch(null));
    }

    @Test
    void aTruncatedOrPaddedBatchIsRefusedSayingWhy() {
        byte[] message = DeltaBatch.encode(List.of(change("/app", "s1", "a change of some length")));
        IOException cut = assertThrows(IOException.class,
                () -> DeltaBatch.decode(Arrays.copyOf(message, message.length - 5)));
        assertTrue(cut.getMessage().contains("claims"), cut.getMessage());
        IOException padded = assertThrows(IOException.class,
                () -> DeltaBatch.decode(Arrays.copyOf(message, message.length + 3)));
        assertTrue(padded.getMessage().contains("after the last"), padded.getMessage());
        byte[] hugeCount = message.clone();
        hugeCount[4] = 0x7f;
        assertThrows(IOException.class, () -> DeltaBatch.decode(hugeCount));
    }
}
