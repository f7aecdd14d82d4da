package io.herdcat.dispatcher.ws;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A WebSocket Close frame of the front's own (RFC 6455 5.5.1): status code and a short reason, masked
 * toward a node (a client's frames must be masked) and unmasked toward a client.
 */
public final class WsCloseFrame {
    /** The node went away (killed, or left the cluster): the client should reconnect (IANA "Service Restart"). */
    public static final int SERVICE_RESTART = 1012;
    /** The front, or the node, is going away: stopped, drained, or the WebSocket was idle too long. */
    public static final int GOING_AWAY = 1001;

    private WsCloseFrame() {
    }

    /** @param reason at most 123 bytes in UTF-8 (longer is cut) */
    public static ByteBuf encode(ByteBufAllocator alloc, int code, String reason, boolean masked) {
        byte[] text = reason.getBytes(StandardCharsets.UTF_8);
        int textLength = Math.min(text.length, 123);
        int length = 2 + textLength;
        ByteBuf frame = alloc.buffer(2 + (masked ? 4 : 0) + length);
        frame.writeByte(0x80 | 0x8); // FIN, Close
        frame.writeByte((masked ? 0x80 : 0) | length);
        byte[] payload = new byte[length];
        payload[0] = (byte) (code >> 8);
        payload[1] = (byte) code;
        System.arraycopy(text, 0, payload, 2, textLength);
        if (masked) {
            byte[] key = new byte[4];
            ThreadLocalRandom.current().nextBytes(key);
            frame.writeBytes(key);
            for (int i = 0; i < length; i++) {
                payload[i] ^= key[i & 3];
            }
        }
        return frame.writeBytes(payload);
    }
}
