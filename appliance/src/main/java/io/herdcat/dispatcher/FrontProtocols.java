package io.herdcat.dispatcher;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sets up an HTTPS connection for the protocol its client chose by ALPN once the TLS handshake is
 * done: {@code h2} gets HTTP/2, {@code http/1.1} or no choice gets HTTP/1.1. A connection still in its
 * handshake when the front drains is closed; a failed handshake is closed quietly (a client decides
 * how many of those there are).
 */
final class FrontProtocols extends ApplicationProtocolNegotiationHandler {
    private static final Logger LOG = LoggerFactory.getLogger(FrontProtocols.class);
    private final FrontPipeline pipeline;

    FrontProtocols(FrontPipeline pipeline) {
        super(ApplicationProtocolNames.HTTP_1_1);
        this.pipeline = pipeline;
    }

    @Override
    protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
        if (ApplicationProtocolNames.HTTP_2.equals(protocol)) {
            pipeline.h2(ctx.pipeline());
        } else if (ApplicationProtocolNames.HTTP_1_1.equals(protocol)) {
            pipeline.http1(ctx.pipeline());
        } else {
            ctx.close();
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt == ConnectionDrain.DRAIN) {
            ctx.close();
        } else {
            super.userEventTriggered(ctx, evt);
        }
    }

    @Override
    protected void handshakeFailure(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("TLS handshake with {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("Connection from {} failed before its protocol was chosen: {}", ctx.channel().remoteAddress(),
                cause.toString());
        ctx.close();
    }
}
