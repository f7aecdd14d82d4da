package io.herdcat.dispatcher.h2;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.DefaultHttp2WindowUpdateFrame;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches one HTTP/2 client connection, after its frame codec and stream multiplexer: counts it and
 * its streams, closes it (GOAWAY) when it has had no stream for {@code front.idle.timeout} (its first
 * stream must come within {@code front.header.timeout}), closes it gracefully when the front drains
 * (GOAWAY now, the open streams finish), and counts the connections the codec closed for a protocol
 * breach or a flood, by reason, logging them at most once per reason every 10 s (a client chooses
 * how often). It raises the connection's receive window to {@link #CONNECTION_WINDOW}, so a few
 * uploads whose streams are paused do not stall the others.
 */
public final class H2ConnectionGuard extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(H2ConnectionGuard.class);
    /** Request body bytes all streams of a connection may have in flight together. */
    static final int CONNECTION_WINDOW = 1 << 20;
    private static final long LOG_EVERY_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final Map<H2Counters.GoAway, AtomicLong> LAST_LOGGED = new EnumMap<>(H2Counters.GoAway.class);

    static {
        for (H2Counters.GoAway g : H2Counters.GoAway.values()) {
            LAST_LOGGED.put(g, new AtomicLong(System.nanoTime() - LOG_EVERY_NANOS));
        }
    }

    private final H2Counters counters;
    private final Object drainEvent;
    private final long headerMillis;
    private final long idleMillis;
    private ChannelHandlerContext ctx;
    private ScheduledFuture<?> timer;
    private int openStreams;
    private boolean hadStream;
    private boolean counted;
    private boolean closing;

    /** @param drainEvent the user event that starts the drain of a client connection */
    public H2ConnectionGuard(H2Counters counters, Object drainEvent, Duration headerTimeout, Duration idleTimeout) {
        this.counters = counters;
        this.drainEvent = drainEvent;
        this.headerMillis = headerTimeout.toMillis();
        this.idleMillis = idleTimeout.toMillis();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext context) {
        this.ctx = context;
        counted = true;
        counters.connectionOpened();
        context.writeAndFlush(new DefaultHttp2WindowUpdateFrame(CONNECTION_WINDOW - Http2CodecUtil.DEFAULT_WINDOW_SIZE));
        arm(headerMillis);
    }

    /** A stream of this connection opened; called on its event loop. */
    public void streamOpened() {
        openStreams++;
        hadStream = true;
        cancel();
    }

    /** A stream of this connection closed; called on its event loop. */
    public void streamClosed() {
        if (--openStreams == 0 && !closing) {
            arm(idleMillis);
        }
    }

    private void arm(long millis) {
        cancel();
        timer = ctx.executor().schedule(() -> {
            if (openStreams == 0) {
                goAway(H2Counters.GoAway.IDLE, hadStream ? "idle" : "no request in time");
            }
        }, millis, TimeUnit.MILLISECONDS);
    }

    private void cancel() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    /** GOAWAY(NO_ERROR) through the codec's graceful close: streams already open finish, no new one starts. */
    private void goAway(H2Counters.GoAway reason, String why) {
        if (closing) {
            return;
        }
        closing = true;
        cancel();
        counters.goAway(reason);
        LOG.debug("Closing HTTP/2 connection from {}: {}", ctx.channel().remoteAddress(), why);
        ctx.close();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext context, Object evt) {
        if (evt == drainEvent) {
            goAway(H2Counters.GoAway.DRAIN, "the front drains");
        } else {
            context.fireUserEventTriggered(evt);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext context, Object msg) {
        ReferenceCountUtil.release(msg); // connection-level frames (SETTINGS, PING, GOAWAY): the codec has acted on them
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
        Http2Exception h2 = cause instanceof Http2Exception e ? e
                : cause.getCause() instanceof Http2Exception e ? e : null;
        if (h2 == null || h2 instanceof Http2Exception.StreamException) {
            LOG.debug("HTTP/2 connection from {} failed: {}", context.channel().remoteAddress(), cause.toString());
            context.close();
            return;
        }
        // a connection error: the codec has written GOAWAY with its code and closes the connection
        H2Counters.GoAway reason = reasonOf(h2);
        closing = true;
        cancel();
        counters.goAway(reason);
        logRateLimited(reason, context.channel().remoteAddress(), h2);
    }

    static H2Counters.GoAway reasonOf(Http2Exception e) {
        String message = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
        if (e.error() == Http2Error.ENHANCE_YOUR_CALM && message.contains("rst")) {
            return H2Counters.GoAway.RAPID_RESET;
        }
        if (message.contains("continuation")) {
            return H2Counters.GoAway.CONTINUATION;
        }
        if (message.contains("header size exceeded") || message.contains("header list")) {
            return H2Counters.GoAway.HEADER_LIST;
        }
        return H2Counters.GoAway.PROTOCOL;
    }

    private static void logRateLimited(H2Counters.GoAway reason, SocketAddress client, Http2Exception e) {
        AtomicLong last = LAST_LOGGED.get(reason);
        long now = System.nanoTime();
        long previous = last.get();
        if (now - previous >= LOG_EVERY_NANOS && last.compareAndSet(previous, now)) {
            LOG.warn("Closed an HTTP/2 connection from {} with GOAWAY {} ({}): {} (logged at most every 10 s)",
                    client, e.error(), reason.label(), e.getMessage());
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext context) {
        forget();
        context.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext context) {
        forget();
    }

    /** The connection is gone: no timer, and it no longer counts. */
    private void forget() {
        cancel();
        if (counted) {
            counted = false;
            counters.connectionClosed();
        }
    }
}
