package io.herdcat.admin;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.herdcat.cluster.ClusterNode;
import io.herdcat.config.NodeConfig;
import io.herdcat.node.NodeStatus;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin API of a node, on its own port (127.0.0.1 by default): {@code GET /status} and
 * {@code GET /health} (readiness: 503 until every webapp is deployed and while stopping) and
 * {@code GET /health/live} (liveness).
 */
public final class AdminServer {
    private static final Logger LOG = LoggerFactory.getLogger(AdminServer.class);
    private static final String JSON = "application/json";

    private final NodeConfig config;
    private final NodeConfig.Endpoint endpoint;
    private final Supplier<NodeStatus> status;
    private final ClusterNode cluster;
    private final AdminWrites writes;
    private volatile Supplier<java.util.Optional<io.herdcat.dispatcher.DispatcherSnapshot>> front = java.util.Optional::empty;
    private volatile Supplier<String> metrics;
    private HttpServer server;
    private ExecutorService executor;

    /**
     * @param cluster this node's cluster membership, or null for a node outside any cluster
     */
    public AdminServer(NodeConfig config, Supplier<NodeStatus> status, ClusterNode cluster) {
        this.config = config;
        this.endpoint = config.admin();
        this.status = status;
        this.cluster = cluster;
        this.writes = new AdminWrites(config.adminToken(), cluster);
    }

    /** Where /metrics gets its Prometheus text (the node's meters); until set, /metrics is 404. */
    public void metrics(Supplier<String> prometheusText) {
        this.metrics = prometheusText;
    }

    /** Where /status finds the HTTP front's state while this node runs it. */
    public void front(Supplier<java.util.Optional<io.herdcat.dispatcher.DispatcherSnapshot>> snapshot) {
        this.front = snapshot;
    }

    /** Binds the port and starts answering. */
    public void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(endpoint.address(), endpoint.port()), 64);
        AtomicInteger threads = new AtomicInteger();
        executor = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "admin-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public void stop() {
        if (server != null) {
            server.stop(0);
            executor.shutdownNow();
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            if ("POST".equals(exchange.getRequestMethod())) {
                AdminWrites.Result r = writes.handle(exchange);
                send(exchange, r.status(), JSON, JsonWriter.write(r.body()));
                return;
            }
            if (!"GET".equals(exchange.getRequestMethod()) && !"HEAD".equals(exchange.getRequestMethod())) {
                exchange.getResponseHeaders().add("Allow", "GET, HEAD, POST");
                send(exchange, 405, JSON, "{\"error\":\"method not allowed\"}");
                return;
            }
            if (!path.startsWith("/health") && !path.equals("/") && !writes.mayRead(exchange)) {
                exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer");
                send(exchange, 401, JSON, "{\"error\":\"reads from other hosts need the admin token "
                        + "(Authorization: Bearer TOKEN)\"}");
                return;
            }
            NodeStatus s = status.get();
            switch (path) {
                case "/status" -> send(exchange, 200, JSON, JsonWriter.write(statusDocument(s)));
                case "/health" -> send(exchange, s.ready() ? 200 : 503, JSON, JsonWriter.write(StatusJson.health(s)));
                case "/health/live" -> send(exchange, 200, JSON, "{\"status\":\"UP\"}");
                case "/" -> send(exchange, 200, "text/html", StatusPage.html());
                case "/metrics" -> {
                    Supplier<String> m = metrics;
                    if (m == null) {
                        send(exchange, 404, JSON, "{\"error\":\"metrics are not ready\"}");
                    } else {
                        send(exchange, 200, "text/plain; version=0.0.4", m.get());
                    }
                }
                default -> send(exchange, 404, JSON, "{\"error\":\"not found\",\"endpoints\":[\"/status\",\"/health\",\"/health/live\"]}");
            }
        } catch (RuntimeException e) {
            LOG.warn("admin request {} failed", exchange.getRequestURI(), e);
        }
    }

    private Map<String, Object> statusDocument(NodeStatus s) {
        Instant now = Instant.now();
        Map<String, Object> doc = new java.util.LinkedHashMap<>();
        if (cluster != null) {
            doc.put("clusterName", config.cluster().name());
            doc.put("self", config.name());
            doc.put("dispatcher", io.herdcat.cluster.DispatcherElection.elected(cluster.view()).orElse(null));
            doc.put("nodes", NodesJson.nodes(cluster, now));
        }
        doc.putAll(StatusJson.status(s, port(), now));
        if (cluster != null) {
            doc.put("cluster", ClusterJson.cluster(config.cluster().name(), cluster));
        }
        front.get().ifPresent(snapshot -> doc.put("front", FrontJson.front(snapshot)));
        return doc;
    }

    private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type + "; charset=utf-8");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        boolean head = "HEAD".equals(exchange.getRequestMethod());
        exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }
}
