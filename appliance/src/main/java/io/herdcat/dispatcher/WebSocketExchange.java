package io.herdcat.dispatcher;

import io.herdcat.dispatcher.balance.SessionRoute;
import io.herdcat.dispatcher.balance.Worker;
import io.herdcat.dispatcher.balance.WorkerSpec;
import io.herdcat.dispatcher.ws.WsRelay;
import io.herdcat.dispatcher.ws.WsTunnels;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;
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
 * One WebSocket handshake through the front: {@code clientRequest} → a place among the open
 * WebSockets ({@code front.ws.max}, else 503) and a request slot of the client's address → a node,
 * chosen like any request (sticky to its session's node, balanced without one, disabled and stopped
 * nodes respected) among the nodes whose HTTP connector is known → the handshake over HTTP/1.1 to that
 * connector ({@link WebSocketUpgrade}) → the node's answer. A node that cannot be reached, or closes
 * before answering, is put in error and the next node is tried. A {@code 101} switches both
 * connections to bytes and hands them to a {@link WsRelay}; any other answer goes to the client as it
 * is, and the connection closes. Runs on the client connection's event loop; the node connection is
 * opened on the same loop.
 */
final class WebSocketExchange {
    private static final Logger LOG = LoggerFactory.getLogger(WebSocketExchange.class);

    private enum State { WAITING, CONNECTING, HANDSHAKE, RELAYING_ANSWER, OPEN, DONE }

    private final Dispatcher dispatcher;
    private final WsTunnels tunnels;
    private final ChannelHandlerContext client;
    private final HttpRequest clientRequest;
    private final BackendRequest.Client clientInfo;
    private final InetAddress clientAddress;
    private final String sessionRoute;
    private final Set<String> tried = new HashSet<>();
    private final long startNanos = System.nanoTime();
    private State state = State.WAITING;
    private boolean reserved;
    private boolean holdsSlot;
    private Worker worker;
    private Channel node;
    private ScheduledFuture<?> replyTimer;
    private int answerStatus;

    WebSocketExchange(Dispatcher dispatcher, ChannelHandlerContext client, HttpRequest clientRequest,
                      BackendRequest.Client clientInfo) {
        this.dispatcher = dispatcher;
        this.tunnels = dispatcher.tunnels();
        this.client = client;
        this.clientRequest = clientRequest;
        this.clientInfo = clientInfo;
        this.clientAddress = clientInfo.inet();
        this.sessionRoute = SessionRoute.of(clientRequest.headers().get(HttpHeaderNames.COOKIE), clientRequest.uri());
    }

    void start() {
        if (!tunnels.tryReserve()) {
            LOG.debug("{} WebSockets open (front.ws.max): 503 for {}", tunnels.max(), clientInfo.address());
            fail(HttpResponseStatus.SERVICE_UNAVAILABLE, "Too many WebSockets are open through the front.");
            return;
        }
        reserved = true;
        client.channel().closeFuture().addListener(f -> clientGone());
        dispatcher.clientAddresses().whenRequestSlotFree(clientAddress, client.executor(), this::slotGranted);
    }

    private void slotGranted() {
        holdsSlot = true;
        if (state == State.DONE) {
            releaseSlot();
            return;
        }
        tryNextNode();
    }

