package io.herdcat.dispatcher;

import io.herdcat.dispatcher.ajp.AjpDecoder;
import io.herdcat.dispatcher.ajp.AjpEncoder;
import io.herdcat.dispatcher.balance.Balancer;
import io.herdcat.dispatcher.balance.WorkerSpec;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP front of the cluster: accepts clients on one port and forwards each request over AJP to a
 * node chosen by the {@link Balancer}, with pooled connections per node and CPing health checks that
 * bring failed nodes back.
 */
public final class Dispatcher implements AutoCloseable {
    private final InetSocketAddress bind;
    private final Balancer balancer;
    private final String secret;
    private final Options options;
    private final EventLoopGroup group = NettyTransport.group(0);
    private final HealthChecker health;
    private volatile Map<String, AjpPool> pools = Map.of();
    private Bootstrap backendBootstrap;
    private Channel server;

    /**
     * What the front accepts and how long it waits.
     *
     * @param packetSize    AJP packet size, as on the nodes' connectors
     * @param maxBody       the largest request body accepted (buffered so a failed node's request can be retried)
     * @param replyTimeout  how long to wait for a node's response headers before answering 504
     * @param headerTimeout how long a client may take to send a request head
     * @param idleTimeout   how long a keep-alive client connection may stay silent between requests
     */
    public record Options(int packetSize, int maxBody, Duration replyTimeout, Duration headerTimeout,
                          Duration idleTimeout) {
    }

    /** @param secret the AJP secret of the nodes */
    public Dispatcher(InetSocketAddress bind, Balancer balancer, String secret, Options options) {
        this.bind = bind;
        this.balancer = balancer;
        this.secret = secret;
        this.options = options;
        this.health = new HealthChecker(group, 1000);
    }

    public void start() throws InterruptedException {
        backendBootstrap = new Bootstrap().group(group).channel(NettyTransport.clientChannel())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 2000)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new AjpDecoder(AjpEncoder.MAX_PACKET_SIZE), new BackendHandler());
                    }
                });
        ServerBootstrap front = new ServerBootstrap().group(group).channel(NettyTransport.serverChannel())
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.AUTO_READ, false)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        SlowClientGuard guard = new SlowClientGuard(options.headerTimeout(), options.idleTimeout());
                        ch.pipeline().addLast(guard, new HttpServerCodec(), guard.headWatcher(),
                                new HttpServerKeepAliveHandler(), new HttpObjectAggregator(options.maxBody()),
                                new FrontHandler(Dispatcher.this));
                    }
                });
        server = front.bind(bind).sync().channel();
        health.start();
    }

    public int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    /** Replaces the set of nodes (from the cluster's records, or a static list). */
    public synchronized void update(Collection<WorkerSpec> specs) {
        balancer.update(specs);
        Map<String, AjpPool> next = new HashMap<>();
        for (WorkerSpec spec : specs) {
            AjpPool old = pools.get(spec.route());
            if (old != null && old.spec().host().equals(spec.host()) && old.spec().port() == spec.port()) {
                next.put(spec.route(), old);
            } else {
                if (old != null) {
                    old.close();
                }
                next.put(spec.route(), new AjpPool(backendBootstrap, spec, 64));
            }
        }
        pools.forEach((route, pool) -> {
            if (!next.containsKey(route)) {
                pool.close();
            }
        });
        pools = Map.copyOf(next);
    }

    Balancer balancer() {
        return balancer;
    }

    AjpPool pool(String route) {
        return pools.get(route);
    }

    HealthChecker health() {
        return health;
    }

    String secret() {
        return secret;
    }

    int packetSize() {
        return options.packetSize();
    }

    Duration replyTimeout() {
        return options.replyTimeout();
    }

    @Override
    public void close() {
        if (server != null) {
            server.close().syncUninterruptibly();
        }
        pools.values().forEach(AjpPool::close);
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
