package io.herdcat.dispatcher.h2;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Tells cleartext HTTP/2 with prior knowledge from HTTP/1.1 on a plain front ({@code front.h2c}): a
 * connection whose first bytes are the HTTP/2 connection preface gets the HTTP/2 handlers, any other
 * the HTTP/1.1 ones. It looks at the first bytes only, then leaves the pipeline; they are passed on to
 * the chosen handlers untouched. A connection that sends no full preface or request line within
 * {@code timeout} is closed.
 */
public final class PriorKnowledge extends ByteToMessageDecoder {
    private static final ByteBuf PREFACE = Http2CodecUtil.connectionPrefaceBuf();
    private final Consumer<ChannelPipeline> http2;
    private final Consumer<ChannelPipeline> http1;
    private final long timeoutMillis;
    private ScheduledFuture<?> timer;

    /** @param http2 adds the HTTP/2 handlers; @param http1 adds the HTTP/1.1 ones */
    public PriorKnowledge(Consumer<ChannelPipeline> http2, Consumer<ChannelPipeline> http1, Duration timeout) {
        this.http2 = http2;
        this.http1 = http1;
        this.timeoutMillis = timeout.toMillis();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        timer = ctx.executor().schedule(() -> {
            ctx.close();
        }, timeoutMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        timer.cancel(false);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        int n = Math.min(in.readableBytes(), PREFACE.readableBytes());
        if (!ByteBufUtil.equals(in, in.readerIndex(), PREFACE, 0, n)) {
            choose(ctx, http1);
        } else if (n == PREFACE.readableBytes()) {
            choose(ctx, http2);
        } // else: a beginning of the preface; wait for more
    }

    /** Adds the chosen handlers behind this one and leaves; what was read goes on to them as it came. */
    private void choose(ChannelHandlerContext ctx, Consumer<ChannelPipeline> protocol) {
        protocol.accept(ctx.pipeline());
        ctx.pipeline().remove(this);
    }
}
