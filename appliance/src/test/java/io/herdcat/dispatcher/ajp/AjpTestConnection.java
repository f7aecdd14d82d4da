package io.herdcat.dispatcher.ajp;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** One AJP connection driven step by step from a test, with the production encoder and decoder. */
final class AjpTestConnection implements AutoCloseable {
    private static final Object CLOSED = new Object();

    record Exchange(int status, List<Map.Entry<String, String>> headers, byte[] body, boolean reuse) {
        String header(String name) {
            return headers.stream().filter(h -> h.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue)
                    .findFirst().orElse(null);
        }

        String text() {
            return new String(body, java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final BlockingQueue<Object> parts = new LinkedBlockingQueue<>();
    private final Channel channel;
    private final int packetSize;

    AjpTestConnection(int port, int packetSize) throws InterruptedException {
        this.packetSize = packetSize;
        Bootstrap b = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new AjpDecoder(AjpEncoder.MAX_PACKET_SIZE),
                                new SimpleChannelInboundHandler<AjpResponsePart>() {
                                    @Override
                                    protected void channelRead0(ChannelHandlerContext ctx, AjpResponsePart part) {
                                        if (part instanceof AjpResponsePart.BodyChunk chunk) {
                                            byte[] bytes = new byte[chunk.content().readableBytes()];
                                            chunk.content().readBytes(bytes);
                                            parts.add(bytes);
                                        } else {
                                            parts.add(part);
                                        }
                                    }

                                    @Override
                                    public void channelInactive(ChannelHandlerContext ctx) {
                                        parts.add(CLOSED);
                                    }
                                });
                    }
                });
        channel = b.connect("127.0.0.1", port).sync().channel();
    }

    /** Sends the request and its body (in chunks as Tomcat asks for them) and collects the whole response. */
    Exchange exchange(AjpRequestHead head, byte[] body, boolean chunked) throws InterruptedException {
        ByteBufAllocator alloc = channel.alloc();
        channel.writeAndFlush(AjpEncoder.forwardRequest(alloc, head, packetSize));
        int sent = 0;
        boolean ended = false;
        if (body.length > 0) {
            sent = sendChunk(body, 0);
        }
        int status = -1;
        List<Map.Entry<String, String>> headers = List.of();
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        while (true) {
            Object part = parts.poll(30, TimeUnit.SECONDS);
            if (part == null || part == CLOSED) {
                throw new IllegalStateException("connection closed or silent before END_RESPONSE");
            }
            if (part instanceof byte[] bytes) {
                received.writeBytes(bytes);
            } else if (part instanceof AjpResponsePart.Headers h) {
                status = h.status();
                headers = h.headers();
            } else if (part instanceof AjpResponsePart.GetBodyChunk) {
                if (sent < body.length) {
                    sent += sendChunk(body, sent);
                } else if (!ended) {
                    channel.writeAndFlush(AjpEncoder.bodyChunkHeader(alloc, 0));
                    ended = true;
                }
            } else if (part instanceof AjpResponsePart.End end) {
                return new Exchange(status, headers, received.toByteArray(), end.reuse());
            }
        }
    }

    private int sendChunk(byte[] body, int from) {
        int length = Math.min(AjpEncoder.maxChunk(packetSize), body.length - from);
        channel.write(AjpEncoder.bodyChunkHeader(channel.alloc(), length));
        channel.writeAndFlush(Unpooled.wrappedBuffer(body, from, length));
        return length;
    }

    boolean cping() throws InterruptedException {
        ByteBuf ping = AjpEncoder.cping(channel.alloc());
        channel.writeAndFlush(ping);
        return parts.poll(10, TimeUnit.SECONDS) instanceof AjpResponsePart.CPong;
    }

    /** True when the node closed the connection within the time. */
    boolean closedWithin(long seconds) throws InterruptedException {
        Object part;
        while ((part = parts.poll(seconds, TimeUnit.SECONDS)) != null) {
            if (part == CLOSED) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
