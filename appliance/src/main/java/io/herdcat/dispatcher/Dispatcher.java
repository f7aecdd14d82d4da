package io.herdcat.dispatcher;

import io.herdcat.dispatcher.ajp.AjpDecoder;
import io.herdcat.dispatcher.ajp.AjpEncoder;
import io.herdcat.dispatcher.balance.Balancer;
import io.herdcat.dispatcher.balance.WorkerSpec;
import io.herdcat.dispatcher.ws.WsTunnels;
import io.herdcat.config.Activation;
import io.herdcat.dispatcher.h2.H2Counters;
import io.herdcat.config.NodeConfig;
import io.herdcat.privilege.ListenSockets;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelException;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.NetUtil;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.netty.handler.ssl.SslContext;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import io.herdcat.dispatcher.balance.Worker;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP front of the cluster: accepts clients on one port (HTTP/1.1, and HTTP/2 by ALPN or prior
 * knowledge; see {@link FrontPipeline}) and forwards each request over AJP to a node chosen by the {@link Balancer}, with pooled connections per node and CPing health checks that
 * bring failed nodes back. Its listener shares the port with a successor's ({@link ReusePort}); it stops
 * gracefully in three steps: {@link #stopAccepting()}, {@link #drain(long)}, {@link #close()}. A WebSocket
 * handshake goes to the node's HTTP connector instead, and the WebSocket is relayed ({@link WebSocketExchange});
 * {@link WsTunnels} closes a node's WebSockets when it leaves or is stopped.
 */
public final class Dispatcher implements AutoCloseable {
    /** How long connecting to a node, or waiting for a free connection to it, may take. */
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    /** How long a CPing on an idle node connection may wait for its CPong. */
    static final Duration PING_TIMEOUT = Duration.ofSeconds(1);
    private final InetSocketAddress bind;
    private final Balancer balancer;
    private final String secret;
    private final Options options;
    private final EventLoopGroup group;
    private final HealthChecker health;
    private volatile Map<String, AjpPool> pools = Map.of();
    private final java.util.concurrent.atomic.LongAdder failovers = new java.util.concurrent.atomic.LongAdder();
    private final java.util.concurrent.atomic.LongAdder slowBodies = new java.util.concurrent.atomic.LongAdder();
    private final java.util.concurrent.atomic.LongAdder sendTimeouts = new java.util.concurrent.atomic.LongAdder();
    private final ClientAddresses clientAddresses;
    private final WsTunnels tunnels;
    private final H2Counters http2 = new H2Counters();
    private volatile FrontResponseListener responses = (status, nanos) -> { };
    private volatile FrontAccessLog accessLog = FrontAccessLog.OFF;
    private final ChannelGroup clients = new DefaultChannelGroup("front-clients", GlobalEventExecutor.INSTANCE);
    private final ListenSockets listenSockets;
    private Bootstrap backendBootstrap;
    private Channel server;

    /**
     * What the front accepts, how long it waits and how it keeps node connections.
     *
     * @param packetSize      AJP packet size, as on the nodes' connectors (8 KiB to 64 KiB)
     * @param maxBody         the largest request body accepted (413 beyond)
     * @param retryBody       request bodies up to this size are held until the node answers, so the request can
     *                        go to another node if its node fails; larger ones stream through
     * @param replyTimeout    how long a node may stay silent before its response headers (504), and a client
     *                        before the body it announced (408)
     * @param headerTimeout   how long a client may take to send a request head
     * @param idleTimeout     how long a keep-alive client connection may stay silent between requests
     * @param poolSize        the most connections open to one node
     * @param poolIdleTimeout a node connection unused this long is closed
     * @param pingAfterIdle   a node connection unused this long is checked with a CPing before it is used
     * @param tls             the front's TLS context, or null for plain HTTP
     * @param clients         what one client may hold: body and send timeouts, per-address caps, trusted proxies
     * @param webSockets      how many WebSockets may be open through the front, and how long one may stay silent
     * @param stopGrace       how long the WebSockets of a node that is stopped stay open ({@code shutdown.timeout})
     * @param http2           HTTP/2: h2 by ALPN, h2c, and per-connection stream, header and reset limits
     * @param ioUring         the sockets through io_uring where the kernel offers it ({@link NettyTransport})
     */
    public record Options(int packetSize, long maxBody, int retryBody, Duration replyTimeout, Duration headerTimeout,
                          Duration idleTimeout, int poolSize, Duration poolIdleTimeout, Duration pingAfterIdle,
                          SslContext tls, NodeConfig.ClientLimits clients, NodeConfig.WebSocketLimits webSockets,
                          Duration stopGrace, NodeConfig.Http2Limits http2, boolean ioUring) {
        /** The defaults of the settings, plain HTTP. */
        public static Options defaults() {
            return new Options(AjpEncoder.DEFAULT_PACKET_SIZE, 1L << 30, 64 * 1024, Duration.ofSeconds(60),
                    Duration.ofSeconds(10), Duration.ofSeconds(60), 512, Duration.ofSeconds(60),
                    Duration.ofSeconds(5), null, NodeConfig.ClientLimits.defaults(), NodeConfig.WebSocketLimits.defaults(),
                    Duration.ofSeconds(30), NodeConfig.Http2Limits.defaults(), true);
        }

        public Options withWebSockets(NodeConfig.WebSocketLimits limits, Duration grace) {
            return new Options(packetSize, maxBody, retryBody, replyTimeout, headerTimeout, idleTimeout, poolSize,
                    poolIdleTimeout, pingAfterIdle, tls, clients, limits, grace, http2, ioUring);
        }

        public Options withTimeouts(Duration reply, Duration header, Duration idle) {
            return new Options(packetSize, maxBody, retryBody, reply, header, idle, poolSize, poolIdleTimeout,
                    pingAfterIdle, tls, clients, webSockets, stopGrace, http2, ioUring);
        }

        public Options withBodyLimits(long max, int retry) {
            return new Options(packetSize, max, retry, replyTimeout, headerTimeout, idleTimeout, poolSize,
                    poolIdleTimeout, pingAfterIdle, tls, clients, webSockets, stopGrace, http2, ioUring);
        }

        public Options withPool(int size, Duration idle, Duration pingAfter) {
            return new Options(packetSize, maxBody, retryBody, replyTimeout, headerTimeout, idleTimeout, size, idle,
                    pingAfter, tls, clients, webSockets, stopGrace, http2, ioUring);
        }

        public Options withTls(SslContext context) {
            return new Options(packetSize, maxBody, retryBody, replyTimeout, headerTimeout, idleTimeout, poolSize,
                    poolIdleTimeout, pingAfterIdle, context, clients, webSockets, stopGrace, http2, ioUring);
        }

        public Options withClients(NodeConfig.ClientLimits limits) {
            return new Options(packetSize, maxBody, retryBody, replyTimeout, headerTimeout, idleTimeout, poolSize,
                    poolIdleTimeout, pingAfterIdle, tls, limits, webSockets, stopGrace, http2, ioUring);
        }

        public Options withHttp2(NodeConfig.Http2Limits limits) {
            return new Options(packetSize, maxBody, retryBody, replyTimeout, headerTimeout, idleTimeout, poolSize,
                    poolIdleTimeout, pingAfterIdle, tls, clients, webSockets, stopGrace, limits, ioUring);
        }

        public Options withIoUring(boolean use) {
            return new Options(packetSize, maxBody, retryBody, replyTimeout, headerTimeout, idleTimeout, poolSize,
                    poolIdleTimeout, pingAfterIdle, tls, clients, webSockets, stopGrace, http2, use);
        }

        public Options withPacketSize(int size) {
            return new Options(size, maxBody, retryBody, replyTimeout, headerTimeout, idleTimeout, poolSize,
                    poolIdleTimeout, pingAfterIdle, tls, clients, webSockets, stopGrace, http2, ioUring);
        }
    }

    /** @param secret the AJP secret of the nodes */
    public Dispatcher(InetSocketAddress bind, Balancer balancer, String secret, Options options) {
        this(bind, balancer, secret, options, null);
    }

    /**
     * @param secret        the AJP secret of the nodes
     * @param listenSockets opens the listening socket (on the node's privileged thread, so port 80 works
     *                      after root is dropped); null: this thread binds it
     */
    public Dispatcher(InetSocketAddress bind, Balancer balancer, String secret, Options options,
                      ListenSockets listenSockets) {
        this.listenSockets = listenSockets;
        this.bind = bind;
        this.balancer = balancer;
        this.secret = secret;
        this.options = options;
        this.group = NettyTransport.group(NettyTransport.threads(), options.ioUring());
        this.health = new HealthChecker(group, 1000, balancer::workers);
        this.clientAddresses = new ClientAddresses(options.clients().maxConnections(), options.clients().maxRequests());
        this.tunnels = new WsTunnels(options.webSockets().max(), group);
    }

    public void start() throws InterruptedException {
        backendBootstrap = new Bootstrap().group(group).channel(NettyTransport.clientChannel(group))
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) CONNECT_TIMEOUT.toMillis())
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new AjpDecoder(AjpEncoder.MAX_PACKET_SIZE), new BackendHandler());
                    }
                });
        ServerBootstrap front = new ServerBootstrap().group(group)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new FrontPipeline(this, sendTimeouts, clients, http2));
        server = listen(front);
        ReusePort.steerToNewest(server);
        health.start();
    }

    /**
     * The listening channel: a socket the privileged thread opened, wrapped in a channel of the front's
     * io_uring or epoll loops, or without one (or with NIO loops) one this thread binds.
     */
    private Channel listen(ServerBootstrap front) throws InterruptedException {
        if (listenSockets == null || !NettyTransport.isNative(group)) {
            front.channel(NettyTransport.serverChannel(group));
            ReusePort.allowSharing(front);
            return front.bind(bind).sync().channel();
        }
        int fd;
        try {
            fd = listenSockets.open(bind, NetUtil.SOMAXCONN);
        } catch (IOException e) {
            throw new ChannelException(e);
        }
        ServerSocketChannel opened = NettyTransport.adopt(fd, group);
        ChannelFuture registered = front.channelFactory(() -> opened).register().sync();
        return registered.channel();
    }

    /** How the front's sockets are driven: io_uring, epoll or nio. */
    public String transport() {
        return NettyTransport.name(group);
    }

    /** Closes the listening socket: connections already accepted are still served. */
    public void stopAccepting() {
        if (server != null) {
            server.close().syncUninterruptibly();
        }
    }

    /**
     * Ends every client connection gracefully (idle ones now, busy ones after their response) and waits
     * until all are closed or {@code deadlineNanos} ({@link System#nanoTime()}) has passed.
     *
     * @return the number of connections still open at the deadline
     */
    public int drain(long deadlineNanos) throws InterruptedException {
        for (Channel ch : clients) {
            ch.eventLoop().execute(() -> ch.pipeline().fireUserEventTriggered(ConnectionDrain.DRAIN));
        }
        long left = deadlineNanos - System.nanoTime();
        if (left > 0) {
            clients.newCloseFuture().await(left, TimeUnit.NANOSECONDS);
        }
        return clients.size();
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
                next.put(spec.route(), new AjpPool(backendBootstrap, spec, new AjpPool.Limits(options.poolSize(),
                        options.poolIdleTimeout(), options.pingAfterIdle(), PING_TIMEOUT, CONNECT_TIMEOUT),
                        NettyTransport.threads()));
            }
        }
        pools.forEach((route, pool) -> {
            if (!next.containsKey(route)) {
                pool.close();
                tunnels.nodeGone(route);
            }
        });
        pools = Map.copyOf(next);
        for (WorkerSpec spec : specs) {
            if (spec.activation() == Activation.STOPPED) {
                tunnels.scheduleClose(spec.route(), options.stopGrace());
            } else {
                tunnels.cancelScheduled(spec.route());
            }
        }
    }

    /** The front's state now: listening port, failovers, and every node's settings, health and counters. */
    public DispatcherSnapshot snapshot() {
        List<DispatcherSnapshot.NodeStats> nodes = new ArrayList<>();
        for (Worker w : balancer.workers()) {
            WorkerSpec spec = w.spec();
            AjpPool pool = pools.get(w.route());
            nodes.add(new DispatcherSnapshot.NodeStats(w.route(), spec.host() + ":" + spec.port(),
                    spec.activation().name().toLowerCase(Locale.ROOT), spec.weight(),
                    w.state().name().toLowerCase(Locale.ROOT), w.state() == Worker.State.ERROR ? w.errorSinceMillis() : 0,
                    w.lastError(), w.lastErrorAtMillis(), w.inFlight(), w.requests(), w.errors(), w.bytesIn(),
                    w.bytesOut(), pool == null ? 0 : pool.openConnections(), pool == null ? 0 : pool.idleConnections(),
                    tunnels.open(w.route())));
        }
        nodes.sort(java.util.Comparator.comparing(DispatcherSnapshot.NodeStats::route));
        return new DispatcherSnapshot(options.tls() == null ? "http" : "https", port(), failovers.sum(),
                new DispatcherSnapshot.ClientCuts(slowBodies(), sendTimeouts(), refusedConnections()), nodes,
                new DispatcherSnapshot.WebSockets(tunnels.open(), tunnels.max(), tunnels.refused(), tunnels.closes()),
                new DispatcherSnapshot.Http2(http2.connections(), http2.streams(), http2.goAways()));
    }

    /** Zeroes the counters of every node and the failover count. */
    public void resetCounters() {
        balancer.workers().forEach(Worker::resetCounters);
        failovers.reset();
    }

    /** Told of every response the front completes from now on. */
    public void onResponse(FrontResponseListener listener) {
        this.responses = listener;
    }

    void responded(int status, long nanos) {
        responses.responded(status, nanos);
    }

    /** Writes the front's access log from now on ({@link FrontAccessLog#OFF}: none). */
    public void accessLog(FrontAccessLog log) {
        this.accessLog = log;
    }

    /** One answered request to the access log, when there is one; {@code bytes}: response body bytes sent. */
    void logAccess(ChannelHandlerContext client, java.net.InetAddress address, HttpRequest request, int status,
                   long bytes) {
        FrontAccessLog log = accessLog;
        if (log.enabled()) {
            log.log(address, request, client.channel() instanceof io.netty.handler.codec.http2.Http2StreamChannel,
                    status, bytes);
        }
    }

    void countFailover() {
        failovers.increment();
    }

    void countSlowBody() {
        slowBodies.increment();
    }

    /** Requests cut (408, or closed) because their body did not arrive at front.body.min.rate, since start. */
    public long slowBodies() {
        return slowBodies.sum();
    }

    /** Client connections closed because they took none of their response for front.send.timeout, since start. */
    public long sendTimeouts() {
        return sendTimeouts.sum();
    }

    /** Connections refused because their address held front.client.max.connections, since start. */
    public long refusedConnections() {
        return clientAddresses.refusedConnections();
    }

    WsTunnels tunnels() {
        return tunnels;
    }

    ClientAddresses clientAddresses() {
        return clientAddresses;
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

    Options options() {
        return options;
    }

    /** Closes at once: the listener, every client connection still open and every node connection. */
    @Override
    public void close() {
        stopAccepting();
        clients.close().awaitUninterruptibly();
        pools.values().forEach(AjpPool::close);
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
