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
 * the chosen handlers untouched. As on HTTP/1.1, a connection that stays silent for {@code idleTimeout}
 * is closed, and so is one whose first bytes began the preface but did not finish it within
 * {@code headerTimeout}. One that has not yet said which protocol it speaks is closed when the front
 * drains.
 */
public final class PriorKnowledge extends ByteToMessageDecoder {
    private static final ByteBuf PREFACE = Http2CodecUtil.connectionPrefaceBuf();
    private final Consumer<ChannelPipeline> http2;
    private final Consumer<ChannelPipeline> http1;
    private final long idleMillis;
    private final long headerMillis;
    private final Object drainEvent;
    private ScheduledFuture<?> timer;
    private boolean started;

    /**
     * @param http2      adds the HTTP/2 handlers; {@code http1} the HTTP/1.1 ones
     * @param drainEvent the user event that starts the drain of a client connection
     */
    public PriorKnowledge(Consumer<ChannelPipeline> http2, Consumer<ChannelPipeline> http1, Object drainEvent,
                          Duration idleTimeout, Duration headerTimeout) {
        this.http2 = http2;
        this.http1 = http1;
        this.drainEvent = drainEvent;
        this.idleMillis = idleTimeout.toMillis();
        this.headerMillis = headerTimeout.toMillis();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        closeAfter(ctx, idleMillis);
    }

    private void closeAfter(ChannelHandlerContext ctx, long millis) {
        if (timer != null) {
            timer.cancel(false);
        }
        timer = ctx.executor().schedule(() -> {
            ctx.close();
        }, millis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt == drainEvent) {
            ctx.close();
        } else {
            super.userEventTriggered(ctx, evt);
        }
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
        } else if (!started) { // a beginning of the preface: the rest must follow like a request head's
            started = true;
            closeAfter(ctx, headerMillis);
        }
    }

    /** Adds the chosen handlers behind this one and leaves; what was read goes on to them as it came. */
    private void choose(ChannelHandlerContext ctx, Consumer<ChannelPipeline> protocol) {
        protocol.accept(ctx.pipeline());
        ctx.pipeline().remove(this);
    }
}
