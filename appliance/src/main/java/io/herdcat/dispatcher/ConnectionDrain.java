package io.herdcat.dispatcher;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;

/**
 * Ends a client connection gracefully when the front drains: an idle keep-alive connection is closed
 * at once; a connection with a request in progress gets {@code Connection: close} on its response and
 * is closed after it (by the keep-alive handler before this one), so no client loses a request it
 * sent. Sits between the keep-alive handler and the request handler.
 */
final class ConnectionDrain extends ChannelDuplexHandler {
    /** The user event that starts the drain of a connection. */
    static final Object DRAIN = new Object() {
        @Override
        public String toString() {
            return "DRAIN";
        }
    };

    private int awaitingResponse;
    private boolean draining;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest) {
            awaitingResponse++;
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof HttpResponse response && response.status().code() < 200) {
            ctx.write(msg, promise); // an interim response (100 Continue): the request still waits for its answer
            return;
        }
        if (draining && msg instanceof HttpResponse response) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        if (msg instanceof LastHttpContent && awaitingResponse > 0) {
            awaitingResponse--;
        }
        ctx.write(msg, promise);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt != DRAIN) {
            ctx.fireUserEventTriggered(evt);
            return;
        }
        draining = true;
        if (awaitingResponse == 0) {
            ctx.close();
        }
    }
}
