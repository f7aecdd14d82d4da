package io.herdcat.dispatcher;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link DispatcherSnapshot} as bytes, so the node running the front can tell every member what it sees.
 * Format 4: the version byte, the front's fields, each node's fields behind their length (its open
 * WebSockets last), then the clients the front cut off, then the WebSockets through the front; a later
 * version can append fields at the end or to each node's entry, and this one skips them. Formats 1 (no
 * lengths), 2 (no clients cut off: read as none) and 3 (no WebSockets: read as none) are still read. A
 * format below 1 is refused with the reason.
 */
public final class FrontStatsCodec {
    private static final int VERSION = 4;

    private FrontStatsCodec() {
    }

    public static byte[] encode(DispatcherSnapshot s) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeUTF(s.scheme());
            out.writeInt(s.port());
            out.writeLong(s.failovers());
            out.writeShort(s.nodes().size());
            for (DispatcherSnapshot.NodeStats n : s.nodes()) {
                ByteArrayOutputStream entry = new ByteArrayOutputStream(128);
                writeNode(new DataOutputStream(entry), n);
                out.writeShort(entry.size());
                entry.writeTo(out);
            }
            out.writeLong(s.clientCuts().slowBodies());
            out.writeLong(s.clientCuts().sendTimeouts());
            out.writeLong(s.clientCuts().refusedConnections());
            writeWebSockets(out, s.webSockets());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static void writeNode(DataOutputStream out, DispatcherSnapshot.NodeStats n) throws IOException {
        out.writeUTF(n.route());
        out.writeUTF(n.address());
        out.writeUTF(n.activation());
        out.writeInt(n.weight());
        out.writeUTF(n.state());
        out.writeLong(n.errorSinceMillis());
        out.writeBoolean(n.lastError() != null);
        if (n.lastError() != null) {
            out.writeUTF(n.lastError().length() > 500 ? n.lastError().substring(0, 500) : n.lastError());
        }
        out.writeLong(n.lastErrorAtMillis());
        out.writeLong(n.inFlight());
        out.writeLong(n.requests());
        out.writeLong(n.errors());
        out.writeLong(n.bytesIn());
        out.writeLong(n.bytesOut());
        out.writeInt(n.poolOpen());
        out.writeInt(n.poolIdle());
        out.writeInt(n.webSockets());
    }

    private static void writeWebSockets(DataOutputStream out, DispatcherSnapshot.WebSockets w) throws IOException {
        out.writeInt(w.open());
        out.writeInt(w.max());
        out.writeLong(w.refused());
        out.writeShort(w.closes().size());
        for (java.util.Map.Entry<String, Long> e : w.closes().entrySet()) {
            out.writeUTF(e.getKey());
            out.writeLong(e.getValue());
        }
    }

    private static DispatcherSnapshot.WebSockets readWebSockets(DataInputStream in) throws IOException {
        int open = in.readInt();
        int max = in.readInt();
        long refused = in.readLong();
        int reasons = in.readUnsignedShort();
        java.util.Map<String, Long> closes = new java.util.LinkedHashMap<>();
        for (int i = 0; i < reasons; i++) {
            closes.put(in.readUTF(), in.readLong());
        }
        return new DispatcherSnapshot.WebSockets(open, max, refused, closes);
    }

    /** @throws IOException when the bytes are not a snapshot of a format this node reads (1 and later) */
    public static DispatcherSnapshot decode(byte[] data) throws IOException {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            int version = in.readUnsignedByte();
            if (version < 1) {
                throw new IOException("front statistics of format " + version + "; this node reads format 1 and later");
            }
            String scheme = in.readUTF();
            int port = in.readInt();
            long failovers = in.readLong();
            int count = in.readUnsignedShort();
            List<DispatcherSnapshot.NodeStats> nodes = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                if (version == 1) {
                    nodes.add(readNode(in, version));
                } else {
                    byte[] entry = in.readNBytes(in.readUnsignedShort());
                    nodes.add(readNode(new DataInputStream(new ByteArrayInputStream(entry)), version));
                }
            }
            DispatcherSnapshot.ClientCuts cuts = version < 3 ? DispatcherSnapshot.ClientCuts.NONE
                    : new DispatcherSnapshot.ClientCuts(in.readLong(), in.readLong(), in.readLong());
            return new DispatcherSnapshot(scheme, port, failovers, cuts, nodes,
                    version < 4 ? DispatcherSnapshot.WebSockets.NONE : readWebSockets(in));
        }
    }

    private static DispatcherSnapshot.NodeStats readNode(DataInputStream in, int version) throws IOException {
        String route = in.readUTF();
        String address = in.readUTF();
        String activation = in.readUTF();
        int weight = in.readInt();
        String state = in.readUTF();
        long errorSince = in.readLong();
        String lastError = in.readBoolean() ? in.readUTF() : null;
        long lastErrorAt = in.readLong();
        long inFlight = in.readLong();
        long requests = in.readLong();
        long errors = in.readLong();
        long bytesIn = in.readLong();
        long bytesOut = in.readLong();
        int poolOpen = in.readInt();
        int poolIdle = in.readInt();
        int webSockets = version >= 4 ? in.readInt() : 0;
        return new DispatcherSnapshot.NodeStats(route, address, activation, weight, state, errorSince, lastError,
                lastErrorAt, inFlight, requests, errors, bytesIn, bytesOut, poolOpen, poolIdle, webSockets);
    }
}
