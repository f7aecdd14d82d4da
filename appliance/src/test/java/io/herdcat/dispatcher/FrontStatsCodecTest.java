package io.herdcat.dispatcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The front's statistics: the current format, the previous one, and fields a later version appends. */
class FrontStatsCodecTest {
    private static final DispatcherSnapshot.NodeStats NODE = new DispatcherSnapshot.NodeStats("a", "127.0.0.1:8009",
            "active", 3, "ok", 0, "boom", 5, 1, 2, 3, 4, 5, 6, 7);
    private static final DispatcherSnapshot.NodeStats NODE_WITH_WEBSOCKETS = new DispatcherSnapshot.NodeStats("a",
            "127.0.0.1:8009", "active", 3, "ok", 0, "boom", 5, 1, 2, 3, 4, 5, 6, 7, 8);
    private static final DispatcherSnapshot.WebSockets WEBSOCKETS = new DispatcherSnapshot.WebSockets(16, 100, 3,
            java.util.Map.of("client", 4L, "node_lost", 2L));
    private static final DispatcherSnapshot SNAPSHOT = new DispatcherSnapshot("http", 8080, 9,
            new DispatcherSnapshot.ClientCuts(10, 11, 12), List.of(NODE_WITH_WEBSOCKETS, NODE_WITH_WEBSOCKETS), WEBSOCKETS);
    private static final DispatcherSnapshot.ClientCuts NONE = DispatcherSnapshot.ClientCuts.NONE;

    @Test
    void readsBackWhatItWrites() throws IOException {
        assertEquals(SNAPSHOT, FrontStatsCodec.decode(FrontStatsCodec.encode(SNAPSHOT)));
    }

    @Test
    void readsThePreviousFormats() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeByte(1);
        front(out);
        out.writeShort(2);
        node(out);
        node(out);
        DispatcherSnapshot noCuts = new DispatcherSnapshot("http", 8080, 9, NONE, List.of(NODE, NODE));
        assertEquals(noCuts, FrontStatsCodec.decode(bytes.toByteArray()));

        bytes.reset();
        out.writeByte(2);
        front(out);
        twoNodeEntries(out);
        assertEquals(noCuts, FrontStatsCodec.decode(bytes.toByteArray()));

        bytes.reset();
        out.writeByte(3);
        front(out);
        twoNodeEntries(out);
        cuts(out);
        assertEquals(new DispatcherSnapshot("http", 8080, 9, new DispatcherSnapshot.ClientCuts(10, 11, 12),
                List.of(NODE, NODE)), FrontStatsCodec.decode(bytes.toByteArray()), "format 3: no WebSockets");
    }

    @Test
    void skipsFieldsALaterVersionAppendsAndRefusesFormatZero() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeByte(5);
        front(out);
        out.writeShort(2);
        for (int i = 0; i < 2; i++) {
            ByteArrayOutputStream entry = new ByteArrayOutputStream();
            DataOutputStream e = new DataOutputStream(entry);
            node(e);
            e.writeInt(8);
            e.writeUTF("a field of format 5");
            out.writeShort(entry.size());
            entry.writeTo(out);
        }
        cuts(out);
        webSockets(out);
        out.writeLong(42);
        assertEquals(SNAPSHOT, FrontStatsCodec.decode(bytes.toByteArray()));
        assertThrows(IOException.class, () -> FrontStatsCodec.decode(new byte[] {0}));
    }

    /** Two nodes, each entry behind its length (format 2 on). */
    private static void twoNodeEntries(DataOutputStream out) throws IOException {
        out.writeShort(2);
        for (int i = 0; i < 2; i++) {
            ByteArrayOutputStream entry = new ByteArrayOutputStream();
            node(new DataOutputStream(entry));
            out.writeShort(entry.size());
            entry.writeTo(out);
        }
    }

    private static void cuts(DataOutputStream out) throws IOException {
        out.writeLong(10);
        out.writeLong(11);
        out.writeLong(12);
    }

    private static void webSockets(DataOutputStream out) throws IOException {
        out.writeInt(16);
        out.writeInt(100);
        out.writeLong(3);
        out.writeShort(2);
        out.writeUTF("client");
        out.writeLong(4);
        out.writeUTF("node_lost");
        out.writeLong(2);
    }

    private static void front(DataOutputStream out) throws IOException {
        out.writeUTF("http");
        out.writeInt(8080);
        out.writeLong(9);
    }

    private static void node(DataOutputStream out) throws IOException {
        out.writeUTF("a");
        out.writeUTF("127.0.0.1:8009");
        out.writeUTF("active");
        out.writeInt(3);
        out.writeUTF("ok");
        out.writeLong(0);
        out.writeBoolean(true);
        out.writeUTF("boom");
        out.writeLong(5);
        for (int i = 1; i <= 5; i++) {
            out.writeLong(i);
        }
        out.writeInt(6);
        out.writeInt(7);
    }
}
