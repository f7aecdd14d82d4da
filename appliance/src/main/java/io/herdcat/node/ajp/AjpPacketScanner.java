package io.herdcat.node.ajp;

import java.nio.ByteBuffer;

/**
 * Follows the packet boundaries of what a node's AJP connector sends to the front ("AB", a two-byte
 * length, then that many bytes, the first of them the packet's type), across writes that may split a
 * packet anywhere, and tells whether the bytes scanned so far may wait to be sent with what comes next:
 * they end at a packet boundary, and every packet that ended in them is the response's headers
 * (SEND_HEADERS) or a body chunk with data in it (SEND_BODY_CHUNK). Anything else must go out at once:
 * the END of a response, an empty body chunk (the connector's explicit flush, sent when the servlet
 * flushes), a request for more of the request body (GET_BODY_CHUNK), a CPong. A stream that does not
 * look like AJP (bad magic) is never held back again.
 */
final class AjpPacketScanner {
    private static final int SEND_BODY_CHUNK = 3;
    private static final int SEND_HEADERS = 4;
    /** "AB", the length, the type, and a body chunk's own length. */
    private static final int HEAD = 7;
    private static final int LENGTH_END = 4;

    private final byte[] head = new byte[HEAD];
    /** Bytes of the current packet's head seen so far; 0 at a packet boundary. */
    private int headLength;
    /** Payload bytes of the current packet not seen yet (once its length is known). */
    private int left;
    /** The stream is not AJP as expected: hold nothing back from now on. */
    private boolean lost;

    /**
     * Scans {@code buf}'s bytes from {@code from} to {@code to} (absolute indexes; the buffer's position
     * is not moved) as the next bytes of the stream.
     *
     * @return true when the stream now ends at a packet boundary and every packet that ended within
     *     these bytes may wait
     */
    boolean scan(ByteBuffer buf, int from, int to) {
        boolean mayWait = true;
        int i = from;
        while (i < to && !lost) {
            if (headLength < LENGTH_END) {
                head[headLength++] = buf.get(i++);
                if (headLength == LENGTH_END) {
                    if (head[0] != 'A' || head[1] != 'B') {
                        lost = true;
                    }
                    left = ((head[2] & 0xff) << 8) | (head[3] & 0xff);
                    if (left == 0) {
                        mayWait = false;
                        headLength = 0;
                    }
                }
                continue;
            }
            if (headLength < HEAD) {
                head[headLength++] = buf.get(i++);
                left--;
            } else {
                int skip = Math.min(left, to - i);
                i += skip;
                left -= skip;
            }
            if (left == 0) {
                mayWait &= packetMayWait();
                headLength = 0;
            }
        }
        return mayWait && headLength == 0 && !lost;
    }

    private boolean packetMayWait() {
        int type = head[LENGTH_END];
        if (type == SEND_HEADERS) {
            return true;
        }
        return type == SEND_BODY_CHUNK && headLength == HEAD && ((head[5] & 0xff) << 8 | (head[6] & 0xff)) > 0;
    }

    /** Makes this scanner's state that of {@code other}. */
    void copyFrom(AjpPacketScanner other) {
        System.arraycopy(other.head, 0, head, 0, HEAD);
        headLength = other.headLength;
        left = other.left;
        lost = other.lost;
    }

    /** Back to the start of a stream (a new connection). */
    void reset() {
        headLength = 0;
        left = 0;
        lost = false;
    }
}
