package io.herdcat.dispatcher;

import io.netty.util.concurrent.DefaultThreadFactory;
import io.herdcat.cluster.ClusterListener;
import io.herdcat.cluster.ClusterView;
import io.herdcat.cluster.NodeRecord;
import io.herdcat.config.Activation;
import io.herdcat.config.NodeConfig;
import io.herdcat.dispatcher.balance.BalanceMethod;
import io.herdcat.dispatcher.balance.Balancer;
import io.herdcat.dispatcher.balance.WorkerSpec;
import io.herdcat.privilege.ListenSockets;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.time.Duration;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the cluster's HTTP front on this node while the cluster elects it, fed with the nodes from the
 * cluster's records: ready nodes with their weight and activation; a stopping node gets nothing new.
 * When this node is no longer elected (another is preferred, or this one is stopping) it hands the
 * front over ({@link FrontHandover}): it keeps listening until the newly elected node listens on the
 * port too, then stops accepting and finishes the requests in flight. A failed bind is retried every
 * second.
 */
public final class FrontService implements ClusterListener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FrontService.class);
    private final String selfName;
    private final NodeConfig config;
    private final ListenSockets listenSockets;
    private final ScheduledExecutorService retry =
            Executors.newSingleThreadScheduledExecutor(new DefaultThreadFactory("front-retry", true));
    private final List<Runnable> closeActions = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile ClusterView lastView;
    private FrontResponseListener responses = (status, nanos) -> { };
    private FrontAccessLog accessLog;
    private final java.util.concurrent.ExecutorService handovers =
            Executors.newSingleThreadExecutor(new DefaultThreadFactory("front-handover", true));
    private Dispatcher dispatcher;
    private Dispatcher leaving;
    private java.util.concurrent.Future<?> handover = java.util.concurrent.CompletableFuture.completedFuture(null);
    private boolean started;
    private boolean stopping;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
    private String lastError;
    private final FrontAccepting accepting = new FrontAccepting();

    public FrontService(NodeConfig config) {
        this(config, null);
    }

    /**
     * @param listenSockets opens the front's listening socket on the node's privileged thread; null: the
     *                      thread that opens the front binds it
     */
    public FrontService(NodeConfig config, ListenSockets listenSockets) {
        this.listenSockets = listenSockets;
        this.selfName = config.name();
        this.config = config;
    }

    /** Follows the cluster from now on: opens the front whenever this node is elected (a failed bind retried every second). */
    public void start(ClusterView current) {
        ClusterView latest;
        synchronized (this) {
            started = true;
            latest = lastView == null ? current : lastView;
        }
        clusterChanged(latest);
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
        if (!started) {
            return;
        }
        boolean elected = !stopping && view.dispatcher().filter(selfName::equals).isPresent();
        if (elected && dispatcher == null) {
            open();
        } else if (!elected && dispatcher != null) {
            LOG.info("No longer elected to run the HTTP front: handing it over");
            handOver(System.nanoTime() + config.shutdownTimeout().toNanos());
        }
        if (dispatcher != null) {
            dispatcher.update(workers(view));
        }
        if (leaving != null) {
            leaving.update(workers(view));
        }
    }

    /** Starts handing the running front over, in the background; requests in flight may last until the deadline. */
    private void handOver(long deadlineNanos) {
        Dispatcher d = dispatcher;
        dispatcher = null;
        leaving = d;
        handover = handovers.submit(() -> {
            try {
                FrontHandover.run(d, selfName, this::electedNow, deadlineNanos, () -> accepting.closed(d));
            } catch (InterruptedException e) {
                d.close();
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                LOG.warn("Handing the HTTP front over failed: closing it", e);
                d.close();
            } finally {
                accepting.closed(d);
                synchronized (this) {
                    if (leaving == d) {
                        leaving = null;
                    }
                }
            }
        });
    }

    private java.util.Optional<FrontHandover.Successor> electedNow() {
        ClusterView v = lastView;
        if (v == null) {
            return java.util.Optional.empty();
        }
        return v.dispatcher().map(name -> new FrontHandover.Successor(name,
                v.record(name).map(r -> address(r.ajpHost())).orElse(null)));
    }

    private static java.net.InetAddress address(String host) {
        try {
            return host == null || host.isEmpty() ? null : java.net.InetAddress.getByName(host);
        } catch (java.net.UnknownHostException e) {
            return null;
        }
    }

    private void open() {
        NodeConfig.Endpoint front = config.front();
        NodeConfig.FrontSettings f = config.frontSettings();
        Dispatcher d;
        try {
            d = new Dispatcher(new InetSocketAddress(front.address(), front.port()),
                    new Balancer(BalanceMethod.valueOf(f.balanceMethod().toUpperCase(Locale.ROOT)), f.stickyForce()),
                    config.ajpSecret().value(), options(config), listenSockets);
        } catch (SSLException e) {
            LOG.error("Elected to run the HTTP front, but its TLS key or certificate cannot be used: {}", e.toString());
            return;
        }
        d.onResponse(responses);
        d.accessLog(accessLog());
        try {
            d.start();
            dispatcher = d;
            accepting.opened(d);
            lastError = null;
            LOG.info("Elected to run the HTTP front: listening on {}://{}:{}/ ({})",
                    config.frontSettings().tls() == null ? "http" : "https", front.address().getHostAddress(), d.port(),
                    d.transport());
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

    /** The front's access log, opened the first time this node runs the front and kept for the process' life. */
    private FrontAccessLog accessLog() {
        if (accessLog == null) {
            accessLog = FrontAccessLog.open(config.observability().frontAccessLog());
        }
        return accessLog;
    }

    /** The dispatcher's options from the front.* settings. */
    static Dispatcher.Options options(NodeConfig config) throws SSLException {
        NodeConfig.FrontSettings f = config.frontSettings();
        return new Dispatcher.Options(config.ajpPacketSize(), f.maxBody(), f.retryBody(), f.replyTimeout(),
                f.headerTimeout(), f.idleTimeout(), f.poolSize(), f.poolIdleTimeout(), f.pingAfter(),
                f.tls() == null ? null : FrontTls.serverContext(f.tls().certificates(), f.tls().key(), f.http2().h2()),
                f.clients(), f.webSockets(), config.shutdownTimeout(), f.http2(), f.ioUring());
    }

    /** The cluster's ready nodes, then the statically listed ones (their route must not clash). */
    private List<WorkerSpec> workers(ClusterView view) {
        List<WorkerSpec> workers = new ArrayList<>();
        for (NodeRecord r : view.records()) {
            if (r.phase() == NodeRecord.Phase.STARTING || r.ajpPort() <= 0) {
                continue;
            }
            Activation activation = r.phase() == NodeRecord.Phase.STOPPING ? Activation.STOPPED : r.activation();
            workers.add(new WorkerSpec(r.name(), r.ajpHost(), r.ajpPort(), r.weight(), activation, r.httpHost(),
                    Math.max(0, r.httpPort())));
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

    /** Told when this node's front starts and stops accepting connections. */
    public void onFrontState(FrontStateListener listener) {
        accepting.addListener(listener);
    }

    /** Runs {@code action} when this service closes (with the node), after the front stopped accepting. */
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

    /**
     * Stops for good, gracefully: never opens the front again; if it runs here, hands it over to the next
     * elected node (call after this node announced that it stops, so the election has moved) and waits
     * for the requests in flight, at most {@code timeout}.
     */
    public void stop(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        java.util.concurrent.Future<?> pending;
        synchronized (this) {
            stopping = true;
            if (dispatcher != null) {
                handOver(deadline);
            }
            pending = handover;
        }
        try {
            pending.get(Math.max(0, deadline - System.nanoTime()) + TimeUnit.SECONDS.toNanos(5), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            LOG.warn("Handing the HTTP front over did not finish: {}", e.toString());
        }
        close();
    }

    /** Closes at once, cutting any request in flight at the front. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        retry.shutdownNow();
        handovers.shutdownNow();
        synchronized (this) {
            stopping = true;
            lastView = null;
            for (Dispatcher d : java.util.Arrays.asList(dispatcher, leaving)) {
                if (d != null) {
                    d.close();
                    accepting.closed(d);
                }
            }
            dispatcher = null;
            leaving = null;
            if (accessLog != null) {
                accessLog.close();
            }
        }
        closeActions.forEach(Runnable::run);
    }
}
