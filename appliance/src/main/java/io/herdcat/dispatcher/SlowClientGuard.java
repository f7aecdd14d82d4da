package io.herdcat.dispatcher;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Closes client connections that hold the front's resources without using them: a request whose head
 * has not fully arrived {@code headerTimeout} after its first byte (slowloris), and a keep-alive
 * connection that stays silent for {@code idleTimeout} between requests. A request being proxied is
 * never cut short here; the reply timeout covers that. An HTTP/2 stream gets one that is off
 * ({@link #off()}): its request head came whole in one HEADERS frame and it ends with its response, and
 * its connection's own guard watches for slow and silent clients.
 */
final class SlowClientGuard extends ChannelDuplexHandler {
    private final long headerMillis;
    private final long idleMillis;
    private ChannelHandlerContext ctx;
    private ScheduledFuture<?> timer;
    private boolean requestInProgress;
    private boolean proxying;

    SlowClientGuard(Duration headerTimeout, Duration idleTimeout) {
        this.headerMillis = headerTimeout.toMillis();
        this.idleMillis = idleTimeout.toMillis();
    }

    /** A guard that never closes anything, for a handler that needs one but whose connection is guarded elsewhere. */
    static SlowClientGuard off() {
        return new SlowClientGuard(Duration.ZERO, Duration.ZERO);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext context) {
        this.ctx = context;
        if (context.channel().isActive()) {
            arm(context, idleMillis); // added once the protocol was chosen (ALPN, h2c preface): channelActive has passed
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        arm(ctx, idleMillis);
        super.channelActive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (msg instanceof ByteBuf && !requestInProgress && !proxying) {
            requestInProgress = true;
            arm(ctx, headerMillis);
        }
        super.channelRead(ctx, msg);
    }

    /** The front has a request's head and proxies it. */
    void requestReceived() {
        requestInProgress = false;
        proxying = true;
        cancel();
    }

    /** The response was written: the connection waits for the next request. */
    void responseSent() {
        proxying = false;
        arm(ctx, idleMillis);
    }

    private void arm(ChannelHandlerContext ctx, long millis) {
        cancel();
        if (ctx == null || millis <= 0) {
            return; // off: an HTTP/2 stream, whose connection has the guard
        }
        timer = ctx.executor().schedule(() -> {
            if (!proxying) {
                ctx.close();
            }
        }, millis, TimeUnit.MILLISECONDS);
    }

    private void cancel() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        cancel();
        super.channelInactive(ctx);
    }
}
