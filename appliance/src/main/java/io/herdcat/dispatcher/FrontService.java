package io.herdcat.dispatcher;

import io.herdcat.cluster.ClusterListener;
import io.herdcat.cluster.ClusterView;
import io.herdcat.cluster.DispatcherElection;
import io.herdcat.cluster.NodeRecord;
import io.herdcat.config.Activation;
import io.herdcat.config.NodeConfig;
import io.herdcat.dispatcher.balance.BalanceMethod;
import io.herdcat.dispatcher.balance.Balancer;
import io.herdcat.dispatcher.balance.WorkerSpec;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the cluster's HTTP front on this node while the cluster elects it, fed with the nodes from the
 * cluster's records: ready nodes with their weight and activation; a stopping node gets nothing new.
 * When this node is no longer elected it closes the front; the newly elected node opens it (a failed
 * bind, e.g. while the old front still holds the port on the same host, is retried every second).
 */
public final class FrontService implements ClusterListener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FrontService.class);
    private final String selfName;
    private final NodeConfig config;
    private final ScheduledExecutorService retry = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "front-retry");
        t.setDaemon(true);
        return t;
    });
    private final List<Runnable> closeActions = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile ClusterView lastView;
    private FrontResponseListener responses = (status, nanos) -> { };
    private Dispatcher dispatcher;
    private String lastError;

    public FrontService(NodeConfig config) {
        this.selfName = config.name();
        this.config = config;
        retry.scheduleWithFixedDelay(() -> {
            ClusterView v = lastView;
            if (v != null) {
                clusterChanged(v);
            }
        }, 1, 1, TimeUnit.SECONDS);
    }

    @Override
    public synchronized void clusterChanged(ClusterView view) {
        lastView = view;
        boolean elected = DispatcherElection.elected(view).filter(selfName::equals).isPresent();
        if (elected && dispatcher == null) {
            open();
        } else if (!elected && dispatcher != null) {
            LOG.info("No longer elected to run the HTTP front: closing it");
            dispatcher.close();
            dispatcher = null;
        }
        if (dispatcher != null) {
            dispatcher.update(workers(view));
        }
    }

    private void open() {
        NodeConfig.Endpoint front = config.front();
        NodeConfig.FrontSettings f = config.frontSettings();
        Dispatcher d;
        try {
            d = new Dispatcher(new InetSocketAddress(front.address(), front.port()),
                    new Balancer(BalanceMethod.valueOf(f.balanceMethod().toUpperCase(Locale.ROOT)), f.stickyForce()),
                    config.ajpSecret().value(), options(config));
        } catch (SSLException e) {
            LOG.error("Elected to run the HTTP front, but its TLS key or certificate cannot be used: {}", e.toString());
            return;
        }
        d.onResponse(responses);
        try {
            d.start();
            dispatcher = d;
            lastError = null;
            LOG.info("Elected to run the HTTP front: listening on {}://{}:{}/", config.frontSettings().tls() == null ? "http" : "https",
                    front.address().getHostAddress(), d.port());
        } catch (Exception e) {
            d.close();
            String error = e.toString();
            if (!error.equals(lastError)) {
                LOG.error("Elected to run the HTTP front, but cannot open port {}: {} (retrying every second)",
                        front.port(), error);
                lastError = error;
            }
        }
    }

    /** The dispatcher's options from the front.* settings. */
    static Dispatcher.Options options(NodeConfig config) throws SSLException {
        NodeConfig.FrontSettings f = config.frontSettings();
        return new Dispatcher.Options(config.ajpPacketSize(), f.maxBody(), f.retryBody(), f.replyTimeout(),
                f.headerTimeout(), f.idleTimeout(), f.poolSize(), f.poolIdleTimeout(), f.pingAfter(),
                f.tls() == null ? null : FrontTls.serverContext(f.tls().certificates(), f.tls().key()), f.clients());
    }

    /** The cluster's ready nodes, then the statically listed ones (their route must not clash). */
    private List<WorkerSpec> workers(ClusterView view) {
        List<WorkerSpec> workers = new ArrayList<>();
        for (NodeRecord r : view.records()) {
            if (r.phase() == NodeRecord.Phase.STARTING || r.ajpPort() <= 0) {
                continue;
            }
            Activation activation = r.phase() == NodeRecord.Phase.STOPPING ? Activation.STOPPED : r.activation();
            workers.add(new WorkerSpec(r.name(), r.ajpHost(), r.ajpPort(), r.weight(), activation));
        }
        for (NodeConfig.StaticNode n : config.frontSettings().staticNodes()) {
            if (workers.stream().noneMatch(w -> w.route().equals(n.route()))) {
                workers.add(new WorkerSpec(n.route(), n.host(), n.port(), 1, Activation.ACTIVE));
            }
        }
        return workers;
    }

    /** Zeroes the front's request, error and byte counters (in-flight requests stay counted). */
    public synchronized void resetCounters() {
        if (dispatcher != null) {
            dispatcher.resetCounters();
        }
    }

    /** Told of every response the front completes while this node runs it. */
    public synchronized void onResponse(FrontResponseListener listener) {
        responses = listener;
        if (dispatcher != null) {
            dispatcher.onResponse(listener);
        }
    }

    /** Runs {@code action} when this service closes (with the node). */
    public void onClose(Runnable action) {
        closeActions.add(action);
    }

    /** The front's state while this node runs it. */
    public synchronized java.util.Optional<DispatcherSnapshot> snapshot() {
        return dispatcher == null ? java.util.Optional.empty() : java.util.Optional.of(dispatcher.snapshot());
    }

    /** The front's port while this node runs it, else -1. */
    public synchronized int port() {
        return dispatcher == null ? -1 : dispatcher.port();
    }

    @Override
    public synchronized void close() {
        closeActions.forEach(Runnable::run);
        retry.shutdownNow();
        lastView = null;
        if (dispatcher != null) {
            dispatcher.close();
            dispatcher = null;
        }
    }
}
