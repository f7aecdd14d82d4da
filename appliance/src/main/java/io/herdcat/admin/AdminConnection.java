package io.herdcat.admin;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The deadlines of one admin connection, first in its pipeline: a request (head and body) must arrive
 * whole within {@code requestTimeout} of its first byte (or of the connection opening), however slowly
 * it trickles; a keep-alive connection with no request started is closed after {@code idleTimeout}.
 * A streamed body (a WAR upload, see {@link UpgradeUpload}) has no whole-request deadline: it is closed
 * only when no byte arrives for its stall limit. A refused connection lingers a moment before it
 * closes, so the client can read the refusal while it still sends. Reports the connection's state to
 * {@link AdminConnections}.
 */
final class AdminConnection extends ChannelDuplexHandler {
    private enum State { IDLE, RECEIVING, STREAMING, ANSWERING, LINGERING }

    private final AdminConnections connections;
    private final Duration requestTimeout;
    private final Duration idleTimeout;
    private ChannelHandlerContext ctx;
    private State state = State.RECEIVING;
    private boolean nextStarted;
    private Duration stallLimit;
    private ScheduledFuture<?> deadline;

    AdminConnection(AdminConnections connections, Duration requestTimeout, Duration idleTimeout) {
        this.connections = connections;
        this.requestTimeout = requestTimeout;
        this.idleTimeout = idleTimeout;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext context) {
        this.ctx = context;
    }

    @Override
    public void channelActive(ChannelHandlerContext context) {
        connections.opened(context.channel());
        closeAfter(requestTimeout);
        context.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext context, Object msg) {
        if (msg instanceof ByteBuf bytes && bytes.isReadable()) {
            if (state == State.IDLE) {
                state = State.RECEIVING;
                closeAfter(requestTimeout);
            } else if (state == State.ANSWERING) {
                nextStarted = true;
            } else if (state == State.STREAMING) {
                closeAfter(stallLimit);
            }
        }
        context.fireChannelRead(msg);
    }

    /** A whole request arrived and is being answered: no deadline until its response is written. */
    void answering() {
        state = State.ANSWERING;
        nextStarted = false;
        cancel();
        connections.answering(ctx.channel());
    }

    /**
     * The request's body streams from now on: the connection stays open as long as a byte arrives (or
     * {@link #progress()} is reported) at least every {@code stall}, and is not closed to make room for
     * newer connections.
     */
    void streaming(Duration stall) {
        state = State.STREAMING;
        stallLimit = stall;
        connections.answering(ctx.channel());
        closeAfter(stall);
    }

    /** The streamed body made progress without a byte arriving (it was being stored while reading paused). */
    void progress() {
        if (state == State.STREAMING) {
            closeAfter(stallLimit);
        }
    }

    /** The connection was refused and its response written: it closes after {@code linger}, whatever arrives. */
    void lingering(Duration linger) {
        state = State.LINGERING;
        closeAfter(linger);
    }

    @Override
    public void write(ChannelHandlerContext context, Object msg, ChannelPromise promise) {
        if (msg instanceof LastHttpContent) {
            promise.addListener(f -> answered());
        }
        context.write(msg, promise);
    }

    private void answered() {
        if (state != State.ANSWERING) {
            return;
        }
        connections.waitingAgain(ctx.channel());
        state = nextStarted ? State.RECEIVING : State.IDLE;
        closeAfter(nextStarted ? requestTimeout : idleTimeout);
    }

    @Override
    public void channelInactive(ChannelHandlerContext context) {
        cancel();
        connections.closed(context.channel());
        context.fireChannelInactive();
    }

    private void closeAfter(Duration timeout) {
        cancel();
        deadline = ctx.executor().schedule(() -> {
            ctx.close();
        }, timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void cancel() {
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
    }
}
