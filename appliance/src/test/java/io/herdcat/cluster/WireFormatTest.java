package io.herdcat.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.herdcat.cluster.ClusterMessage.FrontStatsMsg;
import io.herdcat.cluster.ClusterMessage.NodeStats;
import io.herdcat.cluster.ClusterMessage.RecordMsg;
import io.herdcat.cluster.ClusterMessage.SetActivation;
import io.herdcat.cluster.ClusterMessage.SetWeight;
import io.herdcat.config.Activation;
import io.herdcat.config.DispatcherMode;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Herdcat's membership messages: typed, versioned, enums by name, readable by a newer node's rules. */
class WireFormatTest {
    private static final NodeRecord RECORD = new NodeRecord("b", 7, NodeRecord.Phase.READY, "127.0.0.1", 8009, 8080,
            9090, "127.0.0.1", 4000, new byte[] {1, 2, 3}, 5, Activation.DISABLED, DispatcherMode.ALWAYS, "1.0",
            "11.0.21", List.of(new NodeRecord.Webapp("/app", "2")), Instant.ofEpochMilli(123_456), 3, "10.0.0.8");
    /** The bytes {@code httpHost} takes at the end of {@link #RECORD}: a UTF length and the text. */
    private static final int HTTP_HOST_BYTES = 2 + "10.0.0.8".length();

    private static ClusterMessage roundTrip(ClusterMessage m) throws IOException {
        byte[] bytes = ClusterMessage.encode(m);
        return ClusterMessage.decode(bytes, 0, bytes.length);
    }

    @Test
    void everyMessageReadsBackAsWritten() throws IOException {
        RecordMsg r = (RecordMsg) roundTrip(new RecordMsg(RECORD));
        assertEquals(RECORD.name(), r.record().name());
        assertEquals(RECORD.activation(), r.record().activation());
        assertEquals(RECORD.dispatcher(), r.record().dispatcher());
        assertEquals(RECORD.webapps(), r.record().webapps());
        assertArrayEquals(RECORD.tribesMember(), r.record().tribesMember());
        assertEquals(3, r.record().replicationFormat());
        assertEquals("10.0.0.8", r.record().httpHost());
        assertEquals(new SetWeight(42), roundTrip(new SetWeight(42)));
        assertEquals(new SetActivation(Activation.STOPPED), roundTrip(new SetActivation(Activation.STOPPED)));
        assertEquals(new NodeStats(3, 7, 9), roundTrip(new NodeStats(3, 7, 9)));
        assertArrayEquals(new byte[] {9, 8}, ((FrontStatsMsg) roundTrip(new FrontStatsMsg(new byte[] {9, 8}))).snapshot());
        assertInstanceOf(ClusterMessage.ResetCounters.class, roundTrip(new ClusterMessage.ResetCounters()));
        ClusterMessage.ViewBeat beat = new ClusterMessage.ViewBeat(List.of(new java.util.UUID(1, 2), new java.util.UUID(3, 4)));
        assertEquals(beat, roundTrip(beat));
    }

    @Test
    void aRecordFromANodeBuiltBeforeTheReplicationFormatFieldSpeaksTheFirstFormat() throws IOException {
        NodeRecord read = withoutLastBytes(HTTP_HOST_BYTES + Integer.BYTES);
        assertEquals(1, read.replicationFormat());
        assertEquals(RECORD.startedAt(), read.startedAt());
    }

    @Test
    void aRecordFromANodeBuiltBeforeTheHttpHostFieldServesHttpOnItsAjpHost() throws IOException {
        NodeRecord read = withoutLastBytes(HTTP_HOST_BYTES);
        assertEquals(3, read.replicationFormat());
        assertEquals(RECORD.ajpHost(), read.httpHost());
    }

    /** An older node's record: the same bytes without the last fields, and a body length that many bytes shorter. */
    private static NodeRecord withoutLastBytes(int cut) throws IOException {
        byte[] now = ClusterMessage.encode(new RecordMsg(RECORD));
        byte[] older = java.util.Arrays.copyOf(now, now.length - cut);
        java.nio.ByteBuffer body = java.nio.ByteBuffer.wrap(older);
        int lengthAt = 2 + 2 + "record".length();
        body.putInt(lengthAt, body.getInt(lengthAt) - cut);
        return ((RecordMsg) ClusterMessage.decode(older, 0, older.length)).record();
    }

    @Test
    void enumsTravelByNameNotOrdinal() {
        String text = new String(ClusterMessage.encode(new RecordMsg(RECORD)), StandardCharsets.ISO_8859_1);
        assertTrue(text.contains("READY") && text.contains("DISABLED") && text.contains("ALWAYS"), text);
        assertTrue(new String(ClusterMessage.encode(new SetActivation(Activation.STOPPED)), StandardCharsets.ISO_8859_1)
                .contains("set-activation"));
    }

    @Test
    void theUnversionedFormatIsRefusedWithTheReason() {
        byte[] formatOne = {3, 0, 0, 0, 2};
        IOException e = assertThrows(IOException.class, () -> ClusterMessage.decode(formatOne, 0, formatOne.length));
        assertTrue(e.getMessage().contains("format 1"), e.getMessage());
    }

    @Test
    void fieldsAppendedByANewerVersionAreSkippedAndUnknownTypesOrNamesRefused() throws IOException {
        byte[] newer = message(3, "set-weight", body -> {
            body.writeInt(9);
            body.writeUTF("a field of a later version");
        });
        assertEquals(new SetWeight(9), ClusterMessage.decode(newer, 0, newer.length));

        byte[] unknownType = message(2, "set-colour", body -> body.writeUTF("red"));
        IOException e = assertThrows(IOException.class, () -> ClusterMessage.decode(unknownType, 0, unknownType.length));
        assertTrue(e.getMessage().contains("set-colour"), e.getMessage());

        byte[] unknownName = message(2, "set-activation", body -> body.writeUTF("HIBERNATING"));
        e = assertThrows(IOException.class, () -> ClusterMessage.decode(unknownName, 0, unknownName.length));
        assertTrue(e.getMessage().contains("HIBERNATING"), e.getMessage());
    }

    private interface Body {
        void write(DataOutputStream out) throws IOException;
    }

    private static byte[] message(int format, String type, Body body) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        body.write(new DataOutputStream(b));
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(all);
        out.writeByte(0);
        out.writeByte(format);
        out.writeUTF(type);
        out.writeInt(b.size());
        b.writeTo(out);
        return all.toByteArray();
    }
}
