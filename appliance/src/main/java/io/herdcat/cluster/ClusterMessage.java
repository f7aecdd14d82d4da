package io.herdcat.cluster;

import io.herdcat.config.Activation;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The Herdcat messages of the membership channel and their wire format. Every message is
 * {@code 0x00 | format version (1 byte) | type name (UTF) | body length (int) | body}. Format 1 (a bare
 * type number 1–6 first, enums as ordinals) is refused with a logged reason: it came from Herdcat
 * versions whose traffic is not sealed, which this node cannot talk to anyway.
 *
 * <p>Compatibility rules, so nodes of two Herdcat versions work side by side during a rolling upgrade:
 * a body only ever grows at its end and a reader ignores what follows the fields it knows; a message
 * whose meaning changes gets a new type name; a type name this node does not know is refused, logged
 * and counted, never guessed at. {@link #FORMAT} only grows: a reader takes any format from 2 up.
 */
sealed interface ClusterMessage {
    byte FORMAT = 2;

    String type();

    void writeBody(DataOutputStream out) throws IOException;

    /** A node's own record, sent to all on every change and view, and to one member that asks. */
    record RecordMsg(NodeRecord record) implements ClusterMessage {
        public String type() {
            return "record";
        }

        public void writeBody(DataOutputStream out) throws IOException {
            record.writeTo(out);
        }
    }

    /** "Send me your record": a member whose stats show a record this node lacks or holds an older copy of. */
    record RecordRequest() implements ClusterMessage {
        public String type() {
            return "record-request";
        }

        public void writeBody(DataOutputStream out) {
        }
    }

    /** Every second: the sender's session count and which copy of its record is current. */
    record NodeStats(long sessions, long revision, long startedAtMillis) implements ClusterMessage {
        public String type() {
            return "node-stats";
        }

        public void writeBody(DataOutputStream out) throws IOException {
            out.writeLong(sessions);
            out.writeLong(revision);
            out.writeLong(startedAtMillis);
        }
    }

    /** Every second from the node running the front: what it sees ({@code FrontStatsCodec}). */
    record FrontStatsMsg(byte[] snapshot) implements ClusterMessage {
        public String type() {
            return "front-stats";
        }

        public void writeBody(DataOutputStream out) throws IOException {
            out.writeInt(snapshot.length);
            out.write(snapshot);
        }
    }

    /**
     * Several times per {@code cluster.silence.timeout}, with a cluster size set: the members of the
     * sender's view, so a receiver knows the sender still counts it in ({@link QuorumWatch}).
     */
    record ViewBeat(List<UUID> members) implements ClusterMessage {
        public ViewBeat {
            members = List.copyOf(members);
        }

        public String type() {
            return "view-beat";
        }

        public void writeBody(DataOutputStream out) throws IOException {
            out.writeInt(members.size());
            for (UUID m : members) {
                out.writeLong(m.getMostSignificantBits());
                out.writeLong(m.getLeastSignificantBits());
            }
        }
    }

    /**
     * A message of a feature outside the cluster package (rolling upgrades, say): the cluster only
     * carries it, sealed like every other message, to the listener registered for its topic.
     */
    record TopicMsg(String topic, byte[] payload) implements ClusterMessage {
        public String type() {
            return "topic";
        }

        public void writeBody(DataOutputStream out) throws IOException {
            out.writeUTF(topic);
            out.writeInt(payload.length);
            out.write(payload);
        }
    }

    /** Admin command: the receiver takes this weight. */
    record SetWeight(int weight) implements ClusterMessage {
        public String type() {
            return "set-weight";
        }

        public void writeBody(DataOutputStream out) throws IOException {
            out.writeInt(weight);
        }
    }

    /** Admin command: the receiver takes this activation. */
    record SetActivation(Activation activation) implements ClusterMessage {
        public String type() {
            return "set-activation";
        }

        public void writeBody(DataOutputStream out) throws IOException {
            out.writeUTF(activation.name());
        }
    }

    /** Admin command: the receiver (running the front) resets the front's counters. */
    record ResetCounters() implements ClusterMessage {
        public String type() {
            return "reset-counters";
        }

        public void writeBody(DataOutputStream out) {
        }
    }

    static byte[] encode(ClusterMessage m) {
        try {
            ByteArrayOutputStream body = new ByteArrayOutputStream(128);
            m.writeBody(new DataOutputStream(body));
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(body.size() + 32);
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeByte(0);
            out.writeByte(FORMAT);
            out.writeUTF(m.type());
            out.writeInt(body.size());
            body.writeTo(out);
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @throws IOException with the reason, when the bytes are not a message this node reads */
    static ClusterMessage decode(byte[] data, int offset, int length) throws IOException {
        if (length < 1) {
            throw new IOException("empty message");
        }
        if (data[offset] != 0) {
            throw new IOException("format 1 (type " + data[offset] + ", unsealed older Herdcat); this node reads "
                    + "format " + FORMAT + " and later");
        }
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(data, offset + 1, length - 1));
        int format = in.readUnsignedByte();
        if (format < FORMAT) {
            throw new IOException("format " + format + "; this node reads format " + FORMAT + " and later");
        }
        String type = in.readUTF();
        int bodyLength = in.readInt();
        if (bodyLength < 0 || bodyLength > in.available()) {
            throw new IOException("body of " + bodyLength + " bytes in a message of " + length);
        }
        byte[] bodyBytes = in.readNBytes(bodyLength);
        DataInputStream body = new DataInputStream(new ByteArrayInputStream(bodyBytes));
        return switch (type) {
            case "record" -> new RecordMsg(NodeRecord.readFrom(body));
            case "record-request" -> new RecordRequest();
            case "node-stats" -> new NodeStats(body.readLong(), body.readLong(), body.readLong());
            case "front-stats" -> {
                int n = body.readInt();
                if (n < 0 || n > bodyBytes.length) {
                    throw new IOException("front statistics of " + n + " bytes");
                }
                yield new FrontStatsMsg(body.readNBytes(n));
            }
            case "view-beat" -> {
                int n = body.readInt();
                if (n < 0 || n > bodyBytes.length / 16) {
                    throw new IOException("view of " + n + " members");
                }
                List<UUID> members = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    members.add(new UUID(body.readLong(), body.readLong()));
                }
                yield new ViewBeat(members);
            }
            case "topic" -> {
                String topic = body.readUTF();
                int n = body.readInt();
                if (n < 0 || n > bodyBytes.length) {
                    throw new IOException("topic payload of " + n + " bytes");
                }
                yield new TopicMsg(topic, body.readNBytes(n));
            }
            case "set-weight" -> new SetWeight(body.readInt());
            case "set-activation" -> new SetActivation(NodeRecord.named(Activation.class, body.readUTF()));
            case "reset-counters" -> new ResetCounters();
            default -> throw new IOException("unknown message type '" + type + "' (format " + format
                    + ", a newer Herdcat?)");
        };
    }
}
