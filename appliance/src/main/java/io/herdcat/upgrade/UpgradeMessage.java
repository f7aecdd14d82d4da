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

    /**
     * The WAR that follows, and the health path every node is checked on (a new coordinator needs it);
     * {@code undeploy}: no WAR follows, every node removes {@code fileName} (written last, so a node of
     * an earlier build reads the rest and, staging nothing, refuses the upgrade).
     */
    record Begin(String id, String fileName, String sha256, long size, String healthPath, boolean undeploy)
            implements UpgradeMessage {
        Begin(String id, String fileName, String sha256, long size, String healthPath) {
            this(id, fileName, sha256, size, healthPath, false);
        }

        public String kind() {
            return "begin";
        }

        public void write(DataOutputStream out) throws IOException {
            out.writeUTF(id);
            out.writeUTF(fileName);
            out.writeUTF(sha256);
            out.writeLong(size);
            out.writeUTF(healthPath);
            out.writeBoolean(undeploy);
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

    /**
     * To one node: drain, deploy the staged WAR, check {@code healthPath}; go back by itself if that
     * fails. {@code undeploy}: drain and remove the webapp instead (no check).
     */
    record Deploy(String id, String healthPath, boolean undeploy) implements UpgradeMessage {
        Deploy(String id, String healthPath) {
            this(id, healthPath, false);
        }

        public String kind() {
            return "deploy";
        }

        public void write(DataOutputStream out) throws IOException {
            out.writeUTF(id);
            out.writeUTF(healthPath);
            out.writeBoolean(undeploy);
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

    /** One WAR of a node's webapps folder, as the cluster-wide deploy last recorded it. */
    record WarEntry(String fileName, String sha256, long size) {
    }

    /** To one ready member, from a node about to start: which WARs does the cluster run? */
    record ManifestAsk(String id) implements UpgradeMessage {
        public String kind() {
            return "manifest-ask";
        }

        public void write(DataOutputStream out) throws IOException {
            out.writeUTF(id);
        }
    }

    /** The answer to {@link ManifestAsk}; {@code shared} false: that member does not run {@code deploy.cluster}. */
    record Manifest(String id, String node, boolean shared, List<WarEntry> wars) implements UpgradeMessage {
        public Manifest {
            wars = List.copyOf(wars);
        }

        public String kind() {
            return "manifest";
        }

        public void write(DataOutputStream out) throws IOException {
            out.writeUTF(id);
            out.writeUTF(node);
            out.writeBoolean(shared);
            out.writeInt(wars.size());
            for (WarEntry w : wars) {
                out.writeUTF(w.fileName());
                out.writeUTF(w.sha256());
                out.writeLong(w.size());
            }
        }
    }

    /** To the member that sent a {@link Manifest}: send this WAR (the version of that SHA-256). */
    record WarAsk(String id, String fileName, String sha256) implements UpgradeMessage {
        public String kind() {
            return "war-ask";
        }

        public void write(DataOutputStream out) throws IOException {
            out.writeUTF(id);
            out.writeUTF(fileName);
            out.writeUTF(sha256);
        }
    }

    /** A piece of the WAR a {@link WarAsk} asked for; {@code last} ends it (empty and last: cannot send it). */
    record WarPart(String id, long offset, byte[] bytes, boolean last) implements UpgradeMessage {
        public String kind() {
            return "war-part";
        }

        public void write(DataOutputStream out) throws IOException {
            out.writeUTF(id);
            out.writeLong(offset);
            out.writeInt(bytes.length);
            out.write(bytes);
            out.writeBoolean(last);
        }
    }

    static byte[] encode(UpgradeMessage m) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(m instanceof Chunk c ? c.bytes().length + 64
                    : m instanceof WarPart p ? p.bytes().length + 64 : 256);
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
            case "begin" -> new Begin(in.readUTF(), in.readUTF(), in.readUTF(), in.readLong(), in.readUTF(),
                    in.available() > 0 && in.readBoolean());
            case "chunk" -> new Chunk(in.readUTF(), in.readLong(), bytes(in, payload));
            case "end" -> new End(in.readUTF());
            case "staged" -> new Staged(in.readUTF(), in.readUTF(), in.readBoolean(), in.readUTF(), in.readUTF());
            case "deploy" -> new Deploy(in.readUTF(), in.readUTF(), in.available() > 0 && in.readBoolean());
            case "manifest-ask" -> new ManifestAsk(in.readUTF());
            case "manifest" -> {
                String id = in.readUTF();
                String node = in.readUTF();
                boolean shared = in.readBoolean();
                int n = in.readInt();
                if (n < 0 || n > 10_000) {
                    throw new IOException(n + " WARs");
                }
                List<WarEntry> wars = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    wars.add(new WarEntry(in.readUTF(), in.readUTF(), in.readLong()));
                }
                yield new Manifest(id, node, shared, wars);
            }
            case "war-ask" -> new WarAsk(in.readUTF(), in.readUTF(), in.readUTF());
            case "war-part" -> new WarPart(in.readUTF(), in.readLong(), bytes(in, payload), in.readBoolean());
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

    private static byte[] bytes(DataInputStream in, byte[] payload) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > payload.length) {
            throw new IOException("a piece of " + n + " bytes");
        }
        return in.readNBytes(n);
    }

    private static <E extends Enum<E>> E named(Class<E> type, String name) throws IOException {
        try {
            return Enum.valueOf(type, name);
        } catch (IllegalArgumentException e) {
            throw new IOException("unknown " + type.getSimpleName() + " '" + name + "'");
        }
    }
}
