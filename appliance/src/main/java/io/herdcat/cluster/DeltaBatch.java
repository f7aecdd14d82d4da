package io.herdcat.cluster;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The replication message that carries the session changes of several requests at once (see
 * {@link GroupCommit}): a marker, a count, then for each change its webapp, its session id and its
 * {@link VersionedDelta} body, in the order the changes were made. Plain fields instead of a
 * Java-serialized {@code SessionMessage} per change: nothing but the attribute values inside each
 * delta goes through Java serialization (and on reading, through {@link SessionClassFilter}).
 */
final class DeltaBatch {
    private static final int MARKER = 0x48434231; // "HCB1"
    /** More changes than this in one message is not something this build sends. */
    static final int MAX_CHANGES = 65_536;

    /** One session's change: the webapp's manager name, the session id, the versioned delta. */
    record Change(String context, String sessionId, byte[] body) {
    }

    private DeltaBatch() {
    }

    static byte[] encode(List<Change> changes) {
        int size = 8;
        for (Change c : changes) {
            size += c.body().length + c.context().length() + c.sessionId().length() + 12;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(size);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(MARKER);
            out.writeInt(changes.size());
            for (Change c : changes) {
                out.writeUTF(c.context());
                out.writeUTF(c.sessionId());
                out.writeInt(c.body().length);
                out.write(c.body());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** True when {@code message} starts like a batch of changes. */
    static boolean isBatch(byte[] message) {
        return message != null && message.length >= 8 && (message[0] & 0xff) == (MARKER >>> 24)
                && (message[1] & 0xff) == ((MARKER >>> 16) & 0xff) && (message[2] & 0xff) == ((MARKER >>> 8) & 0xff)
                && (message[3] & 0xff) == (MARKER & 0xff);
    }

    /** The changes in {@code message}; an IOException names what is wrong with a malformed one. */
    static List<Change> decode(byte[] message) throws IOException {
        if (!isBatch(message)) {
            throw new IOException("not a batch of session changes");
        }
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(message, 4, message.length - 4));
        int count = in.readInt();
        if (count < 0 || count > MAX_CHANGES) {
            throw new IOException("batch of " + count + " session changes");
        }
        List<Change> changes = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String context = in.readUTF();
            String sessionId = in.readUTF();
            int length = in.readInt();
            if (length < 0 || length > in.available()) {
                throw new IOException("session change " + (i + 1) + " of " + count + " claims " + length
                        + " bytes, " + in.available() + " left in the message");
            }
            byte[] body = new byte[length];
            in.readFully(body);
            changes.add(new Change(context, sessionId, body));
        }
        if (in.available() != 0) {
            throw new IOException(in.available() + " bytes after the last of " + count + " session changes");
        }
        return changes;
    }
}
