package io.herdcat.upgrade;

import io.herdcat.upgrade.UpgradeStatus.NodeProgress;
import io.herdcat.upgrade.UpgradeStatus.State;
import io.herdcat.upgrade.UpgradeStatus.Step;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The messages of a rolling upgrade, carried by the cluster under the topic {@link #TOPIC}: the
 * coordinator stages the WAR on every node (begin, chunks, end; each node answers staged), asks one node
 * at a time to deploy it (or to go back to what it ran), hears each node's progress and result, and
 * tells every node where the upgrade is. Each is {@code kind (UTF) | fields}; enums travel by name.
 */
sealed interface UpgradeMessage {
    String TOPIC = "upgrade";

    String kind();

    void write(DataOutputStream out) throws IOException;

    /** The WAR that follows, and the health path every node is checked on (a new coordinator needs it). */
    record Begin(String id, String fileName, String sha256, long size, String healthPath) implements UpgradeMessage {
        public String kind() {
            return "begin";
        }

        public void write(DataOutputStream out) throws IOException {
            out.writeUTF(id);
            out.writeUTF(fileName);
            out.writeUTF(sha256);
            out.writeLong(size);
            out.writeUTF(healthPath);
        }
    }

    record Chunk(String id, long offset, byte[] bytes) implements UpgradeMessage {
        public String kind() {
            return "chunk";
        }

        public void write(DataOutputStream out) throws IOException {
            out.writeUTF(id);
            out.writeLong(offset);
            out.writeInt(bytes.length);
            out.write(bytes);
        }
    }

    record End(String id) implements UpgradeMessage {
        public String kind() {
            return "end";
        }

        public void write(DataOutputStream out) throws IOException {
            out.writeUTF(id);
        }
    }

    /** A node's answer to {@link End}: the WAR is whole on it (or why not), and which webapps folder it deploys into. */
    record Staged(String id, String node, boolean ok, String detail, String webappsFolder) implements UpgradeMessage {
        public String kind() {
            return "staged";
        }

        public void write(DataOutputStream out) throws IOException {
            out.writeUTF(id);
            out.writeUTF(node);
            out.writeBoolean(ok);
            out.writeUTF(detail);
            out.writeUTF(webappsFolder);
        }
    }

    /** To one node: drain, deploy the staged WAR, check {@code healthPath}; go back by itself if that fails. */
    record Deploy(String id, String healthPath) implements UpgradeMessage {
        public String kind() {
            return "deploy";
        }

        public void write(DataOutputStream out) throws IOException {
            out.writeUTF(id);
            out.writeUTF(healthPath);
        }
    }

    /** To one node that deployed the upgrade's WAR: drain and go back to what it ran before. */
    record Revert(String id, String healthPath) implements UpgradeMessage {
        public String kind() {
            return "revert";
        }

        public void write(DataOutputStream out) throws IOException {
            out.writeUTF(id);
            out.writeUTF(healthPath);
        }
    }

    /** To one node: drain, then stop so that its supervisor (systemd, the demo) starts it again. */
    record Restart(String id) implements UpgradeMessage {
        public String kind() {
            return "restart";
        }

        public void write(DataOutputStream out) throws IOException {
            out.writeUTF(id);
        }
    }

    /** A node's step, as it takes it. */
    record Progress(String id, String node, Step step) implements UpgradeMessage {
        public String kind() {
            return "progress";
        }

        public void write(DataOutputStream out) throws IOException {
            out.writeUTF(id);
            out.writeUTF(node);
            out.writeUTF(step.name());
        }
    }

    /** How a {@link Deploy} or {@link Revert} ended on a node; {@code wentBack}: it runs what it ran before. */
    record Result(String id, String node, boolean ok, boolean wentBack, String detail) implements UpgradeMessage {
        public String kind() {
            return "result";
        }

        public void write(DataOutputStream out) throws IOException {
            out.writeUTF(id);
            out.writeUTF(node);
            out.writeBoolean(ok);
            out.writeBoolean(wentBack);
            out.writeUTF(detail);
        }
    }

    /** From the coordinator to every node: where the upgrade is. */
    record StatusMsg(UpgradeStatus status) implements UpgradeMessage {
        public String kind() {
            return "status";
        }

        public void write(DataOutputStream out) throws IOException {
            UpgradeStatus s = status;
            out.writeUTF(s.id());
            out.writeUTF(s.state().name());
            out.writeUTF(s.war());
            out.writeUTF(s.contextPath());
            out.writeUTF(s.sha256());
            out.writeUTF(s.coordinator());
            out.writeLong(s.startedAt());
            out.writeLong(s.endedAt());
            out.writeUTF(s.message());
            out.writeInt(s.nodes().size());
            for (NodeProgress n : s.nodes()) {
                out.writeUTF(n.node());
                out.writeUTF(n.step().name());
                out.writeLong(n.since());
                out.writeUTF(n.detail());
            }
        }
    }

    static byte[] encode(UpgradeMessage m) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(m instanceof Chunk c ? c.bytes().length + 64 : 256);
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeUTF(m.kind());
            m.write(out);
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @throws IOException when the bytes are not an upgrade message this node knows */
    static UpgradeMessage decode(byte[] payload) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload));
        String kind = in.readUTF();
        return switch (kind) {
            case "begin" -> new Begin(in.readUTF(), in.readUTF(), in.readUTF(), in.readLong(), in.readUTF());
            case "chunk" -> {
                String id = in.readUTF();
                long offset = in.readLong();
                int n = in.readInt();
                if (n < 0 || n > payload.length) {
                    throw new IOException("chunk of " + n + " bytes");
                }
                yield new Chunk(id, offset, in.readNBytes(n));
            }
            case "end" -> new End(in.readUTF());
            case "staged" -> new Staged(in.readUTF(), in.readUTF(), in.readBoolean(), in.readUTF(), in.readUTF());
            case "deploy" -> new Deploy(in.readUTF(), in.readUTF());
            case "revert" -> new Revert(in.readUTF(), in.readUTF());
            case "restart" -> new Restart(in.readUTF());
            case "progress" -> new Progress(in.readUTF(), in.readUTF(), named(Step.class, in.readUTF()));
            case "result" -> new Result(in.readUTF(), in.readUTF(), in.readBoolean(), in.readBoolean(), in.readUTF());
            case "status" -> {
                String id = in.readUTF();
                State state = named(State.class, in.readUTF());
                String war = in.readUTF();
                String contextPath = in.readUTF();
                String sha = in.readUTF();
                String coordinator = in.readUTF();
                long started = in.readLong();
                long ended = in.readLong();
                String message = in.readUTF();
                int n = in.readInt();
                if (n < 0 || n > 1000) {
                    throw new IOException(n + " nodes");
                }
                List<NodeProgress> nodes = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    nodes.add(new NodeProgress(in.readUTF(), named(Step.class, in.readUTF()), in.readLong(), in.readUTF()));
                }
                yield new StatusMsg(new UpgradeStatus(id, state, war, contextPath, sha, coordinator, started, ended,
                        message, nodes));
            }
            default -> throw new IOException("unknown upgrade message '" + kind + "'");
        };
    }

    private static <E extends Enum<E>> E named(Class<E> type, String name) throws IOException {
        try {
            return Enum.valueOf(type, name);
        } catch (IllegalArgumentException e) {
            throw new IOException("unknown " + type.getSimpleName() + " '" + name + "'");
        }
    }
}
