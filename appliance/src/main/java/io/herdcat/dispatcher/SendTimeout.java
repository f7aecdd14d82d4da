package io.herdcat.dispatcher;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Closes a client connection that takes none of the response waiting for it for {@code timeout}
 * (nginx's send_timeout): while the client does not read, the front stops reading the node, so a
 * client that never reads would otherwise hold a node's request thread for good. Closing it releases
 * the node connection. A connection with nothing to send is never closed here (the idle timeout and
 * the reply timeout cover waiting). An HTTP/2 stream has its own, {@link StreamSendTimeout}.
 */
final class SendTimeout extends IdleStateHandler {
    private final LongAdder closed;

    SendTimeout(Duration timeout, LongAdder closed) {
        super(true, 0, timeout.toMillis(), 0, TimeUnit.MILLISECONDS);
        this.closed = closed;
    }

    @Override
    protected void channelIdle(ChannelHandlerContext ctx, IdleStateEvent evt) {
        if (evt.state() != IdleState.WRITER_IDLE) {
            return;
        }
        ChannelOutboundBuffer out = ctx.channel().unsafe().outboundBuffer();
        if (out != null && out.totalPendingWriteBytes() > 0) {
            closed.increment();
            ctx.close();
        }
    }
}
