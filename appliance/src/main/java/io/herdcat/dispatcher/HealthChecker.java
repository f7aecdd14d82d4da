package io.herdcat.dispatcher;

import io.herdcat.dispatcher.ajp.AjpDecoder;
import io.herdcat.dispatcher.ajp.AjpEncoder;
import io.herdcat.dispatcher.ajp.AjpResponsePart;
import io.herdcat.dispatcher.balance.Worker;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.ReferenceCountUtil;
import java.util.Collection;
import java.util.Set;
import java.util.function.Supplier;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings failed nodes back: every {@code interval} it opens a connection to each node in error and
 * sends a CPing; a CPong puts the node back in rotation (mod_jk waits 60 s for its recovery retry).
 * A node that is no longer one of the front's nodes (it left the cluster) is no longer probed.
 */
final class HealthChecker {
    private static final Logger LOG = LoggerFactory.getLogger(HealthChecker.class);
    private final EventLoopGroup group;
    private final long intervalMillis;
    private final Set<Worker> failed = ConcurrentHashMap.newKeySet();
    private final Supplier<? extends Collection<Worker>> current;

    /** @param current the front's nodes now */
    HealthChecker(EventLoopGroup group, long intervalMillis, Supplier<? extends Collection<Worker>> current) {
        this.group = group;
        this.intervalMillis = intervalMillis;
        this.current = current;
    }

    /** The nodes being probed now. */
    int watching() {
        return failed.size();
    }

    void start() {
        group.scheduleWithFixedDelay(this::probeAll, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
    }

    /** Starts probing a node that was put in error. */
    void watch(Worker worker) {
        failed.add(worker);
    }

    private void probeAll() {
        Collection<Worker> now = current.get();
        for (Worker w : failed) {
            if (w.state() == Worker.State.OK || !now.contains(w)) {
                failed.remove(w);
            } else {
                probe(w);
            }
        }
    }

    private void probe(Worker w) {
        Bootstrap b = new Bootstrap().group(group).channel(NettyTransport.clientChannel(group))
                .option(io.netty.channel.ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) intervalMillis)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new AjpDecoder(AjpEncoder.MAX_PACKET_SIZE),
                                new SimpleChannelInboundHandler<AjpResponsePart>(false) {
                                    @Override
                                    protected void channelRead0(ChannelHandlerContext ctx, AjpResponsePart part) {
                                        if (part instanceof AjpResponsePart.CPong) {
                                            w.markOk();
                                            failed.remove(w);
                                            LOG.info("Node {} answers CPing again: back in rotation", w.route());
                                        }
                                        ReferenceCountUtil.release(part);
                                        ctx.close();
                                    }

                                    @Override
                                    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                                        ctx.close();
                                    }
                                });
                    }
                });
        b.connect(w.spec().host(), w.spec().port()).addListener(f -> {
            if (f.isSuccess()) {
                Channel ch = ((io.netty.channel.ChannelFuture) f).channel();
                ch.writeAndFlush(AjpEncoder.cping(ch.alloc()));
                ch.eventLoop().schedule(() -> ch.close(), intervalMillis, TimeUnit.MILLISECONDS);
            }
        });
    }
}
