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
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.Future;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client request on its way through the dispatcher: {@code clientRequest} → choose a node →
 * {@code backendRequest} over AJP → {@code backendResponse} parts → {@code clientResponse}. Runs on
 * the client connection's event loop.
 *
 * <p>A node is taken only once the request body has arrived, whole or its first {@code retryBody}
 * bytes, and the client's address has a free request slot ({@link ClientAddresses}); the body must
 * arrive in time ({@link BodyDeadline}). The rest of a larger body streams: the front reads from the
 * client only while little of it waits to be sent, and sends it as the node asks for it (GET_BODY_CHUNK); the response streams back, and the node
 * connection stops being read while the client's connection is full. A node that cannot be reached,
 * or that fails before the response headers, is put in error and the request goes to another node
 * when everything sent to it can be sent again (no body, or a body held whole because it is still
 * within {@code retryBody}); a streamed body that is partly gone gets 502. For idempotent requests the
 * start of the response is held back for up to 20 ms or 16 KiB ({@link HeldResponse}), so a node that
 * dies after its headers but before its END is replaced too. A failure after the headers closes the client's connection, never a second
 * status line.
 */
final class ProxyExchange {
    private static final Logger LOG = LoggerFactory.getLogger(ProxyExchange.class);
    /** Methods whose request may go to a second node even after the first one began to answer. */
    private static final Set<HttpMethod> IDEMPOTENT = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS,
            HttpMethod.TRACE, HttpMethod.PUT, HttpMethod.DELETE);
    /** Body bytes a client may still send after its response is complete; beyond that the connection is closed. */
    private static final long MAX_DISCARD = 2 << 20;

    private final Dispatcher dispatcher;
    private final ChannelHandlerContext client;
    private final HttpRequest clientRequest;
    private final RequestBody body;
    private final FrontHandler front;
    private final InetAddress clientAddress;
    private boolean keepAlive;
    private final boolean expectContinue;
    private final String sessionRoute;
    private final Set<String> tried = new HashSet<>();
    private Worker worker;
    private AjpPool pool;
    private Channel backend;
    private boolean forwarded;
    private int owedChunks;
    private long bytesOut;
    private boolean continueSent;
    private boolean headersSent;
    private HeldResponse held;
    private ScheduledFuture<?> releaseHeldTimer;
    private boolean responseDone;
    private boolean closed;
    private long discarded;
    private ScheduledFuture<?> replyTimer;
    private final long startNanos = System.nanoTime();
    private int responseStatus;
    /** The body has arrived (whole, or its replayable part): a node is wanted from now on. */
    private boolean nodeWanted;
    private boolean holdsSlot;
    private BodyDeadline bodyDeadline;

    /** @param front the client connection's handler: it hands over the body on demand and takes the next request */
    ProxyExchange(Dispatcher dispatcher, ChannelHandlerContext client, HttpRequest clientRequest, FrontHandler front) {
        this.dispatcher = dispatcher;
        this.client = client;
        this.clientRequest = clientRequest;
        this.front = front;
        this.keepAlive = HttpUtil.isKeepAlive(clientRequest);
        this.clientAddress = front.client().inet();
        this.expectContinue = HttpUtil.is100ContinueExpected(clientRequest);
        long declared = HttpUtil.isTransferEncodingChunked(clientRequest) ? -1
                : HttpUtil.getContentLength(clientRequest, 0L);
        this.body = new RequestBody(declared, dispatcher.options().retryBody());
        this.sessionRoute = SessionRoute.of(clientRequest.headers().get(HttpHeaderNames.COOKIE), clientRequest.uri());
    }

    void start() {
        if (body.declaredLength() > dispatcher.options().maxBody()) {
            respondError(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "The request body is too large.", true);
            return;
        }
        if (body.declaredLength() != 0) {
            if (expectContinue) {
                continueSent = true;
                client.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE));
            }
            var limits = dispatcher.options().clients();
            bodyDeadline = new BodyDeadline(client.executor(), limits.bodyTimeout(), limits.bodyMinRate(), startNanos,
                    body::receivedBytes, () -> body.pendingBytes() < bufferLimit(), this::bodyTooSlow);
            bodyDeadline.start();
        }
        demandBody();
        forwardOnceBuffered();
    }

    /**
     * Takes a node only once the body has arrived whole, or as much of it as is kept for a retry
     * ({@code retryBody}): a client that sends its body slowly, or never, holds nothing of the nodes
     * (nginx's request buffering, HAProxy's http-buffer-request). Then waits for a request slot of
     * the client's address ({@link ClientAddresses}).
     */
    private void forwardOnceBuffered() {
        if (nodeWanted || closed || responseDone
                || !body.complete() && body.receivedBytes() < dispatcher.options().retryBody()) {
            return;
        }
        nodeWanted = true;
        dispatcher.clientAddresses().whenRequestSlotFree(clientAddress, client.executor(), this::slotGranted);
    }

    private void slotGranted() {
        holdsSlot = true;
        if (closed || responseDone) {
            releaseSlot();
            return;
        }
        tryNextNode();
    }

    private void releaseSlot() {
        if (holdsSlot) {
            holdsSlot = false;
            dispatcher.clientAddresses().requestDone(clientAddress);
        }
    }

    /** The body came too slowly ({@code front.body.timeout}, {@code front.body.min.rate}): 408, or close. */
    private void bodyTooSlow() {
        bodyDeadline = null;
        if (body.complete() || closed) {
            return;
        }
        dispatcher.countSlowBody();
        if (responseDone) {
            client.close(); // the response is out; the rest of the body is not worth waiting for
        } else {
            abortRequest(HttpResponseStatus.REQUEST_TIMEOUT, "The request body did not arrive in time.");
        }
    }

    private void cancelBodyTimer() {
        if (bodyDeadline != null) {
            bodyDeadline.cancel();
            bodyDeadline = null;
        }
    }

    // ---- the client's side ----

    /** A piece of the request body from the client; this exchange takes ownership. */
    void onClientContent(HttpContent content) {
        if (content.decoderResult().isFailure()) {
            content.release();
            abortRequest(HttpResponseStatus.BAD_REQUEST, "The request body is malformed.");
            return;
        }
        boolean last = content instanceof LastHttpContent;
        if (responseDone) {
            discarded += content.content().readableBytes();
            content.release();
            if (last) {
                done();
            } else if (discarded > MAX_DISCARD) {
                client.close();
            } else {
                front.demand();
            }
            return;
        }
        body.add(content.content());
        if (last) {
            body.markComplete();
            cancelBodyTimer();
        }
        if (body.receivedBytes() > dispatcher.options().maxBody()) {
            abortRequest(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "The request body is too large.");
            return;
        }
        if (backend != null && forwarded) {
            sendOwedChunks();
        }
        demandBody();
        forwardOnceBuffered();
    }

    /**
     * Reads more of the body while little of it waits here: memory stays bounded, the client is slowed
     * instead. Before a node is wanted, up to {@code retryBody} is read ahead; then one AJP chunk.
     */
    private void demandBody() {
        if (!body.complete() && !closed && body.pendingBytes() < bufferLimit()) {
            front.demand();
        }
    }

    private int bufferLimit() {
        return nodeWanted ? chunkSize() : Math.max(chunkSize(), dispatcher.options().retryBody());
    }

    /** The client's connection can take more (or no more) response: resume (or pause) reading from the node. */
    void clientWritabilityChanged() {
        if (backend != null && !responseDone) {
            backend.config().setAutoRead(client.channel().isWritable());
        }
    }

    /** The client went away: the node's connection is dropped, as the response has nowhere to go. */
    void clientClosed() {
        if (closed) {
            return;
        }
        dropHeldResponse();
        cancelBodyTimer();
        if (!responseDone) {
            responseDone = true;
            cancelReplyTimer();
            if (backend != null) {
                worker.finished(body.sentBytes(), bytesOut);
                dropBackend();
            }
        }
        releaseSlot();
        closed = true;
        body.release();
    }

    // ---- choosing a node and forwarding ----

    private void tryNextNode() {
        Optional<Worker> next = dispatcher.balancer().choose(sessionRoute, tried);
        if (next.isEmpty()) {
            respondError(HttpResponseStatus.SERVICE_UNAVAILABLE, "No node is available to serve this request.", false);
            return;
        }
        worker = next.get();
        tried.add(worker.route());
        pool = dispatcher.pool(worker.route());
        if (pool == null) {
            tryNextNode();
            return;
        }
        worker.started();
        Future<Channel> connecting = pool.acquire(client.channel().eventLoop());
        connecting.addListener(f -> runOnClientLoop(() -> {
            if (closed) {
                if (f.isSuccess()) {
                    pool.release(connecting.getNow(), true);
                }
                worker.finished(0, 0);
                return;
            }
            if (!f.isSuccess()) {
                worker.finished(0, 0);
                if (f.cause() instanceof AjpPool.BusyException busy) {
                    LOG.debug("{}; trying another node", busy.getMessage());
                    tryNextNode();
                } else {
                    nodeFailed("cannot connect: " + f.cause().getMessage());
                }
                return;
            }
            backend = connecting.getNow();
            backend.attr(BackendHandler.EXCHANGE).set(this);
            if (!backend.isActive()) {
                // closed before this exchange took it: BackendHandler saw no exchange to tell
                if (backend.attr(BackendHandler.EXCHANGE).compareAndSet(this, null)) {
                    worker.finished(0, 0);
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
            head = AjpEncoder.forwardRequest(backend.alloc(), backendRequestHead(), dispatcher.options().packetSize());
        } catch (AjpPacketTooLargeException e) {
            worker.finished(0, 0);
            pool.release(backend, true);
            backend = null;
            abortRequest(HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "The request head is too large.");
            return;
        }
        backend.write(head).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
        forwarded = true;
        owedChunks = body.declaredLength() > 0 ? 1 : 0; // AJP: the first chunk of a known-length body goes unasked
        armReplyTimer();
        if (expectContinue && !continueSent && !body.complete()) {
            continueSent = true;
            client.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE));
        }
        sendOwedChunks();
        backend.flush();
    }

    private AjpRequestHead backendRequestHead() {
        return BackendRequest.head(clientRequest, body.declaredLength(), front.client(), dispatcher.secret(),
                worker.route());
    }

    /** Sends the chunks the node asked for, as far as the body has arrived; an empty chunk ends the body. */
    private void sendOwedChunks() {
        boolean sentAny = false;
        while (owedChunks > 0 && (body.pendingBytes() > 0 || body.complete())) {
            ByteBuf data = body.take(backend.alloc(), chunkSize());
            int length = data.readableBytes();
            backend.write(AjpEncoder.bodyChunkHeader(backend.alloc(), length))
                    .addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
            if (length > 0) {
                backend.write(data).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
            } else {
                data.release();
            }
            owedChunks--;
            sentAny = true;
        }
        if (sentAny) {
            backend.flush();
            armReplyTimer();
        }
    }

    private int chunkSize() {
        return AjpEncoder.maxChunk(dispatcher.options().packetSize());
    }

    // ---- the node's side ----

    /** A packet from the node; called on the node connection's event loop (usually the client's too). */
    void onBackendResponse(AjpResponsePart part) {
        if (client.executor().inEventLoop()) {
            handle(part);
        } else {
            client.executor().execute(() -> handle(part));
        }
    }

    private void handle(AjpResponsePart part) {
        if (responseDone) {
            if (part instanceof AjpResponsePart.BodyChunk chunk) {
                chunk.release();
            }
            return;
        }
        if (part instanceof AjpResponsePart.Headers h) {
            cancelReplyTimer();
            responseStatus = h.status();
            if (IDEMPOTENT.contains(clientRequest.method())) {
                held = new HeldResponse(clientResponse(h)); // a timer only if the END is not in this read
            } else {
                client.write(clientResponse(h));
                headersSent = true;
            }
        } else if (part instanceof AjpResponsePart.BodyChunk chunk) {
            bytesOut += chunk.content().readableBytes();
            if (held != null) {
                if (held.add(chunk.content())) {
                    releaseHeldResponse();
                }
                return;
            }
            client.write(new DefaultHttpContent(chunk.content())); // flushed at the end of the node's read
            holdBackNodeWhileClientIsFull();
        } else if (part instanceof AjpResponsePart.GetBodyChunk) {
            owedChunks++;
            sendOwedChunks();
            demandBody();
        } else if (part instanceof AjpResponsePart.End end) {
            ChannelFuture written = null;
            if (held != null) {
                // the whole response was held: it goes out as one message (on HTTP/2, a HEADERS and one DATA
                // frame that ends the stream)
                cancelReleaseHeldTimer();
                written = held.writeWholeTo(client);
                held = null;
                headersSent = true;
            }
            finish(end.reuse(), written);
        }
    }

    /** The held start of the response goes to the client: from now on a failing node closes the connection. */
    private void releaseHeldResponse() {
        if (held == null || responseDone) {
            return;
        }
        cancelReleaseHeldTimer();
        held.writeTo(client);
        held = null;
        headersSent = true;
        client.flush();
        holdBackNodeWhileClientIsFull();
    }

    private void cancelReleaseHeldTimer() {
        if (releaseHeldTimer != null) {
            releaseHeldTimer.cancel(false);
            releaseHeldTimer = null;
        }
    }

    /** A node's response faster than the client reads it: stop reading the node until the client catches up. */
    private void holdBackNodeWhileClientIsFull() {
        if (!client.channel().isWritable()) {
            client.flush();
            if (!client.channel().isWritable() && backend != null) { // still full after the flush
                backend.config().setAutoRead(false);
            }
        }
    }

    /** Drops a held response whose node failed: nothing of it reached the client. */
    private void dropHeldResponse() {
        cancelReleaseHeldTimer();
        if (held != null) {
            held.release();
            held = null;
        }
    }

    private HttpResponse clientResponse(AjpResponsePart.Headers h) {
        // Tomcat 11 sends the code itself as the reason (it has dropped reason phrases): the client gets the standard one
        boolean ownReason = h.reason() != null && !h.reason().isBlank() && !h.reason().equals(Integer.toString(h.status()));
        HttpResponseStatus status = ownReason ? new HttpResponseStatus(h.status(), h.reason())
                : HttpResponseStatus.valueOf(h.status());
        HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, status);
        HopByHop.copyEndToEnd(h.headers(), response.headers());
        boolean bodyAllowed = h.status() >= 200 && h.status() != 204 && h.status() != 304
                && !HttpMethod.HEAD.equals(clientRequest.method());
        if (bodyAllowed && !response.headers().contains(HttpHeaderNames.CONTENT_LENGTH)) {
            if (HttpVersion.HTTP_1_0.equals(clientRequest.protocolVersion())) {
                keepAlive = false; // HTTP/1.0 has no chunked coding: the body ends where the connection does
            } else {
                response.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
            }
        }
        if (!keepAlive) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        return response;
    }

    /** @param written the response's last write when it is already made (a whole held response), else null */
    private void finish(boolean reuse, ChannelFuture written) {
        responseDone = true;
        cancelReplyTimer();
        releaseSlot();
        worker.finished(body.sentBytes(), bytesOut);
        dispatcher.responded(responseStatus, System.nanoTime() - startNanos);
        dispatcher.logAccess(client, clientAddress, clientRequest, responseStatus, bytesOut);
        backend.attr(BackendHandler.EXCHANGE).set(null);
        backend.config().setAutoRead(true);
        pool.release(backend, reuse && owedChunks == 0);
        backend = null;
        completeClientResponse(written != null ? written : client.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT),
                false);
    }

    private void runOnClientLoop(Runnable task) {
        if (client.executor().inEventLoop()) {
            task.run();
        } else {
            client.executor().execute(task);
        }
    }

    /** The node's connection has no more to read for now: what it sent goes out to the client in one write. */
    void onBackendReadComplete() {
        runOnClientLoop(() -> {
            if (responseDone) {
                return;
            }
            if (held != null && releaseHeldTimer == null) {
                releaseHeldTimer = client.executor().schedule(this::releaseHeldResponse, held.holdMillis(),
                        TimeUnit.MILLISECONDS);
            }
            client.flush();
        });
    }

    /** The node's connection failed; called on its event loop. */
    void onBackendFailure(String why) {
        runOnClientLoop(() -> {
            if (responseDone) {
                return;
            }
            worker.finished(body.sentBytes(), bytesOut);
            if (headersSent) {
                responseDone = true;
                cancelReplyTimer();
                releaseSlot();
                worker.markError(System.currentTimeMillis(), "failed in the middle of a response: " + why);
                dispatcher.health().watch(worker);
                LOG.warn("Node {} failed in the middle of a response ({}): closing the client connection",
                        worker.route(), why);
                backend = null;
                client.close();
                return;
            }
            dropHeldResponse();
            bytesOut = 0;
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

    private void armReplyTimer() {
        cancelReplyTimer();
        Channel waitingOn = backend;
        replyTimer = client.executor().schedule(() -> replyTimedOut(waitingOn),
                dispatcher.options().replyTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Nothing happened for the reply timeout: a node that owes the response headers gets 504; a client
     * that owes the body it announced gets 408. Either way the node's connection is dropped.
     */
    private void replyTimedOut(Channel waitingOn) {
        if (responseDone || headersSent || backend != waitingOn) {
            return;
        }
        boolean clientStalled = owedChunks > 0 && body.pendingBytes() == 0 && !body.complete();
        worker.finished(body.sentBytes(), 0);
        dropBackend();
        if (clientStalled) {
            abortRequest(HttpResponseStatus.REQUEST_TIMEOUT, "The request body did not arrive in time.");
        } else {
            LOG.warn("Node {} sent no response within {} ms: 504", worker.route(),
                    dispatcher.options().replyTimeout().toMillis());
            respondError(HttpResponseStatus.GATEWAY_TIMEOUT, "The node did not answer in time.", !body.complete());
        }
    }

    private void dropBackend() {
        backend.attr(BackendHandler.EXCHANGE).set(null);
        backend.close();
        backend = null;
    }

    private void nodeFailed(String why) {
        cancelReplyTimer();
        worker.markError(System.currentTimeMillis(), why);
        dispatcher.health().watch(worker);
        if (backend != null) {
            dropBackend();
        }
        if (forwarded && !body.rewind()) {
            LOG.warn("Node {} failed before answering ({}); its request body is gone, so it cannot be retried: 502",
                    worker.route(), why);
            respondError(HttpResponseStatus.BAD_GATEWAY, "The node failed while receiving the request.", true);
            return;
        }
        LOG.warn("Node {} failed before answering ({}); trying another node", worker.route(), why);
        dispatcher.countFailover();
        forwarded = false;
        owedChunks = 0;
        tryNextNode();
    }

    /** The request cannot go on (too large, malformed, too slow): its status if nothing was answered yet, then close. */
    private void abortRequest(HttpResponseStatus status, String message) {
        cancelReplyTimer();
        cancelBodyTimer();
        dropHeldResponse();
        if (backend != null) {
            worker.finished(body.sentBytes(), bytesOut);
            dropBackend();
        }
        if (headersSent) {
            responseDone = true;
            releaseSlot();
            dispatcher.logAccess(client, clientAddress, clientRequest, responseStatus, bytesOut);
            client.close();
        } else {
            respondError(status, message, true);
        }
    }

    private void respondError(HttpResponseStatus status, String message, boolean close) {
        responseDone = true;
        releaseSlot();
        if (close) {
            cancelBodyTimer();
        }
        dispatcher.responded(status.code(), System.nanoTime() - startNanos);
        cancelReplyTimer();
        ByteBuf content = client.alloc().buffer().writeBytes((message + "\n").getBytes(StandardCharsets.UTF_8));
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, content);
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
        r.headers().set(HttpHeaderNames.CONTENT_LENGTH, content.readableBytes());
        dispatcher.logAccess(client, clientAddress, clientRequest, status.code(), content.readableBytes());
        if (status == HttpResponseStatus.SERVICE_UNAVAILABLE) {
            r.headers().set(HttpHeaderNames.RETRY_AFTER, "5");
        }
        if (close || !keepAlive) {
            r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        completeClientResponse(client.writeAndFlush(r), close);
    }

    /** After the response: close, or let the next request in once the rest of this one's body is read and dropped. */
    private void completeClientResponse(ChannelFuture written, boolean close) {
        if (close) {
            body.release();
            LingeringClose.after(written);
            return;
        }
        if (!keepAlive) {
            body.release();
            written.addListener(ChannelFutureListener.CLOSE);
            return;
        }
        written.addListener(f -> {
            if (body.complete()) {
                done();
            } else {
                body.release();
                front.demand(); // the rest of the body is read and dropped, then the next request may come
            }
        });
    }

    private void done() {
        releaseSlot();
        cancelBodyTimer();
        body.release();
        closed = true;
        front.exchangeDone();
    }
}
