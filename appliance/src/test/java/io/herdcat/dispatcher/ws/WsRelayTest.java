package io.herdcat.dispatcher.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.concurrent.DefaultEventExecutorGroup;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The byte relay of one WebSocket between two in-memory channels: back-pressure, and when the front speaks. */
class WsRelayTest {
    private static final Object DRAIN = new Object();
    private final DefaultEventExecutorGroup timers = new DefaultEventExecutorGroup(1);
    private WsTunnels tunnels;
    private EmbeddedChannel client;
    private EmbeddedChannel node;

    @BeforeEach
    void relay() {
        tunnels = new WsTunnels(0, timers);
        client = new EmbeddedChannel();
        node = new EmbeddedChannel();
        WsRelay relay = new WsRelay(client, node, "a", tunnels, DRAIN);
        client.pipeline().addLast(relay.clientHandler());
        node.pipeline().addLast(relay.nodeHandler());
        assertTrue(tunnels.tryReserve());
        relay.start();
    }

    @AfterEach
    void close() {
        client.finishAndReleaseAll();
        node.finishAndReleaseAll();
        timers.shutdownGracefully();
    }

    /** An unmasked text frame from the node. */
    private static ByteBuf text(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return Unpooled.buffer().writeByte(0x81).writeByte(b.length).writeBytes(b);
    }

    private static String hex(ByteBuf b) {
        try {
            return ByteBufUtil.hexDump(b);
        } finally {
            b.release();
        }
    }

    /** Everything written to {@code ch} so far, as one hex string. */
    private static String written(EmbeddedChannel ch) {
        StringBuilder all = new StringBuilder();
        for (ByteBuf b; (b = ch.readOutbound()) != null; ) {
            all.append(hex(b));
        }
        return all.toString();
    }

    private static String closeFrame(int code) {
        return hex(Unpooled.buffer().writeByte(0x88).writeByte(2).writeShort(code));
    }

    @Test
    void bytesPassThroughUnchangedBothWays() {
        node.writeInbound(text("hello"));
        assertEquals(hex(text("hello")), written(client));
        ByteBuf masked = Unpooled.buffer().writeByte(0x81).writeByte(0x82).writeInt(0x01020304).writeShort(0x6a6d);
        String expected = ByteBufUtil.hexDump(masked);
        client.writeInbound(masked);
        assertEquals(expected, written(node), "a client's masked frame reaches the node as it was sent");
    }

    @Test
    void aSideIsNotReadWhileItsPeerCannotTakeMore() {
        client.config().setWriteBufferWaterMark(new WriteBufferWaterMark(8, 16));
        node.pipeline().fireChannelRead(text("more than sixteen bytes")); // no read-complete yet: no flush
        assertFalse(client.isWritable());
        assertFalse(node.config().isAutoRead(), "the node is not read while the client is full");
        client.flush();
        assertTrue(node.config().isAutoRead(), "read again once the client took it");
        written(client);
    }

    @Test
    void theNodeGoingAwayBetweenFramesGetsTheClient1012() {
        node.writeInbound(text("hi"));
        written(client);
        node.close();
        String close = written(client);
        assertTrue(close.startsWith("88") && close.startsWith("03f4", 4), "a Close with 1012: " + close);
        assertTrue(client.isActive(), "the client may answer the Close");
        client.writeInbound(Unpooled.buffer().writeByte(0x88).writeByte(0x82).writeInt(0).writeShort(1012));
        assertFalse(client.isActive(), "closed once the client answered");
        assertEquals(1, tunnels.closes().get("node_lost"));
        assertEquals(0, tunnels.open());
    }

    @Test
    void theNodeGoingAwayInTheMiddleOfAFrameClosesTheClientsConnection() {
        node.writeInbound(Unpooled.buffer().writeByte(0x81).writeByte(10).writeBytes(new byte[4]));
        written(client);
        node.close();
        assertEquals("", written(client), "no Close can go in the middle of a frame");
        assertFalse(client.isActive());
    }

    @Test
    void aCloseFromTheNodeIsRelayedAndNo1012Follows() {
        ByteBuf nodeClose = Unpooled.buffer().writeByte(0x88).writeByte(2).writeShort(1001);
        node.writeInbound(nodeClose);
        assertEquals(closeFrame(1001), written(client));
        node.close();
        assertEquals("", written(client), "nothing after the node's own Close");
        client.close();
        assertEquals(1, tunnels.closes().get("node"));
    }

    @Test
    void anIdleWebSocketGets1001BothWays() {
        client.pipeline().fireUserEventTriggered(IdleStateEvent.ALL_IDLE_STATE_EVENT);
        client.runPendingTasks();
        assertEquals("880603e9" + hex(Unpooled.copiedBuffer("idle", StandardCharsets.UTF_8)), written(client),
                "unmasked to the client");
        ByteBuf toNode = node.readOutbound();
        try {
            assertEquals(0x88, toNode.getUnsignedByte(0));
            assertEquals(0x80 | 6, toNode.getUnsignedByte(1), "masked to the node");
        } finally {
            toNode.release();
        }
        client.close();
        assertEquals(1, tunnels.closes().get("idle"));
    }

    @Test
    void aCloseOwedInTheMiddleOfAFrameWaitsForItsEnd() {
        node.writeInbound(Unpooled.buffer().writeByte(0x81).writeByte(6).writeBytes("abc".getBytes(StandardCharsets.UTF_8)));
        written(client);
        client.pipeline().fireUserEventTriggered(DRAIN);
        client.runPendingTasks();
        assertEquals("", written(client), "not in the middle of the node's frame");
        node.writeInbound(Unpooled.buffer().writeBytes("def".getBytes(StandardCharsets.UTF_8)).writeBytes(text("dropped")));
        String out = written(client);
        assertTrue(out.startsWith(hex(Unpooled.copiedBuffer("def", StandardCharsets.UTF_8)) + "88"), out);
        assertFalse(out.contains(hex(Unpooled.copiedBuffer("dropped", StandardCharsets.UTF_8))),
                "nothing after the front's Close: " + out);
    }
}
