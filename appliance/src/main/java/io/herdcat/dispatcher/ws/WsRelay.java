package io.herdcat.dispatcher.ws;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * One WebSocket through the front after its handshake: the bytes of each side go to the other as they
 * are (client frames stay masked, node frames unmasked, no frame is buffered whole), with
 * back-pressure both ways: a side whose peer cannot take more is not read until it can (Netty's
 * proxy pattern, bounded by the channels' write watermarks). Both channels run on one event loop.
 *
 * <p>The front speaks only at frame boundaries ({@link WsFrameCursor}), with a Close frame:
 * <ul>
 * <li>the node's connection ends without a Close from it: 1012 to the client, which reconnects (a
 *     death in the middle of a frame can only close the client's connection);</li>
 * <li>{@link #closeFromFront}: 1001 to the client (stopped node, front drain), or to both sides when
 *     the WebSocket was idle for the idle timeout (an {@link IdleStateEvent} on the client side);</li>
 * <li>{@link #nodeLost}: the node left the cluster: its connection is dropped, then as above.</li>
 * </ul>
 * A Close that either side sends is relayed as it is. After a Close from the front the sides get at
 * most {@link #CLOSE_WAIT_MILLIS} to finish the closing handshake, then both connections are closed.
 */
public final class WsRelay {
    static final long CLOSE_WAIT_MILLIS = 1000;

    private final Side client;
    private final Side node;
    private final String route;
    private final WsTunnels tunnels;
    private final Object drainEvent;
    private WsTunnels.Reason reason;
    private boolean started;
    private ScheduledFuture<?> closeTimer;

    /**
     * @param drainEvent the user event that means the front drains (1001 at once)
     */
    public WsRelay(Channel clientChannel, Channel nodeChannel, String route, WsTunnels tunnels, Object drainEvent) {
        this.route = route;
        this.tunnels = tunnels;
        this.drainEvent = drainEvent;
        this.client = new Side(clientChannel, true);
        this.node = new Side(nodeChannel, false);
        client.peer = node;
        node.peer = client;
    }

    /** The handler for the end of the client's pipeline. */
    public ChannelHandler clientHandler() {
        return client;
    }

    /** The handler for the end of the node connection's pipeline. */
    public ChannelHandler nodeHandler() {
        return node;
    }

    public String route() {
        return route;
    }

    /**
     * Both pipelines carry only bytes now: relays what arrived meanwhile, counts the WebSocket as open
     * (its place was reserved with {@link WsTunnels#tryReserve()}) and reads both sides.
     */
    public void start() {
        started = true;
        tunnels.opened(this);
        // close futures notify on the channels' (shared) event loop
        client.channel.closeFuture().addListener(f -> clientClosed());
        node.channel.closeFuture().addListener(f -> nodeClosed());
        for (Side s : new Side[] {node, client}) {
            while (!s.early.isEmpty()) {
                s.relay(s.early.poll());
            }
            s.peer.channel.flush();
        }
        client.channel.config().setAutoRead(true);
        node.channel.config().setAutoRead(true);
    }

    /** The front closes this WebSocket: {@code code} to the client (and to the node when idle). Any thread. */
    public void closeFromFront(int code, String text, WsTunnels.Reason why) {
        client.channel.eventLoop().execute(() -> {
            if (!client.channel.isActive() || client.closeSentHere()) {
                return;
            }
            setReason(why);
            client.sendClose(code, text);
            if (why == WsTunnels.Reason.IDLE) {
                node.sendClose(code, text);
            }
            armCloseTimer();
        });
    }

    /** The node left the cluster: its connection is dropped and the client gets 1012. Any thread. */
    public void nodeLost() {
        node.channel.eventLoop().execute(() -> {
            setReason(WsTunnels.Reason.NODE_LOST);
            node.channel.close();
        });
    }

    private void setReason(WsTunnels.Reason r) {
        if (reason == null) {
            reason = r;
        }
    }

    private void armCloseTimer() {
        if (closeTimer == null) {
            closeTimer = client.channel.eventLoop().schedule(() -> {
                closeAfterFlush(client.channel);
                closeAfterFlush(node.channel);
            }, CLOSE_WAIT_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    private void nodeClosed() {
        if (!client.channel.isActive()) {
            return;
        }
        if (!client.closeSentHere()) {
            // the node went without a Close: the client should come back, to another node
            setReason(WsTunnels.Reason.NODE_LOST);
            if (node.cursor.atBoundary()) {
                client.sendClose(WsCloseFrame.SERVICE_RESTART, "node went away");
            } else {
                closeAfterFlush(client.channel); // in the middle of a frame: nothing more can be said
                return;
            }
        }
        if (client.cursor.sawClose()) {
            closeAfterFlush(client.channel); // the closing handshake is complete
        } else {
            armCloseTimer();
        }
    }

    private void clientClosed() {
        setReason(WsTunnels.Reason.CLIENT);
        if (closeTimer != null) {
            closeTimer.cancel(false);
        }
        client.releaseEarly();
        node.releaseEarly();
        closeAfterFlush(node.channel);
        if (started) {
            tunnels.closed(this, reason);
        }
    }

    private static void closeAfterFlush(Channel ch) {
        if (ch.isActive()) {
            ch.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        } else {
            ch.close();
        }
    }

    /** One side of the tunnel: reads its channel, writes to the other side's. */
    private final class Side extends ChannelInboundHandlerAdapter {
        final Channel channel;
        final boolean isClient;
        /** The frames read on this side (and written to the peer). */
        final WsFrameCursor cursor = new WsFrameCursor();
        final ArrayDeque<ByteBuf> early = new ArrayDeque<>();
        Side peer;
        /** A Close of the front's own that is owed to the peer at the next frame boundary of this side. */
        ByteBuf owedClose;
        /** The front sent a Close to the peer: this side's later frames are dropped. */
        boolean dropping;
        boolean closeSentToThis;

        Side(Channel channel, boolean isClient) {
            this.channel = channel;
            this.isClient = isClient;
        }

        /** A Close reached this side's endpoint: from the front, or relayed from the peer. */
        boolean closeSentHere() {
            return closeSentToThis || peer.cursor.sawClose();
        }

        /** Sends a Close of the front's own to this side, at the next boundary of the frames the peer sends it. */
        void sendClose(int code, String text) {
            if (closeSentToThis) {
                return;
            }
            closeSentToThis = true;
            ByteBuf frame = WsCloseFrame.encode(channel.alloc(), code, text, !isClient);
            if (peer.cursor.atBoundary()) {
                peer.dropping = true;
                channel.writeAndFlush(frame);
            } else {
                peer.owedClose = frame;
            }
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (!(msg instanceof ByteBuf buf)) {
                ReferenceCountUtil.release(msg); // the decoder's end of the handshake response
                return;
            }
            if (!started) {
                early.add(buf);
                return;
            }
            relay(buf);
        }

        void relay(ByteBuf buf) {
            boolean closeBefore = cursor.sawClose();
            if (dropping || !peer.channel.isActive()) {
                cursor.advance(buf); // followed still, to see this side's Close
                buf.release();
            } else if (owedClose == null) {
                cursor.advance(buf);
                peer.channel.write(buf);
            } else {
                int upToBoundary = cursor.advanceToBoundary(buf);
                if (cursor.atBoundary()) {
                    if (upToBoundary > 0) {
                        peer.channel.write(buf.retainedSlice(buf.readerIndex(), upToBoundary));
                    }
                    peer.channel.writeAndFlush(owedClose);
                    owedClose = null;
                    dropping = true;
                    buf.skipBytes(upToBoundary);
                    cursor.advance(buf);
                    buf.release();
                } else {
                    peer.channel.write(buf);
                }
            }
            if (!closeBefore && cursor.sawClose()) {
                setReason(isClient ? WsTunnels.Reason.CLIENT : WsTunnels.Reason.NODE);
                if (isClient && !node.channel.isActive()) {
                    closeAfterFlush(client.channel);
                }
            }
            if (!peer.channel.isWritable()) {
                channel.config().setAutoRead(false); // read on once the peer has taken what it was given
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            peer.channel.flush();
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (channel.isWritable() && started) {
                peer.channel.config().setAutoRead(true);
            }
            ctx.fireChannelWritabilityChanged();
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (isClient && evt instanceof IdleStateEvent) {
                closeFromFront(WsCloseFrame.GOING_AWAY, "idle", WsTunnels.Reason.IDLE);
            } else if (isClient && evt == drainEvent) {
                closeFromFront(WsCloseFrame.GOING_AWAY, "front is moving", WsTunnels.Reason.FRONT);
            } else {
                ctx.fireUserEventTriggered(evt);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }

        void releaseEarly() {
            early.forEach(ByteBuf::release);
            early.clear();
            if (owedClose != null) {
                owedClose.release();
                owedClose = null;
            }
        }
    }
}
