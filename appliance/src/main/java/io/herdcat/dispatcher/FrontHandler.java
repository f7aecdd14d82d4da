package io.herdcat.dispatcher;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Takes a client connection's HTTP messages one at a time, only when they are wanted: a request head
 * starts a {@link ProxyExchange}, which asks for body pieces as it can send them on; the next
 * (pipelined) request is taken only after the previous response is written, so responses come back in
 * order and a client that sends faster than its node reads is slowed down, not buffered: decoded
 * messages that are not wanted yet wait in {@code inbox}, and reading the socket stops until they are.
 * A WebSocket handshake starts a {@link WebSocketExchange} instead, which takes the connection over.
 */
final class FrontHandler extends ChannelInboundHandlerAdapter {
    private final Dispatcher dispatcher;
    private final SlowClientGuard guard;
    private final Deque<Object> inbox = new ArrayDeque<>();
    private ChannelHandlerContext ctx;
    private ProxyExchange current;
    private BackendRequest.Client client;
    private boolean wanted;
    private boolean delivering;

    FrontHandler(Dispatcher dispatcher, SlowClientGuard guard) {
        this.dispatcher = dispatcher;
        this.guard = guard;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext context) {
        this.ctx = context;
        if (context.channel().isActive()) {
            demand(); // added once the protocol was chosen (ALPN, h2c preface): channelActive has passed
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext context) {
        demand();
    }

    /**
     * The next message is wanted: from the inbox, else from the socket. Reading stays on (turning it on
     * and off costs a system call each time) and is switched off only while unwanted messages wait.
     */
    void demand() {
        wanted = true;
        if (!inbox.isEmpty()) {
            if (!delivering) {
                deliver();
            }
        } else if (!ctx.channel().config().isAutoRead()) {
            ctx.channel().config().setAutoRead(true);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext context, Object msg) {
        inbox.addLast(msg);
        if (!delivering) {
            deliver();
        }
        if (!inbox.isEmpty() && context.channel().config().isAutoRead()) {
            context.channel().config().setAutoRead(false); // not wanted yet: the client waits, the front does not buffer
        }
    }

    private void deliver() {
        delivering = true;
        try {
            while (wanted && !inbox.isEmpty()) {
                wanted = false;
                handle(inbox.pollFirst());
            }
        } finally {
            delivering = false;
        }
    }

    private void handle(Object msg) {
        if (msg instanceof HttpRequest request) {
            HttpResponseStatus wrong = RequestChecks.problem(request);
            if (request.decoderResult().isFailure() || current != null) {
                // a coding the decoder rejects is still one the front does not implement
                refuse(request, wrong == HttpResponseStatus.NOT_IMPLEMENTED ? wrong : null);
                return;
            }
            if (wrong != null) {
                refuse(request, wrong);
                return;
            }
            guard.requestReceived();
            if (WebSocketUpgrade.isRequest(request) && !(ctx.channel() instanceof io.netty.handler.codec.http2.Http2StreamChannel)) {
                // the connection is the WebSocket's from now on: no further request is taken from it
                // (an HTTP/2 stream never is one: WebSocket over HTTP/2 is not offered)
                new WebSocketExchange(dispatcher, ctx, request, client()).start();
                return;
            }
            ProxyExchange exchange = new ProxyExchange(dispatcher, ctx, request, this);
            current = exchange;
            exchange.start();
        } else if (msg instanceof HttpContent content && current != null) {
            current.onClientContent(content);
        } else {
            ReferenceCountUtil.release(msg);
            demand();
        }
    }

    /** The client's address and TLS details, looked up once per connection (TLS is set up by the first request). */
    BackendRequest.Client client() {
        if (client == null) {
            client = BackendRequest.Client.of(ctx.channel(), dispatcher.options().clients().trustedProxies());
        }
        return client;
    }

    /** The exchange wrote its response and read its whole request: the connection waits for the next one. */
    void exchangeDone() {
        current = null;
        guard.responseSent();
        demand();
    }

    /**
     * A request the front could not parse or will not forward: its 4xx or 5xx ({@code status}, or one
     * from the decoder's failure), then the connection is closed (its framing is lost or not trusted).
     */
    private void refuse(HttpRequest request, HttpResponseStatus given) {
        Throwable cause = request.decoderResult().cause();
        ReferenceCountUtil.release(request);
        HttpResponseStatus status = given != null ? given
                : cause instanceof TooLongHttpLineException ? HttpResponseStatus.REQUEST_URI_TOO_LONG
                : cause instanceof TooLongHttpHeaderException ? HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE
                : HttpResponseStatus.BAD_REQUEST;
        dispatcher.logAccess(ctx, client().inet(), request, status.code(), 0);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status);
        response.headers().set(HttpHeaderNames.CONTENT_LENGTH, 0);
        response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        LingeringClose.after(ctx.writeAndFlush(response));
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext context) {
        if (current != null) {
            current.clientWritabilityChanged();
        }
        context.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext context) {
        if (current != null) {
            current.clientClosed();
            current = null;
        }
        inbox.forEach(ReferenceCountUtil::release);
        inbox.clear();
        context.fireChannelInactive();
    }

    /** Taken out of the pipeline (a WebSocket took the connection over): what waits here is dropped. */
    @Override
    public void handlerRemoved(ChannelHandlerContext context) {
        inbox.forEach(ReferenceCountUtil::release);
        inbox.clear();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
        context.close();
    }
}
