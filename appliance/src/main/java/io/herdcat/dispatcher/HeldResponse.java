package io.herdcat.dispatcher;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

/**
 * The start of a response to an idempotent request, kept back from the client for a moment: while
 * nothing of it has reached the client, a node that dies before its END can be replaced by another
 * node invisibly. Released to the client at the END, once {@link #LIMIT} bytes are held, or
 * {@link #MILLIS} ms after a read from the node ended without the END (so a slow or streaming response
 * is not delayed more than that; the usual response, whole in one read, needs no timer) —
 * {@link #HEAD_ONLY_MILLIS} when that read brought the headers and no body yet: a node killed between
 * its headers and its body is the case this hold exists for, and a busy machine can take more than
 * 20 ms to notice the connection closing.
 */
final class HeldResponse {
    static final int LIMIT = 16 * 1024;
    static final long MILLIS = 20;
    static final long HEAD_ONLY_MILLIS = 200;

    private final HttpResponse head;
    private final List<ByteBuf> chunks = new ArrayList<>();
    private int bytes;

    HeldResponse(HttpResponse head) {
        this.head = head;
    }

    /** How long to hold after a read that ended without the END. */
    long holdMillis() {
        return bytes == 0 ? HEAD_ONLY_MILLIS : MILLIS;
    }

    /** Takes ownership of {@code chunk}; true when the hold is full and should go out. */
    boolean add(ByteBuf chunk) {
        chunks.add(chunk);
        bytes += chunk.readableBytes();
        return bytes > LIMIT;
    }

    /** Writes everything held to the client (not flushed). */
    void writeTo(ChannelHandlerContext client) {
        client.write(head);
        for (ByteBuf chunk : chunks) {
            client.write(new DefaultHttpContent(chunk));
        }
        chunks.clear();
    }

    void release() {
        chunks.forEach(ByteBuf::release);
        chunks.clear();
    }
}
