package io.herdcat.dispatcher;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpUtil;
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
 * 20 ms to notice the connection closing. A response whose END arrives while it is held goes out
 * as one message.
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

    /**
     * Writes and flushes the held response as one whole message, its END included: a body the node
     * sent without a length gets one instead of the chunked coding, since all of it is here.
     */
    ChannelFuture writeWholeTo(ChannelHandlerContext client) {
        ByteBuf content = switch (chunks.size()) {
            case 0 -> Unpooled.EMPTY_BUFFER;
            case 1 -> chunks.get(0);
            default -> client.alloc().compositeBuffer(chunks.size()).addComponents(true, chunks);
        };
        chunks.clear();
        if (HttpUtil.isTransferEncodingChunked(head)) {
            head.headers().remove(HttpHeaderNames.TRANSFER_ENCODING);
            head.headers().set(HttpHeaderNames.CONTENT_LENGTH, content.readableBytes());
        }
        return client.writeAndFlush(new DefaultFullHttpResponse(head.protocolVersion(), head.status(), content,
                head.headers(), EmptyHttpHeaders.INSTANCE));
    }

    void release() {
        chunks.forEach(ByteBuf::release);
        chunks.clear();
    }
}
