package io.herdcat.dispatcher;

import io.herdcat.dispatcher.ajp.AjpEncoder;
import io.herdcat.dispatcher.ajp.AjpPacketTooLargeException;
import io.herdcat.dispatcher.ajp.AjpRequestHead;
import io.herdcat.dispatcher.ajp.AjpResponsePart;
import io.herdcat.dispatcher.balance.SessionRoute;
import io.herdcat.dispatcher.balance.Worker;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.net.InetSocketAddress;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client request on its way through the dispatcher: {@code clientRequest} → choose a node →
 * {@code backendRequest} over AJP → {@code backendResponse} parts → {@code clientResponse}. A node that
 * cannot be reached, or that fails before the response headers, is put in error and the request goes
 * to another node (the body is buffered, so that is safe); a failure after the headers closes the
 * client's connection, never a second status line. Runs on the client connection's event loop.
 */
final class ProxyExchange {
    private static final Logger LOG = LoggerFactory.getLogger(ProxyExchange.class);
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-connection",
            "transfer-encoding", "te", "trailer", "upgrade", "content-length");

    private final Dispatcher dispatcher;
    private final ChannelHandlerContext client;
    private final FullHttpRequest clientRequest;
    private final boolean keepAlive;
    private final String sessionRoute;
    private final Set<String> tried = new HashSet<>();
    private Worker worker;
    private AjpPool pool;
    private Channel backend;
    private int bodySent;
    private long bytesOut;
    private boolean headersSent;
    private boolean done;
    private ScheduledFuture<?> replyTimer;

    ProxyExchange(Dispatcher dispatcher, ChannelHandlerContext client, FullHttpRequest clientRequest) {
        this.dispatcher = dispatcher;
        this.client = client;
        this.clientRequest = clientRequest;
        this.keepAlive = HttpUtil.isKeepAlive(clientRequest);
        this.sessionRoute = SessionRoute.of(clientRequest.headers().get(HttpHeaderNames.COOKIE), clientRequest.uri());
    }

    void start() {
        tryNextNode();
    }

    private void tryNextNode() {
        Optional<Worker> next = dispatcher.balancer().choose(sessionRoute, tried);
        if (next.isEmpty()) {
            respondError(HttpResponseStatus.SERVICE_UNAVAILABLE, "No node is available to serve this request.");
            return;
        }
        worker = next.get();
        tried.add(worker.route());
        pool = dispatcher.pool(worker.route());
        if (pool == null) {
            tryNextNode();
            return;
        }
        ChannelFuture connected = pool.acquire(client.channel().eventLoop());
        connected.addListener((ChannelFutureListener) f -> runOnClientLoop(() -> {
            if (!f.isSuccess()) {
                nodeFailed("cannot connect: " + f.cause());
                return;
            }
            backend = f.channel();
            backend.attr(BackendHandler.EXCHANGE).set(this);
            worker.started();
            if (!backend.isActive()) {
                // closed before this exchange took it: BackendHandler saw no exchange to tell
                if (backend.attr(BackendHandler.EXCHANGE).compareAndSet(this, null)) {
                    worker.finished(0);
                    nodeFailed("connection closed before the request");
                }
                return;
            }
            sendBackendRequest();
        }));
    }

    private void sendBackendRequest() {
        ByteBuf head;
        try {
            head = AjpEncoder.forwardRequest(backend.alloc(), backendRequestHead(), dispatcher.packetSize());
        } catch (AjpPacketTooLargeException e) {
            worker.finished(0);
            pool.release(backend, true);
            respondError(HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "The request head is too large.");
            return;
        }
        backend.write(head).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
        Channel waitingOn = backend;
        cancelReplyTimer();
        replyTimer = client.executor().schedule(() -> replyTimedOut(waitingOn), dispatcher.replyTimeout().toMillis(),
                TimeUnit.MILLISECONDS);
        if (clientRequest.content().isReadable()) {
            sendBodyChunk();
        } else {
            backend.flush();
        }
    }

    private AjpRequestHead backendRequestHead() {
        String rawUri = clientRequest.uri();
        int q = rawUri.indexOf('?');
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        for (Map.Entry<String, String> h : clientRequest.headers()) {
            if (!HOP_BY_HOP.contains(h.getKey().toLowerCase(java.util.Locale.ROOT))) {
                headers.add(h);
            }
        }
        int length = clientRequest.content().readableBytes();
        if (length > 0 || HttpMethod.POST.equals(clientRequest.method()) || HttpMethod.PUT.equals(clientRequest.method())) {
            headers.add(new AbstractMap.SimpleImmutableEntry<>("Content-Length", Integer.toString(length)));
        }
        InetSocketAddress remote = (InetSocketAddress) client.channel().remoteAddress();
        InetSocketAddress local = (InetSocketAddress) client.channel().localAddress();
        String host = clientRequest.headers().get(HttpHeaderNames.HOST);
        String serverName = host == null ? local.getHostString() : host.replaceFirst(":\\d+$", "");
        return new AjpRequestHead(clientRequest.method().name(), clientRequest.protocolVersion().text(),
                q < 0 ? rawUri : rawUri.substring(0, q), q < 0 ? null : rawUri.substring(q + 1),
                remote.getAddress().getHostAddress(), remote.getAddress().getHostAddress(), remote.getPort(),
                serverName, local.getPort(), false, headers, dispatcher.secret(), worker.route(), Map.of(), null);
    }

    private void sendBodyChunk() {
        ByteBuf body = clientRequest.content();
        int length = Math.min(AjpEncoder.maxChunk(dispatcher.packetSize()), body.readableBytes() - bodySent);
        backend.write(AjpEncoder.bodyChunkHeader(backend.alloc(), length)).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
        if (length > 0) {
            backend.write(body.retainedSlice(body.readerIndex() + bodySent, length))
                    .addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
            bodySent += length;
        }
        backend.flush();
    }

    /** A packet from the node; called on the node connection's event loop (usually the client's too). */
    void onBackendResponse(AjpResponsePart part) {
        if (client.executor().inEventLoop()) {
            handle(part);
        } else {
            client.executor().execute(() -> handle(part));
        }
    }

    private void handle(AjpResponsePart part) {
        if (done) {
            if (part instanceof AjpResponsePart.BodyChunk chunk) {
                chunk.release();
            }
            return;
        }
        if (part instanceof AjpResponsePart.Headers h) {
            cancelReplyTimer();
            client.write(clientResponse(h));
            headersSent = true;
        } else if (part instanceof AjpResponsePart.BodyChunk chunk) {
            bytesOut += chunk.content().readableBytes();
            client.writeAndFlush(new DefaultHttpContent(chunk.content()));
        } else if (part instanceof AjpResponsePart.GetBodyChunk) {
            sendBodyChunk();
        } else if (part instanceof AjpResponsePart.End end) {
            finish(end.reuse());
        }
    }

    private HttpResponse clientResponse(AjpResponsePart.Headers h) {
        HttpResponseStatus status = h.reason() == null ? HttpResponseStatus.valueOf(h.status())
                : new HttpResponseStatus(h.status(), h.reason());
        HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, status);
        for (Map.Entry<String, String> header : h.headers()) {
            response.headers().add(header.getKey(), header.getValue());
        }
        boolean bodyAllowed = h.status() >= 200 && h.status() != 204 && h.status() != 304
                && !HttpMethod.HEAD.equals(clientRequest.method());
        if (bodyAllowed && !response.headers().contains(HttpHeaderNames.CONTENT_LENGTH)) {
            response.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        }
        if (!keepAlive) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        return response;
    }

    private void finish(boolean reuse) {
        done = true;
        worker.finished(bytesOut + clientRequest.content().readableBytes());
        backend.attr(BackendHandler.EXCHANGE).set(null);
        pool.release(backend, reuse);
        completeClientResponse(client.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT));
    }

    private void runOnClientLoop(Runnable task) {
        if (client.executor().inEventLoop()) {
            task.run();
        } else {
            client.executor().execute(task);
        }
    }

    /** The node's connection failed; called on its event loop. */
    void onBackendFailure(String why) {
        runOnClientLoop(() -> {
            if (done) {
                return;
            }
            if (headersSent) {
                done = true;
                cancelReplyTimer();
                worker.finished(bytesOut);
                worker.markError(System.currentTimeMillis());
                LOG.warn("Node {} failed in the middle of a response ({}): closing the client connection",
                        worker.route(), why);
                clientRequest.release();
                client.close();
                return;
            }
            worker.finished(0);
            nodeFailed(why);
        });
    }

    /** The timer holds this exchange: cancelled as soon as it is not needed, or it would pile up for a minute. */
    private void cancelReplyTimer() {
        if (replyTimer != null) {
            replyTimer.cancel(false);
            replyTimer = null;
        }
    }

    /** No response headers in time: 504, and the node's connection is dropped (it may still be busy). */
    private void replyTimedOut(Channel waitingOn) {
        if (done || headersSent || backend != waitingOn) {
            return;
        }
        LOG.warn("Node {} sent no response within {} ms: 504", worker.route(), dispatcher.replyTimeout().toMillis());
        worker.finished(0);
        backend.attr(BackendHandler.EXCHANGE).set(null);
        backend.close();
        respondError(HttpResponseStatus.GATEWAY_TIMEOUT, "The node did not answer in time.");
    }

    private void nodeFailed(String why) {
        cancelReplyTimer();
        worker.markError(System.currentTimeMillis());
        dispatcher.health().watch(worker);
        LOG.warn("Node {} failed before answering ({}); trying another node", worker.route(), why);
        if (backend != null) {
            backend.attr(BackendHandler.EXCHANGE).set(null);
            backend.close();
            backend = null;
        }
        bodySent = 0;
        tryNextNode();
    }

    private void respondError(HttpResponseStatus status, String message) {
        done = true;
        cancelReplyTimer();
        ByteBuf body = client.alloc().buffer().writeBytes((message + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        io.netty.handler.codec.http.FullHttpResponse r = new io.netty.handler.codec.http.DefaultFullHttpResponse(
                HttpVersion.HTTP_1_1, status, body);
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
        r.headers().set(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
        if (status == HttpResponseStatus.SERVICE_UNAVAILABLE) {
            r.headers().set(HttpHeaderNames.RETRY_AFTER, "5");
        }
        if (!keepAlive) {
            r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        completeClientResponse(client.writeAndFlush(r));
    }

    private void completeClientResponse(ChannelFuture written) {
        clientRequest.release();
        if (!keepAlive) {
            written.addListener(ChannelFutureListener.CLOSE);
        } else {
            written.addListener(f -> {
                SlowClientGuard guard = client.pipeline().get(SlowClientGuard.class);
                if (guard != null) {
                    guard.responseSent();
                }
                client.channel().config().setAutoRead(true);
                client.read();
            });
        }
    }
}
