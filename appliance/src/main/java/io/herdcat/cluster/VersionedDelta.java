package io.herdcat.cluster;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The body of a replicated session change: a marker, the version the change applies to, the version
 * it makes, then Tomcat's serialized delta. Tomcat's own deltas start with the Java serialization
 * magic (0xACED), so a body without the marker is a plain delta from an older sender.
 */
final class VersionedDelta {
    private static final int MARKER = 0x48435631; // "HCV1"

    private VersionedDelta() {
    }

    static byte[] encode(VersionedSession.Change change) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(change.delta().length + 128);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(MARKER);
            change.base().writeTo(out);
            change.next().writeTo(out);
            out.writeInt(change.delta().length);
            out.write(change.delta());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** The change in {@code body}, or null when it is a plain Tomcat delta. */
    static VersionedSession.Change decode(byte[] body) throws IOException {
        if (body == null || body.length < 4) {
            return null;
        }
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(body));
        if (in.readInt() != MARKER) {
            return null;
        }
        SessionVersion base = SessionVersion.readFrom(in);
        SessionVersion next = SessionVersion.readFrom(in);
        int length = in.readInt();
        if (length < 0 || length > in.available()) {
            throw new IOException("session change of " + length + " bytes in a body of " + body.length);
        }
        byte[] delta = new byte[length];
        in.readFully(delta);
        return new VersionedSession.Change(delta, base, next);
    }
}
