package io.herdcat.dispatcher;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The send timeout of one HTTP/2 stream ({@link SendTimeout} on a connection): a stream whose flow-control
 * window stays spent for {@code timeout}, because its client takes none of the response, is reset; the
 * node connection it held is released and the connection's other streams go on. A timer runs only while
 * the stream cannot take more, so the streams that never wait for their client (nearly all) cost no
 * timer at all.
 */
final class StreamSendTimeout extends ChannelInboundHandlerAdapter {
    private final long timeoutNanos;
    private final LongAdder closed;
    private ScheduledFuture<?> timer;

    StreamSendTimeout(Duration timeout, LongAdder closed) {
        this.timeoutNanos = timeout.toNanos();
        this.closed = closed;
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
            cancel();
        } else if (timer == null) {
            timer = ctx.executor().schedule(() -> expired(ctx), timeoutNanos, TimeUnit.NANOSECONDS);
        }
        ctx.fireChannelWritabilityChanged();
    }

    private void expired(ChannelHandlerContext ctx) {
        timer = null;
        if (!ctx.channel().isWritable() && ctx.channel().isActive()) {
            closed.increment();
            ctx.close();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancel();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cancel();
    }

    private void cancel() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }
}
