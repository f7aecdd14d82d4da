package io.herdcat.node;

import io.herdcat.config.NodeConfig;
import io.herdcat.node.ajp.CoalescingAjpProtocol;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.catalina.Cluster;
import org.apache.catalina.Container;
import org.apache.catalina.Context;
import org.apache.catalina.Engine;
import org.apache.catalina.Host;
import org.apache.catalina.Lifecycle;
import org.apache.catalina.LifecycleEvent;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.LifecycleListener;
import org.apache.catalina.Manager;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.startup.HostConfig;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.modeler.Registry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded Tomcat of one node: an HTTP/1.1 and an AJP/1.3 connector, an Engine whose jvmRoute is
 * the node name, and a Host that deploys whatever is in the webapps folder with Tomcat's own
 * {@link HostConfig} (deploy, redeploy, undeploy, {@code app##2.war} parallel deployment). With
 * {@code deploy.cluster} it deploys the folder only on start; later changes go through
 * {@link WebappDeployer}, asked by the cluster-wide deploy.
 */
public final class TomcatNode {
    private static final Logger LOG = LoggerFactory.getLogger(TomcatNode.class);
    /** Ports below this one need privilege to bind (Linux's default net.ipv4.ip_unprivileged_port_start). */
    private static final int PRIVILEGED_PORTS = 1024;

    private final NodeConfig config;
    private final Cluster cluster;
    private final RequestStatsValve stats = new RequestStatsValve();
    private volatile Runnable onWebappsChanged = () -> { };
    private volatile NodeState state = NodeState.NEW;
    private volatile Instant startedAt;
    private Tomcat tomcat;
    private Host host;
    private Connector http;
    private Connector ajp;
    private volatile WebappDeployer deployer;
    private FrontForwardedValve frontForwarded;
    private CommonLoader commonLoader;

    /**
     * @param cluster the session-replicating cluster to set on the Engine, or null for none
     */
    public TomcatNode(NodeConfig config, Cluster cluster) {
        this.config = config;
        this.cluster = cluster;
    }

    /** Told of every request served from now on. */
    public void onRequest(RequestListener listener) {
        stats.listener(listener);
    }

    /** Called after a webapp is added to or removed from the Host (deploy, undeploy, redeploy). */
    public void onWebappsChanged(Runnable callback) {
        this.onWebappsChanged = callback;
    }

    /**
     * Builds and initialises Tomcat: no webapp deployed yet, and only privileged ports bound.
     */
    public synchronized void init() throws LifecycleException {
        if (state != NodeState.NEW) {
            throw new IllegalStateException("node already " + state);
        }
        state = NodeState.STARTING;
        try {
            Files.createDirectories(config.workDir());
        } catch (IOException e) {
            state = NodeState.FAILED;
            throw new UncheckedIOException("cannot create work folder " + config.workDir(), e);
        }
        if (!config.jmx()) {
            Registry.disableRegistry();
        }
        tomcat = new Tomcat();
        tomcat.setBaseDir(config.workDir().toAbsolutePath().toString());
        tomcat.enableNaming();
        shareResources();
        http = httpConnector();
        ajp = ajpConnector();
        tomcat.getService().addConnector(http);
        tomcat.getService().addConnector(ajp);
        configureEngineAndHost();
        try {
            commonLoader.run(tomcat::init);
        } catch (LifecycleException | RuntimeException e) {
            state = NodeState.FAILED;
            destroyQuietly();
            throw e;
        }
    }

    /** What must be over before the connectors open and the node takes traffic. */
    @FunctionalInterface
    public interface BeforeTraffic {
        void await() throws Exception;
    }

    /** True when a connector's port needs privilege: {@link #init()} binds it, before the node gives up root. */
    public boolean bindsPrivilegedPorts() {
        return privileged(config.http()) || privileged(config.ajp());
    }

    private static boolean privileged(NodeConfig.Endpoint endpoint) {
        return endpoint.port() > 0 && endpoint.port() < PRIVILEGED_PORTS;
    }

    /** Deploys the webapps folder and opens the connectors; on failure stops what had started. */
    public void start() throws Exception {
        start(() -> { });
    }

    /**
     * Deploys the webapps folder, waits for {@code beforeTraffic} (the cluster join, which runs while
     * the webapps deploy), then opens the connectors; on failure stops what had started. A failure of
     * {@code beforeTraffic} is thrown as it is, and no connector opens.
     */
    public synchronized void start(BeforeTraffic beforeTraffic) throws Exception {
        if (tomcat == null) {
            init();
        }
        TrafficGate gate = new TrafficGate(beforeTraffic);
        Engine engine = tomcat.getEngine();
        engine.addLifecycleListener(gate);
        try {
            commonLoader.run(tomcat::start);
        } catch (LifecycleException | RuntimeException e) {
            state = NodeState.FAILED;
            destroyQuietly();
            if (gate.failure != null) {
                throw gate.failure;
            }
            throw e;
        } finally {
            engine.removeLifecycleListener(gate);
        }
        startedAt = Instant.now();
        state = NodeState.STARTED;
    }

    /**
     * Runs when the Engine (with every webapp) has started, before the Service opens its connectors; a
     * failure fails the Engine's start, so the connectors never open.
     */
    private static final class TrafficGate implements LifecycleListener {
        private final BeforeTraffic beforeTraffic;
        private Exception failure;

        TrafficGate(BeforeTraffic beforeTraffic) {
            this.beforeTraffic = beforeTraffic;
        }

        @Override
        public void lifecycleEvent(LifecycleEvent event) {
            if (!Lifecycle.AFTER_START_EVENT.equals(event.getType())) {
                return;
            }
            try {
                beforeTraffic.await();
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                failure = e;
                throw new IllegalStateException("the connectors stay closed: " + e, e);
            }
        }
    }

    /**
     * lib.dir's jars become the parent loader of every webapp, and resources.file's entries the Server's
     * global naming resources, the two things a webapp moved from Tomcat expects of its lib/ and server.xml.
     */
    private void shareResources() {
        var shared = config.shared();
        commonLoader = new CommonLoader(shared.libJars());
        tomcat.getServer().setParentClassLoader(commonLoader.loader());
        if (shared.libDir() != null) {
            LOG.info("Node {}: lib.dir {} gives every webapp {} jar(s), JDBC drivers {}", config.name(),
                    shared.libDir(), shared.libJars().size(), commonLoader.registerDrivers());
        }
        GlobalNaming.add(tomcat.getServer().getGlobalNamingResources(), shared.globals(), config.name());
    }

    private Connector httpConnector() {
        return connector("HTTP/1.1", config.http());
    }

    /** Tomcat's AJP connector, each response sent in one piece ({@link CoalescingAjpProtocol}). */
    private Connector ajpConnector() {
        Connector c = connector(new Connector(new CoalescingAjpProtocol()), config.ajp());
        c.setProperty("secretRequired", "true");
        c.setProperty("packetSize", Integer.toString(config.ajpPacketSize()));
        c.setProperty("secret", config.ajpSecret().value());
        // a front that stops sending a body or taking a response cannot hold a request thread forever
        c.setProperty("connectionTimeout", Long.toString(config.ajpConnectionTimeout().toMillis()));
        return c;
    }

    /**
     * Binds when the connector starts, after the webapps are deployed (traffic is accepted last), so a
     * graceful stop can close the listening socket while requests in flight finish. A privileged port
     * (below 1024) is bound in {@link #init()} instead, before the node gives up root; connections to it
     * wait in the backlog until the connector starts.
     */
    private static Connector connector(String protocol, NodeConfig.Endpoint endpoint) {
        return connector(new Connector(protocol), endpoint);
    }

    private static Connector connector(Connector c, NodeConfig.Endpoint endpoint) {
        c.setPort(endpoint.port());
        c.setProperty("address", endpoint.address().getHostAddress());
        c.setProperty("bindOnInit", Boolean.toString(privileged(endpoint)));
        return c;
    }

    private void configureEngineAndHost() {
        var engine = tomcat.getEngine();
        engine.setJvmRoute(config.name());
        if (cluster != null) {
            // before start: a context creates its cluster manager only if the Engine has a cluster then
            engine.setCluster(cluster);
        }
        engine.setBackgroundProcessorDelay((int) Math.max(1, config.deployScanInterval().toSeconds()));
        // first: the stats, the access log and the webapps see the client the front forwarded for
        frontForwarded = new FrontForwardedValve(config.ajpSecret().value(), http);
        engine.getPipeline().addValve(frontForwarded);
        engine.getPipeline().addValve(stats);
        if (config.accessLog()) {
            engine.getPipeline().addValve(new Slf4jAccessLogValve());
        }
        host = tomcat.getHost();
        host.setAppBase(config.webapps().toAbsolutePath().toString());
        // deploy.cluster: a WAR dropped into the folder is rolled through the cluster, not deployed here alone
        host.setAutoDeploy(!config.deployCluster());
        host.setDeployOnStartup(true);
        StandardHost standardHost = (StandardHost) host;
        // Several nodes on one host may share the folder: serve WARs in place, never write into it.
        standardHost.setUnpackWARs(false);
        standardHost.setConfigClass(NodeContextConfig.class.getName());
        HostConfig hostConfig = new HostConfig();
        host.addLifecycleListener(hostConfig);
        deployer = new WebappDeployer(host, hostConfig, config.webapps().toAbsolutePath());
        host.addContainerListener(event -> {
            if (Container.ADD_CHILD_EVENT.equals(event.getType()) || Container.REMOVE_CHILD_EVENT.equals(event.getType())) {
                onWebappsChanged.run();
            }
        });
    }

    /**
     * Stops gracefully: refuse new connections, let requests in flight finish (at most
     * {@code timeout}), then stop Tomcat.
     */
    public synchronized void stop(Duration timeout) {
        if (state == NodeState.STARTING && tomcat != null) {
            destroyQuietly(); // initialised, never started
            state = NodeState.STOPPED;
            return;
        }
        if (state != NodeState.STARTED) {
            return;
        }
        state = NodeState.STOPPING;
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Connector c : List.of(http, ajp)) {
            c.pause();
            c.getProtocolHandler().closeServerSocketGraceful();
        }
        LOG.info("Stopping: no new connections; waiting up to {} ms for {} request(s) in flight",
                timeout.toMillis(), stats.inFlight());
        awaitNoRequestsInFlight(deadline);
        if (stats.inFlight() > 0) {
            LOG.warn("shutdown.timeout of {} ms reached with {} request(s) still in flight; stopping anyway",
                    timeout.toMillis(), stats.inFlight());
        }
        destroyQuietly();
        state = NodeState.STOPPED;
    }

    private void awaitNoRequestsInFlight(long deadlineNanos) {
        try {
            while (stats.inFlight() > 0 && System.nanoTime() < deadlineNanos) {
                Thread.sleep(20);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void destroyQuietly() {
        try {
            tomcat.stop();
            tomcat.destroy();
        } catch (LifecycleException e) {
            LOG.warn("Tomcat did not stop cleanly: {}", e.getMessage());
        }
        try {
            commonLoader.close();
        } catch (IOException e) {
            LOG.warn("Node {}: the jars of lib.dir did not close: {}", config.name(), e.getMessage());
        }
    }

    /** The ports actually bound (differs from the configured ones when those were 0). */
    /** The HTTP and AJP connectors, once initialised (empty before). */
    public synchronized List<Connector> connectors() {
        return http == null ? List.of() : List.of(http, ajp);
    }

    public int httpPort() {
        return http.getLocalPort();
    }

    public int ajpPort() {
        return ajp.getLocalPort();
    }

    /**
     * The addresses the cluster's front may connect from (the members'): requests it forwards over HTTP
     * from there, with its token, show the client's address and scheme ({@link FrontForwardedValve}).
     */
    public void trustFrontsAt(java.util.Set<java.net.InetAddress> addresses) {
        if (frontForwarded != null) {
            frontForwarded.setTrusted(addresses);
        }
    }

    /** Deploys a WAR now; null before {@link #init()}. */
    public WebappDeployer deployer() {
        return deployer;
    }

    /** Requests this node is serving right now, HTTP and AJP. */
    public long inFlight() {
        return stats.inFlight();
    }

    /** The address the HTTP connector listens on, as a client on this host reaches it. */
    public String httpHost() {
        var a = config.http().address();
        return a.isAnyLocalAddress() ? "127.0.0.1" : a.getHostAddress();
    }

    public NodeState state() {
        return state;
    }

    public NodeStatus status() {
        List<WebappStatus> webapps = new ArrayList<>();
        if (host != null) {
            for (Container child : host.findChildren()) {
                if (child instanceof Context ctx) {
                    webapps.add(webappStatus(ctx));
                }
            }
        }
        webapps.sort(Comparator.comparing(WebappStatus::name));
        boolean running = state == NodeState.STARTED || state == NodeState.STOPPING;
        return new NodeStatus(config.name(), state, startedAt, Versions.tomcat(),
                running ? httpPort() : config.http().port(), running ? ajpPort() : config.ajp().port(),
                List.copyOf(webapps), stats.snapshot());
    }

    private static WebappStatus webappStatus(Context ctx) {
        Manager manager = ctx.getManager();
        int active = manager == null ? 0 : manager.getActiveSessions();
        long created = manager == null ? 0 : manager.getSessionCounter();
        String path = ctx.getPath().isEmpty() ? "/" : ctx.getPath();
        return new WebappStatus(ctx.getName().isEmpty() ? "ROOT" : ctx.getName(), path, ctx.getWebappVersion(),
                ctx.getState().name(), ctx.getDistributable(), active, created);
    }
}
