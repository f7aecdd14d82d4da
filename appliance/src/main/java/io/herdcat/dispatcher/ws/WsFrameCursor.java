package io.herdcat.dispatcher.ws;

import io.netty.buffer.ByteBuf;

/**
 * Follows the frame boundaries of one direction of a WebSocket (RFC 6455 5.2) as its bytes pass by,
 * without decoding or copying them: it reads each frame header (2 to 14 bytes, possibly split across
 * reads) and counts the payload down. The front needs the boundaries only to put a Close frame of its
 * own between two frames, never inside one. It also notes whether a Close frame went by.
 */
public final class WsFrameCursor {
    private static final int OPCODE_CLOSE = 0x8;
    private final byte[] header = new byte[14];
    private int headerHave;
    private long payloadLeft;
    private boolean sawClose;

    /** Follows every readable byte of {@code buf} (its indices stay as they are). */
    public void advance(ByteBuf buf) {
        advance(buf, buf.readerIndex(), buf.writerIndex(), false);
    }

    /**
     * Follows the readable bytes of {@code buf} up to the next frame boundary.
     *
     * @return how many bytes that is: 0 when the cursor is at a boundary already, all of them when
     *         the boundary is not in {@code buf}
     */
    public int advanceToBoundary(ByteBuf buf) {
        if (atBoundary()) {
            return 0;
        }
        return advance(buf, buf.readerIndex(), buf.writerIndex(), true) - buf.readerIndex();
    }

    private int advance(ByteBuf buf, int from, int to, boolean stopAtBoundary) {
        int i = from;
        while (i < to) {
            if (payloadLeft > 0) {
                int take = (int) Math.min(payloadLeft, to - i);
                i += take;
                payloadLeft -= take;
            } else {
                header[headerHave++] = buf.getByte(i++);
                int length = headerLength();
                if (length > 0 && headerHave == length) {
                    frameHeaderComplete();
                }
            }
            if (stopAtBoundary && atBoundary()) {
                break;
            }
        }
        return i;
    }

    /** The length of the header being read, or -1 while its first two bytes are not in yet. */
    private int headerLength() {
        if (headerHave < 2) {
            return -1;
        }
        int length7 = header[1] & 0x7f;
        int extended = length7 == 126 ? 2 : length7 == 127 ? 8 : 0;
        boolean masked = (header[1] & 0x80) != 0;
        return 2 + extended + (masked ? 4 : 0);
    }

    private void frameHeaderComplete() {
        int length7 = header[1] & 0x7f;
        long length = length7;
        if (length7 == 126) {
            length = ((header[2] & 0xffL) << 8) | (header[3] & 0xffL);
        } else if (length7 == 127) {
            length = 0;
            for (int k = 2; k < 10; k++) {
                length = (length << 8) | (header[k] & 0xffL);
            }
            length &= Long.MAX_VALUE; // the most significant bit must be 0 (RFC 6455 5.2)
        }
        if ((header[0] & 0x0f) == OPCODE_CLOSE) {
            sawClose = true;
        }
        headerHave = 0;
        payloadLeft = length;
    }

    /** True between two frames: a frame of the front's own may be sent now. */
    public boolean atBoundary() {
        return headerHave == 0 && payloadLeft == 0;
    }

    /** True once a Close frame's header went by. */
    public boolean sawClose() {
        return sawClose;
    }
}