    private void tryNextNode() {
        for (Worker w : dispatcher.balancer().workers()) {
            if (!w.spec().servesHttp()) {
                tried.add(w.route()); // a static node publishes no HTTP connector
            }
        }
        Optional<Worker> next = dispatcher.balancer().choose(sessionRoute, tried);
        if (next.isEmpty()) {
            fail(HttpResponseStatus.SERVICE_UNAVAILABLE, "No node is available to serve this WebSocket.");
            return;
        }
        worker = next.get();
        tried.add(worker.route());
        state = State.CONNECTING;
        WorkerSpec spec = worker.spec();
        Worker target = worker;
        new Bootstrap().group(client.channel().eventLoop()).channel(NettyTransport.clientChannel(client.channel().eventLoop()))
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Dispatcher.CONNECT_TIMEOUT.toMillis())
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new HttpClientCodec(), new NodeSide(target));
                    }
                })
                .connect(spec.httpHost(), spec.httpPort())
                .addListener((ChannelFuture f) -> connected(f, target));
    }

    private void connected(ChannelFuture f, Worker target) {
        if (state == State.DONE) {
            f.channel().close();
            return;
        }
        if (!f.isSuccess()) {
            nodeFailed(target, "cannot connect to its HTTP connector: " + f.cause().getMessage());
            return;
        }
        node = f.channel();
        state = State.HANDSHAKE;
        node.writeAndFlush(WebSocketUpgrade.nodeRequest(clientRequest, clientInfo, dispatcher.secret()))
                .addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
        replyTimer = client.executor().schedule(this::replyTimedOut,
                dispatcher.options().replyTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    private void nodeFailed(Worker failed, String why) {
        cancelReplyTimer();
        failed.markError(System.currentTimeMillis(), why);
        dispatcher.health().watch(failed);
        node = null;
        LOG.warn("Node {} failed before answering a WebSocket handshake ({}); trying another node", failed.route(), why);
        dispatcher.countFailover();
        state = State.WAITING;
        tryNextNode();
    }

    private void replyTimedOut() {
        if (state != State.HANDSHAKE) {
            return;
        }
        LOG.warn("Node {} did not answer a WebSocket handshake within {} ms: 504", worker.route(),
                dispatcher.options().replyTimeout().toMillis());
        fail(HttpResponseStatus.GATEWAY_TIMEOUT, "The node did not answer in time.");
    }

    /** The node switched protocols: both connections carry WebSocket frames from now on. */
    private void open(HttpResponse answer, ChannelHandlerContext nodeCtx) {
        state = State.OPEN;
        cancelReplyTimer();
        node.config().setAutoRead(false);
        FullHttpResponse switching = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, answer.status());
        switching.headers().set(answer.headers());
        WsRelay relay = new WsRelay(client.channel(), node, worker.route(), tunnels, ConnectionDrain.DRAIN);
        ChannelPipeline cp = client.pipeline();
        for (Class<? extends io.netty.channel.ChannelHandler> http : java.util.List.of(FrontHandler.class,
                ConnectionDrain.class, HttpServerKeepAliveHandler.class, SlowClientGuard.class)) {
            if (cp.get(http) != null) {
                cp.remove(http);
            }
        }
        long idle = dispatcher.options().webSockets().idleTimeout().toMillis();
        cp.addLast(new IdleStateHandler(0, 0, idle, TimeUnit.MILLISECONDS), relay.clientHandler());
        client.channel().writeAndFlush(switching); // encoded by the HTTP codec, which goes next
        cp.remove(HttpServerCodec.class); // bytes the client sent after the handshake go to the relay
        ChannelPipeline np = node.pipeline();
        np.addLast(relay.nodeHandler());
        np.remove(nodeCtx.handler());
        np.remove(HttpClientCodec.class); // bytes that came with the 101 go to the relay
        releaseSlot();
        reserved = false; // the relay holds the place now
        dispatcher.responded(answer.status().code(), System.nanoTime() - startNanos);
        dispatcher.logAccess(client, clientAddress, clientRequest, answer.status().code(), 0);
        LOG.debug("WebSocket {} open to node {}", clientRequest.uri(), worker.route());
        relay.start();
    }

    /** The node answered the handshake with something else than 101: the client gets it as it is, then the connection closes. */
    private void relayAnswer(HttpResponse answer) {
        state = State.RELAYING_ANSWER;
        cancelReplyTimer();
        answerStatus = answer.status().code();
        HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, answer.status());
        HopByHop.copyEndToEnd(answer.headers(), response.headers());
        response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        client.write(response);
    }

    private void clientGone() {
        if (state != State.OPEN && state != State.DONE) {
            end();
        }
    }

    /** The handshake is over without a WebSocket: what it held is given back, and the node connection closed. */
    private void end() {
        state = State.DONE;
        cancelReplyTimer();
        releaseSlot();
        unreserve();
        if (node != null) {
            node.close();
            node = null;
        }
    }

    /** Answers the handshake itself ({@code status} with a one-line text) and closes the client's connection. */
    private void fail(HttpResponseStatus status, String message) {
        end();
        dispatcher.responded(status.code(), System.nanoTime() - startNanos);
        ByteBuf content = client.alloc().buffer().writeBytes((message + "\n").getBytes(StandardCharsets.UTF_8));
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, content);
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
        r.headers().set(HttpHeaderNames.CONTENT_LENGTH, content.readableBytes());
        dispatcher.logAccess(client, clientAddress, clientRequest, status.code(), content.readableBytes());
        r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        if (status == HttpResponseStatus.SERVICE_UNAVAILABLE) {
            r.headers().set(HttpHeaderNames.RETRY_AFTER, "5");
        }
        LingeringClose.after(client.writeAndFlush(r));
    }

    private void unreserve() {
        if (reserved) {
            reserved = false;
            tunnels.unreserve();
        }
    }

    private void releaseSlot() {
        if (holdsSlot) {
            holdsSlot = false;
            dispatcher.clientAddresses().requestDone(clientAddress);
        }
    }

    private void cancelReplyTimer() {
        if (replyTimer != null) {
            replyTimer.cancel(false);
            replyTimer = null;
        }
    }

    /** The node connection's end of the handshake: its answer, or its failure. */
    private final class NodeSide extends ChannelInboundHandlerAdapter {
        private final Worker target;

        NodeSide(Worker target) {
            this.target = target;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (state == State.HANDSHAKE && msg instanceof HttpResponse answer) {
                if (answer.status().code() == HttpResponseStatus.SWITCHING_PROTOCOLS.code()) {
                    open(answer, ctx);
                } else {
                    relayAnswer(answer);
                }
                ReferenceCountUtil.release(msg);
            } else if (state == State.RELAYING_ANSWER && msg instanceof HttpContent content) {
                if (content instanceof LastHttpContent) {
                    end();
                    dispatcher.responded(answerStatus, System.nanoTime() - startNanos);
                    dispatcher.logAccess(client, clientAddress, clientRequest, answerStatus, 0);
                    client.writeAndFlush(content).addListener(ChannelFutureListener.CLOSE);
                } else {
                    client.write(content);
                }
            } else {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            if (state == State.RELAYING_ANSWER) {
                client.flush();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (state == State.HANDSHAKE && ctx.channel() == node) {
                nodeFailed(target, "closed the connection before answering");
            } else if (state == State.RELAYING_ANSWER) {
                end();
                client.close(); // the answer is cut short: the client must not take it for whole
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            LOG.debug("WebSocket handshake with node {}: {}", target.route(), cause.toString());
            ctx.close();
        }
    }
}
