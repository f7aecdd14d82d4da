package io.herdcat.dispatcher;

import io.herdcat.dispatcher.ajp.AjpResponsePart;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;

/**
 * Hands what a node sends to the exchange currently using the connection, or a CPong to the pool that
 * checks an idle connection; an idle connection that says anything else is closed.
 */
final class BackendHandler extends SimpleChannelInboundHandler<AjpResponsePart> {
    static final AttributeKey<ProxyExchange> EXCHANGE = AttributeKey.valueOf("herdcat.exchange");

    BackendHandler() {
        super(false);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, AjpResponsePart part) {
        ProxyExchange exchange = ctx.channel().attr(EXCHANGE).get();
        if (exchange == null && part instanceof AjpResponsePart.CPong) {
            var ping = ctx.channel().attr(AjpPool.PING).get();
            if (ping != null) {
                ping.trySuccess(null);
                return;
            }
        }
        if (exchange == null) {
            ReferenceCountUtil.release(part);
            ctx.close();
            return;
        }
        exchange.onBackendResponse(part);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ProxyExchange exchange = ctx.channel().attr(EXCHANGE).get();
        if (exchange != null) {
            exchange.onBackendReadComplete();
        }
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        var ping = ctx.channel().attr(AjpPool.PING).get();
        if (ping != null) {
            ping.tryFailure(new java.io.IOException("connection closed"));
        }
        ProxyExchange exchange = ctx.channel().attr(EXCHANGE).getAndSet(null);
        if (exchange != null) {
            exchange.onBackendFailure("connection closed");
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ProxyExchange exchange = ctx.channel().attr(EXCHANGE).getAndSet(null);
        ctx.close();
        if (exchange != null) {
            exchange.onBackendFailure(cause.toString());
        }
    }
}
