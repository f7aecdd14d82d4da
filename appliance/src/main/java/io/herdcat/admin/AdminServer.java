package io.herdcat.admin;

import io.herdcat.cluster.ClusterNode;
import io.herdcat.config.Activation;
import io.herdcat.config.HostName;
import io.herdcat.config.NodeConfig;
import io.herdcat.node.NodeStatus;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin API of a node, on its own port (127.0.0.1 by default): {@code GET /status} and
 * {@code GET /health} (readiness: 503 until every webapp is deployed and while stopping),
 * {@code GET /health/live} (liveness), {@code GET /health/front} (200 only on the node that runs the
 * cluster's HTTP front, for an outer load balancer or keepalived to follow it), {@code /metrics}, the
 * status page, the writes, and the rolling upgrades ({@code POST /upgrade} with a WAR,
 * {@code GET /upgrade}).
 *
 * <p>Probes must answer whatever other clients do, so the port runs on one non-blocking event loop
 * that no client can hold: a connection costs no thread while it sends its request, a request must
 * arrive whole within {@link #REQUEST_TIMEOUT}, an idle keep-alive connection goes after
 * {@link #IDLE_TIMEOUT}, and at most {@link #MAX_CONNECTIONS} are open (a newcomer beyond that closes
 * the one that has waited longest). Liveness is answered on the event loop; the other routes run on
 * two worker threads. The one exception to the whole-request rule is a WAR upload, which streams to
 * disk (see {@link UpgradeUpload}): it is judged on its head, and from then on must only keep arriving.
 */
public final class AdminServer {
    private static final Logger LOG = LoggerFactory.getLogger(AdminServer.class);
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    static final Duration IDLE_TIMEOUT = Duration.ofSeconds(30);
    /** An upload's body must keep arriving: a connection that sends no byte of it for this long is closed. */
    static final Duration STALL_LIMIT = Duration.ofSeconds(10);
    static final int MAX_CONNECTIONS = 1024;
    private static final int MAX_HEAD = 8 * 1024;
    private static final int MAX_BODY = 4 * 1024;
    private static final int WORKERS = 2;
    static final String NO_UPGRADES = "this node runs no cluster upgrades";

    private final NodeConfig config;
    private final NodeConfig.Endpoint endpoint;
    private final Supplier<NodeStatus> status;
    private final ClusterNode cluster;
    private final AdminWrites writes;
    private final AllowedHosts hosts;
    private final UploadAdmission uploadAdmission;
    private final UpgradeUploads uploads;
    private volatile Supplier<Optional<io.herdcat.dispatcher.DispatcherSnapshot>> front = Optional::empty;
    private volatile Supplier<String> metrics;
    private volatile io.herdcat.vip.VipCounters frontMove;
    private volatile io.herdcat.upgrade.Upgrades upgrades;
    private volatile boolean stopping;
    private EventLoopGroup loop;
    private ThreadPoolExecutor workers;
    private Channel server;

    /**
     * @param cluster this node's cluster membership, or null for a node outside any cluster
     */
    public AdminServer(NodeConfig config, Supplier<NodeStatus> status, ClusterNode cluster) {
        this.config = config;
        this.endpoint = config.admin();
        this.status = status;
        this.cluster = cluster;
        this.writes = new AdminWrites(config.adminToken(), cluster);
        this.hosts = new AllowedHosts(HostName.get(), config.adminAllowedHosts());
        this.uploadAdmission = new UploadAdmission(hosts, writes, () -> upgrades, config.upgradeMaxWar());
        this.uploads = new UpgradeUploads(config.workDir(), () -> upgrades);
    }

    /** Where /metrics gets its Prometheus text (the node's meters); until set, /metrics is 404. */
    public void metrics(Supplier<String> prometheusText) {
        this.metrics = prometheusText;
    }

    /** Where /status finds the HTTP front's state while this node runs it. */
    public void front(Supplier<Optional<io.herdcat.dispatcher.DispatcherSnapshot>> snapshot) {
        this.front = snapshot;
    }

    /** The cluster's rolling upgrades, for {@code POST /upgrade} and {@code GET /upgrade}; until set, both answer 503. */
    public void upgrades(io.herdcat.upgrade.Upgrades upgrades) {
        this.upgrades = upgrades;
    }

    /** The failures of the commands and hooks that move the front, for /status. */
    public void frontMove(io.herdcat.vip.VipCounters counters) {
        this.frontMove = counters;
    }

    /** The node is stopping: readiness answers 503 from now on, so load balancers stop sending at once. */
    public void stopping() {
        stopping = true;
    }

    /** Binds the port and starts answering at once. */
    public void start() throws IOException {
        bind();
        serve();
    }

    /**
     * Binds the port without accepting a connection yet (clients that connect wait in the backlog until
     * {@link #serve()}), so a privileged port can be bound before the node gives up root.
     */
    public void bind() throws IOException {
        loop = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("admin-io", true), NioIoHandler.newFactory());
        workers = new ThreadPoolExecutor(WORKERS, WORKERS, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(MAX_CONNECTIONS),
                new DefaultThreadFactory("admin", true));
        AdminConnections connections = new AdminConnections(MAX_CONNECTIONS);
        ServerBootstrap bootstrap = new ServerBootstrap().group(loop).channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 128)
                .option(ChannelOption.AUTO_READ, false)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        AdminConnection connection = new AdminConnection(connections, REQUEST_TIMEOUT, IDLE_TIMEOUT);
                        ch.pipeline().addLast(connection,
                                new HttpServerCodec(4096, MAX_HEAD, MAX_BODY),
                                new UpgradeUpload(connection, uploadAdmission, uploads, config.upgradeMaxWar()),
                                new HttpServerKeepAliveHandler(),
                                new HttpObjectAggregator(MAX_BODY),
                                new AdminHandler(connection, hosts, workers, AdminServer.this::route));
                    }
                });
        try {
            server = bootstrap.bind(new InetSocketAddress(endpoint.address(), endpoint.port())).syncUninterruptibly().channel();
        } catch (Exception e) { // Netty rethrows the bind's own exception, BindException included
            stop();
            if (e instanceof IOException io) {
                throw io;
            }
            throw new IOException(e.toString(), e);
        }
    }

    /** Starts accepting on the bound port. */
    public void serve() {
        server.config().setAutoRead(true);
        server.read();
    }

    public int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    public void stop() {
        if (server != null) {
            server.close().syncUninterruptibly();
        }
        if (loop != null) {
            loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
        if (workers != null) {
            workers.shutdownNow();
        }
        uploads.stop();
    }

    /**
     * Readiness: 200 when every webapp runs; with {@code health.drain}, 503 also while this node is
     * disabled or stopped, with its activation in the body, so a load balancer in front of the nodes
     * drains it as the cluster's front does.
     */
    private AdminResponse health(NodeStatus s) {
        Map<String, Object> doc = StatusJson.health(s);
        boolean ready = s.ready();
        if (cluster != null) {
            Activation activation = cluster.self().activation();
            if (activation != Activation.ACTIVE) {
                doc.put("activation", activation.name().toLowerCase(java.util.Locale.ROOT));
            }
            if (config.observability().healthDrain() && activation != Activation.ACTIVE) {
                if (ready) {
                    doc.put("status", "DRAINING");
                }
                ready = false;
            }
        }
        return AdminResponse.json(ready ? 200 : 503, JsonWriter.write(doc));
    }

    /** Answers one whole request (on a worker thread). */
    private AdminResponse route(AdminRequest r) {
        try {
            String path = r.path();
            if ("POST".equals(r.method()) && "/restart".equals(path)) {
                return rollingRestart(r);
            }
            if ("POST".equals(r.method())) {
                return writes.handle(r).response();
            }
            if (!"GET".equals(r.method()) && !r.isHead()) {
                return AdminResponse.json(405, "{\"error\":\"method not allowed\"}").with("Allow", "GET, HEAD, POST");
            }
            if (!path.startsWith("/health") && !path.equals("/") && !writes.mayRead(r)) {
                return AdminResponse.json(401, "{\"error\":\"reads from other hosts need the admin token "
                        + "(Authorization: Bearer TOKEN)\"}").with("WWW-Authenticate", "Bearer");
            }
            NodeStatus s = status.get();
            return switch (path) {
                case "/status" -> AdminResponse.json(200, JsonWriter.write(statusDocument(s)));
                case "/health" -> stopping ? AdminResponse.json(503, "{\"status\":\"STOPPING\"}") : health(s);
                case "/health/front" -> frontHealth();
                case UpgradeUpload.PATH -> upgradeStatus();
                case "/" -> StatusPage.response();
                case "/metrics" -> {
                    Supplier<String> m = metrics;
                    yield m == null ? AdminResponse.json(404, "{\"error\":\"metrics are not ready\"}")
                            : AdminResponse.of(200, "text/plain; version=0.0.4", m.get());
                }
                default -> AdminResponse.json(404,
                        "{\"error\":\"not found\",\"endpoints\":[\"/status\",\"/health\",\"/health/live\",\"/health/front\"]}");
            };
        } catch (RuntimeException e) {
            LOG.warn("admin request {} {} failed", r.method(), r.path(), e);
            return AdminResponse.json(500, "{\"error\":\"internal error, see the node's log\"}");
        }
    }

    /**
     * 200 while this node is the elected front and its front listens; 503 (naming the elected node, or
     * why there is none) otherwise.
     */
    private AdminResponse frontHealth() {
        String elected = cluster == null ? null : cluster.view().dispatcher().orElse(null);
        Map<String, Object> doc = new java.util.LinkedHashMap<>();
        boolean here = !stopping && config.name().equals(elected) && front.get().isPresent();
        doc.put("front", here ? "here" : "elsewhere");
        doc.put("dispatcher", elected);
        if (cluster != null) {
            cluster.view().frontBlocked().ifPresent(reason -> doc.put("reason", reason));
        }
        return AdminResponse.json(here ? 200 : 503, JsonWriter.write(doc));
    }

    /**
     * {@code POST /restart[?nodes=a,b]}: a rolling restart of the cluster, or of the nodes named, token
     * required; 202 with its status.
     */
    private AdminResponse rollingRestart(AdminRequest r) {
        AdminWrites.Result refused = writes.authorize(r);
        if (refused != null) {
            AdminResponse response = AdminResponse.json(refused.status(), JsonWriter.write(refused.body()));
            return refused.challenge() ? response.with("WWW-Authenticate", "Bearer") : response;
        }
        io.herdcat.upgrade.Upgrades u = upgrades;
        if (u == null) {
            return UpgradeUploads.error(503, NO_UPGRADES);
        }
        try {
            java.util.Set<String> only = new java.util.LinkedHashSet<>();
            for (String list : r.parameter("nodes")) {
                for (String node : list.split(",")) {
                    if (!node.isBlank()) {
                        only.add(node.strip());
                    }
                }
            }
            return AdminResponse.json(202, JsonWriter.write(UpgradeJson.upgrade(u.restart(only),
                    System.currentTimeMillis())));
        } catch (io.herdcat.upgrade.Upgrades.UpgradeRefused e) {
            return UpgradeUploads.error(e.status(), e.getMessage());
        }
    }

    private AdminResponse upgradeStatus() {
        io.herdcat.upgrade.Upgrades u = upgrades;
        return u == null ? UpgradeUploads.error(503, NO_UPGRADES)
                : AdminResponse.json(200, JsonWriter.write(UpgradeJson.upgrade(u.status(), System.currentTimeMillis())));
    }

    private Map<String, Object> statusDocument(NodeStatus s) {
        Instant now = Instant.now();
        Map<String, Object> doc = new java.util.LinkedHashMap<>();
        if (cluster != null) {
            doc.put("clusterName", config.cluster().name());
            doc.put("self", config.name());
            doc.put("dispatcher", cluster.view().dispatcher().orElse(null));
            doc.put("nodes", NodesJson.nodes(cluster, now));
        }
        doc.putAll(StatusJson.status(s, port(), now));
        if (cluster != null) {
            doc.put("cluster", ClusterJson.cluster(config.cluster().name(), cluster));
        }
        front.get().ifPresent(snapshot -> doc.put("front", FrontJson.front(snapshot)));
        io.herdcat.vip.VipCounters moves = frontMove;
        if (moves != null) {
            doc.put("frontMove", FrontMoveJson.frontMove(config.frontMove(), moves));
        }
        io.herdcat.upgrade.Upgrades u = upgrades;
        if (u != null) {
            doc.put("upgrade", UpgradeJson.upgrade(u.status(), now.toEpochMilli()));
        }
        return doc;
    }
}
