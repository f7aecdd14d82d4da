package io.herdcat.dispatcher.h2;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.HttpConversionUtil;

/**
 * Makes an HTTP/2 stream's request look like one from an HTTP/1.1 connection to the handlers behind
 * it: a request that ended with its headers comes as its head and an empty end, as HTTP/1.1's decoder
 * gives it; a body without {@code content-length} (HTTP/2 ends a body with its stream, not a length) is
 * marked {@code chunked}, so the node reads it to its end; and Netty's {@code x-http2-*} conversion
 * headers are removed, so they never reach a node. A request the conversion finds malformed (a
 * {@code host} that differs from {@code :authority}, say) gets 400, as a malformed HTTP/1.1 head does;
 * once a request went on, a failure is left to the handlers behind (the stream is reset).
 */
public final class H2RequestAdapter extends ChannelInboundHandlerAdapter {
    private boolean requestPassedOn;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof HttpRequest request)) {
            ctx.fireChannelRead(msg);
            return;
        }
        removeConversionHeaders(request.headers());
        requestPassedOn = true;
        if (msg instanceof FullHttpRequest full) {
            HttpRequest head = new DefaultHttpRequest(full.protocolVersion(), full.method(), full.uri(), full.headers());
            head.setDecoderResult(full.decoderResult());
            if (full.content().isReadable() && !head.headers().contains(HttpHeaderNames.CONTENT_LENGTH)) {
                head.headers().set(HttpHeaderNames.CONTENT_LENGTH, full.content().readableBytes());
            }
            ctx.fireChannelRead(head);
            ctx.fireChannelRead(new DefaultLastHttpContent(full.content(), full.trailingHeaders()));
            return;
        }
        if (!request.headers().contains(HttpHeaderNames.CONTENT_LENGTH)) {
            request.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        }
        ctx.fireChannelRead(request);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (requestPassedOn || !(cause instanceof DecoderException && cause.getCause() instanceof Http2Exception)) {
            ctx.fireExceptionCaught(cause);
            return;
        }
        FullHttpResponse bad = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.BAD_REQUEST);
        bad.headers().set(HttpHeaderNames.CONTENT_LENGTH, 0);
        ctx.writeAndFlush(bad).addListener(ChannelFutureListener.CLOSE);
    }

    private static void removeConversionHeaders(HttpHeaders headers) {
        for (HttpConversionUtil.ExtensionHeaderNames name : HttpConversionUtil.ExtensionHeaderNames.values()) {
            headers.remove(name.text());
        }
    }
}
