package io.herdcat.cluster;

import io.herdcat.config.Activation;
import io.herdcat.config.DispatcherMode;
import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What every node publishes about itself and every node holds about every member: how to reach it,
 * how much traffic it wants, and what it runs. The owner is the only writer; {@code revision} grows
 * with each change so a stale copy never replaces a newer one.
 *
 * @param tribesMember      the node's Tribes member (its serialized form), empty until replication is up
 * @param replicationFormat the version of Herdcat's session replication messages the node speaks
 *                          ({@link #REPLICATION_FORMAT} for this build); with the Tomcat version it
 *                          decides whether two nodes exchange sessions ({@link #sessionFormat()})
 */
public record NodeRecord(
        String name,
        long revision,
        Phase phase,
        String ajpHost,
        int ajpPort,
        int httpPort,
        int adminPort,
        String tribesHost,
        int tribesPort,
        byte[] tribesMember,
        int weight,
        Activation activation,
        DispatcherMode dispatcher,
        String herdcatVersion,
        String tomcatVersion,
        List<Webapp> webapps,
        Instant startedAt,
        int replicationFormat,
        String httpHost) {

    /**
     * The session replication messages of this build: Tomcat's delta requests with Herdcat's session
     * versions ({@link VersionedDelta}), several requests' changes to a message ({@link DeltaBatch},
     * from format 2 on), sealed and replay-guarded. Raised only when a node of this build could not
     * read what an older one sends, or the other way round; a new Herdcat release that keeps the format
     * keeps exchanging sessions with the old one, which is what a rolling restart needs.
     */
    public static final int REPLICATION_FORMAT = 2;
    /** What a record without the field (from a node built before it existed) speaks. */
    static final int FIRST_REPLICATION_FORMAT = 1;

    /** Where a node is in its life. Sessions are asked for only from READY nodes. */
    public enum Phase { STARTING, READY, STOPPING }

    /** A deployed webapp: its name ({@code /app##2}) and version ({@code 2}, or empty). */
    public record Webapp(String name, String version) {
    }

    /** A record whose HTTP connector is reached on {@code ajpHost}. */
    public NodeRecord(String name, long revision, Phase phase, String ajpHost, int ajpPort, int httpPort, int adminPort,
                      String tribesHost, int tribesPort, byte[] tribesMember, int weight, Activation activation,
                      DispatcherMode dispatcher, String herdcatVersion, String tomcatVersion, List<Webapp> webapps,
                      Instant startedAt, int replicationFormat) {
        this(name, revision, phase, ajpHost, ajpPort, httpPort, adminPort, tribesHost, tribesPort, tribesMember, weight,
                activation, dispatcher, herdcatVersion, tomcatVersion, webapps, startedAt, replicationFormat, ajpHost);
    }

    public NodeRecord {
        Objects.requireNonNull(name);
        Objects.requireNonNull(httpHost);
        Objects.requireNonNull(phase);
        Objects.requireNonNull(activation);
        Objects.requireNonNull(dispatcher);
        tribesMember = tribesMember == null ? new byte[0] : tribesMember.clone();
        webapps = List.copyOf(webapps);
    }

    @Override
    public byte[] tribesMember() {
        return tribesMember.clone();
    }

    public boolean hasTribesMember() {
        return tribesMember.length > 0;
    }

    /**
     * Nodes exchange sessions only when these are equal: the same Tomcat (its session serialization)
     * and the same replication format. The Herdcat version does not count.
     */
    public String sessionFormat() {
        return sessionFormat(tomcatVersion, replicationFormat);
    }

    public static String sessionFormat(String tomcatVersion, int replicationFormat) {
        return "Tomcat " + tomcatVersion + ", replication format " + replicationFormat;
    }

    public NodeRecord withPhase(Phase p) {
        return new NodeRecord(name, revision + 1, p, ajpHost, ajpPort, httpPort, adminPort, tribesHost, tribesPort,
                tribesMember, weight, activation, dispatcher, herdcatVersion, tomcatVersion, webapps, startedAt, replicationFormat, httpHost);
    }

    public NodeRecord withWeight(int w) {
        return new NodeRecord(name, revision + 1, phase, ajpHost, ajpPort, httpPort, adminPort, tribesHost, tribesPort,
                tribesMember, w, activation, dispatcher, herdcatVersion, tomcatVersion, webapps, startedAt, replicationFormat, httpHost);
    }

    public NodeRecord withActivation(Activation a) {
        return new NodeRecord(name, revision + 1, phase, ajpHost, ajpPort, httpPort, adminPort, tribesHost, tribesPort,
                tribesMember, weight, a, dispatcher, herdcatVersion, tomcatVersion, webapps, startedAt, replicationFormat, httpHost);
    }

    public NodeRecord withTribes(String host, int port, byte[] member) {
        return new NodeRecord(name, revision + 1, phase, ajpHost, ajpPort, httpPort, adminPort, host, port,
                member, weight, activation, dispatcher, herdcatVersion, tomcatVersion, webapps, startedAt, replicationFormat, httpHost);
    }

    public NodeRecord withEndpoints(String ajpHostName, int ajp, String httpHostName, int http, int admin) {
        return new NodeRecord(name, revision + 1, phase, ajpHostName, ajp, http, admin, tribesHost, tribesPort,
                tribesMember, weight, activation, dispatcher, herdcatVersion, tomcatVersion, webapps, startedAt,
                replicationFormat, httpHostName);
    }

    public NodeRecord withWebapps(List<Webapp> deployed) {
        return new NodeRecord(name, revision + 1, phase, ajpHost, ajpPort, httpPort, adminPort, tribesHost, tribesPort,
                tribesMember, weight, activation, dispatcher, herdcatVersion, tomcatVersion, deployed, startedAt, replicationFormat, httpHost);
    }

    /**
     * Writes the record: every enum by its name, fields in a fixed order. Fields added later go at the
     * end, where a node that does not know them stops reading (the message body carries its length).
     */
    void writeTo(DataOutput out) throws IOException {
        out.writeUTF(name);
        out.writeLong(revision);
        out.writeUTF(phase.name());
        out.writeUTF(ajpHost);
        out.writeInt(ajpPort);
        out.writeInt(httpPort);
        out.writeInt(adminPort);
        out.writeUTF(tribesHost);
        out.writeInt(tribesPort);
        out.writeInt(tribesMember.length);
        out.write(tribesMember);
        out.writeInt(weight);
        out.writeUTF(activation.name());
        out.writeUTF(dispatcher.name());
        out.writeUTF(herdcatVersion);
        out.writeUTF(tomcatVersion);
        out.writeInt(webapps.size());
        for (Webapp w : webapps) {
            out.writeUTF(w.name());
            out.writeUTF(w.version());
        }
        out.writeLong(startedAt.toEpochMilli());
        out.writeInt(replicationFormat);
        out.writeUTF(httpHost);
    }

    /** @throws IOException when the bytes are not a record, or name a value this node does not know */
    static NodeRecord readFrom(DataInputStream in) throws IOException {
        String name = in.readUTF();
        long revision = in.readLong();
        Phase phase = named(Phase.class, in.readUTF());
        String ajpHost = in.readUTF();
        int ajpPort = in.readInt();
        int httpPort = in.readInt();
        int adminPort = in.readInt();
        String tribesHost = in.readUTF();
        int tribesPort = in.readInt();
        int memberLength = in.readInt();
        if (memberLength < 0 || memberLength > 64 * 1024) {
            throw new IOException("Tribes member of " + memberLength + " bytes");
        }
        byte[] member = new byte[memberLength];
        in.readFully(member);
        int weight = in.readInt();
        Activation activation = named(Activation.class, in.readUTF());
        DispatcherMode dispatcher = named(DispatcherMode.class, in.readUTF());
        String herdcatVersion = in.readUTF();
        String tomcatVersion = in.readUTF();
        int n = in.readInt();
        if (n < 0 || n > 10_000) {
            throw new IOException(n + " webapps");
        }
        List<Webapp> webapps = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            webapps.add(new Webapp(in.readUTF(), in.readUTF()));
        }
        Instant startedAt = Instant.ofEpochMilli(in.readLong());
        int replicationFormat = in.available() >= Integer.BYTES ? in.readInt() : FIRST_REPLICATION_FORMAT;
        String httpHost = in.available() > 0 ? in.readUTF() : ajpHost;
        return new NodeRecord(name, revision, phase, ajpHost, ajpPort, httpPort, adminPort, tribesHost, tribesPort,
                member, weight, activation, dispatcher, herdcatVersion, tomcatVersion, webapps, startedAt, replicationFormat,
                httpHost);
    }

    static <E extends Enum<E>> E named(Class<E> type, String name) throws IOException {
        try {
            return Enum.valueOf(type, name);
        } catch (IllegalArgumentException e) {
            throw new IOException("unknown " + type.getSimpleName() + " '" + name + "'");
        }
    }
}
