package io.herdcat.launcher;

import io.herdcat.admin.AdminServer;
import io.herdcat.cluster.ClusterNode;
import io.herdcat.cluster.NodeRecord;
import io.herdcat.dispatcher.FrontService;
import io.herdcat.lifecycle.LifeCycle;
import io.herdcat.lifecycle.Phase;
import io.herdcat.metrics.NodeMetrics;
import io.herdcat.config.AjpSecret;
import io.herdcat.config.ConfigException;
import io.herdcat.config.ConfigSources;
import io.herdcat.config.DispatcherMode;
import io.herdcat.config.HostName;
import io.herdcat.config.NodeConfig;
import io.herdcat.config.Setting;
import io.herdcat.node.TomcatNode;
import io.herdcat.upgrade.ClusterUpgrades;
import io.herdcat.node.Versions;
import io.herdcat.privilege.NodePrivileges;
import io.herdcat.vip.FrontMover;
import java.io.IOException;
import java.net.BindException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * Runs one node: validate the configuration and check its ports (nothing starts on a mistake), then
 * start its parts as one {@link LifeCycle} — bind the sockets that need privilege (a privileged admin
 * port, Tomcat's privileged ports), give up root, start joining the cluster (the rest of the start
 * overlaps the join), initialise Tomcat and bind the admin port (unless done before the drop), answer
 * on the admin port, take the cluster's WARs ({@code deploy.cluster}, once joined), start Tomcat (its
 * webapps deploy while the node joins; its connectors open once it has joined), follow the election of
 * the HTTP front, announce readiness — then wait for SIGTERM and stop them in reverse, gracefully.
 */
final class NodeLauncher {
    private static final String ADMIN_PORT = "open the admin port";
    private static final String JOIN = "join its cluster";
    /** Ports below this one need privilege to bind (Linux's default net.ipv4.ip_unprivileged_port_start). */
    private static final int PRIVILEGED_PORTS = 1024;
    private final ShutdownSignal shutdown = new ShutdownSignal();
    private final Map<Setting, String> flags;
    private final Map<String, String> env;
    private final Path workingDir;

    NodeLauncher(Map<Setting, String> flags, Map<String, String> env, Path workingDir) {
        this.flags = flags;
        this.env = env;
        this.workingDir = workingDir;
    }

    /** A started node: its parts, stopped in the reverse order of their start. */
    record RunningNode(NodeConfig config, TomcatNode node, AdminServer admin, LifeCycle life, Logger log) {
        /**
         * Announces the stop first, so the fronts send this node nothing new and the election moves; hands
         * the front over if it runs here and lets its requests in flight finish; then lets Tomcat finish its
         * own; leaves the cluster; closes the admin port; all within one {@code shutdown.timeout}.
         */
        void stop() {
            life.stop(config.shutdownTimeout());
            log.info("Stopped node {}", config.name());
        }
    }

    int run() {
        shutdown.onSignals();
        RunningNode running = start();
        if (running == null) {
            return Main.FAILED;
        }
        shutdown.onParentExit(running.config().parentPid());
        try {
            String why = shutdown.await();
            running.log().info("Stopping node {} ({})", running.config().name(), why);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        running.stop();
        return shutdown.exitCode();
    }

    /** Starts the node; null when it failed at run time (logged, and what had started is stopped). Configuration mistakes throw. */
    RunningNode start() {
        long t0 = System.nanoTime();
        NodeConfig config = NodeConfig.from(ConfigSources.gather(flags, env, workingDir), HostName.get(), workingDir);
        PortCheck.requireFree(config.endpoints());
        routeLogging(config.name());
        LogSetup.apply(config.name(), config.observability());
        NodePrivileges privileges = NodePrivileges.forNode(config);
        Logger log = LoggerFactory.getLogger(NodeLauncher.class);
        log.info("Starting node {} (Herdcat {}, Tomcat {}), webapps {}", config.name(), Versions.herdcat(),
                Versions.tomcat(), config.webapps());
        if (config.ajpSecret().source() == AjpSecret.Source.GENERATED) {
            log.info("AJP secret generated for this start: no front can forward to this node until ajp.secret "
                    + "or secret.file is set");
        }

        ClusterNode cluster = new ClusterNode(config, Versions.herdcat(), Versions.tomcat());
        keepAdminChanges(config, cluster, log);
        TomcatNode node = new TomcatNode(config, cluster.tomcatCluster());
        AdminServer admin = new AdminServer(config, node::status, cluster);
        FrontService front = new FrontService(config, privileges.listenSockets());
        NodeMetrics metrics = new NodeMetrics(node, cluster, front);
        StatsPublisher stats = new StatsPublisher(cluster.membership(), node, front);
        SystemdNotify systemd = SystemdNotify.fromEnvironment(env);
        ClusterUpgrades upgrades = new ClusterUpgrades(config.name(), cluster.membership(), node,
                config.workDir().resolve("upgrade"), config.shutdownTimeout());
        LifeCycle life = new LifeCycle(config.name())
                // each socket is bound before the drop only when it needs privilege, otherwise once the join
                // began; the admin port closes last either way
                .add(Phase.BIND, ADMIN_PORT, () -> {
                    if (privileged(config.admin())) {
                        admin.bind();
                    }
                }, left -> admin.stop())
                .add(Phase.BIND, "initialise Tomcat with its privileged ports", () -> {
                    if (node.bindsPrivilegedPorts()) {
                        node.init();
                    }
                }, node::stop)
                .add(Phase.DROP, "drop root", privileges::drop, left -> privileges.close())
                // first of all that serves: the join takes longest, and the rest of the start overlaps it
                .add(Phase.SERVE, JOIN, () -> {
                    cluster.addListener(view -> node.trustFrontsAt(memberAddresses(view)));
                    cluster.startJoining();
                }, left -> cluster.close())
                .add(Phase.SERVE, "initialise Tomcat", () -> {
                    if (!node.bindsPrivilegedPorts()) {
                        node.init();
                    }
                }, node::stop)
                .add(Phase.SERVE, ADMIN_PORT, () -> {
                    if (!privileged(config.admin())) {
                        admin.bind();
                    }
                })
                .add(Phase.SERVE, "answer on the admin port", admin::serve)
                .add(Phase.SERVE, "take the cluster's WARs", () -> {
                    if (config.deployCluster()) {
                        cluster.awaitJoined();
                        upgrades.takeClusterWars();
                    }
                })
                .add(Phase.SERVE, "start Tomcat", () -> {
                    // the webapps deploy while the node joins; the connectors open once it has joined
                    node.start(cluster::awaitJoined);
                    node.onWebappsChanged(() -> cluster.webappsChanged(webapps(node)));
                }, node::stop)
                .add(Phase.SERVE, "take part in rolling upgrades", () -> {
                    upgrades.onRestart(() -> shutdown.trigger("rolling restart", Main.RESTART));
                    admin.upgrades(upgrades);
                    cluster.addListener(upgrades);
                    if (config.deployCluster()) {
                        upgrades.watchWebapps(config.deployScanInterval());
                    }
                }, left -> upgrades.close())
                .add(Phase.SERVE, "serve metrics", () -> {
                    metrics.start();
                    admin.metrics(metrics::scrape);
                })
                .add(Phase.SERVE, "follow the election of the HTTP front", () -> {
                    FrontMover mover = FrontMover.start(config, privileges.executor());
                    front.onFrontState(mover);
                    front.onClose(mover::close);
                    admin.frontMove(mover.counters());
                    admin.front(front::snapshot);
                    cluster.membership().onResetCounters(front::resetCounters);
                    front.onClose(stats::close);
                    cluster.addListener(front);
                    front.start(cluster.view());
                    stats.start();
                }, front::stop)
                .add(Phase.SERVE, "announce that it is ready", () -> {
                    cluster.ready(node.ajpPort(), node.httpPort(), admin.port(), webapps(node));
                    if (config.readyFile() != null) {
                        ReadyFile.write(config.readyFile(), config.name(), node.httpPort(), node.ajpPort(), admin.port());
                    }
                    systemd.ready("serving " + webapps(node).size() + " webapp(s)");
                }, left -> {
                    systemd.stopping();
                    admin.stopping();
                    cluster.stopping();
                });
        try {
            life.start(config.shutdownTimeout());
        } catch (LifeCycle.StartFailure e) {
            Exception cause = e.getCause();
            String part = e.part();
            if (cluster.joinFailure() != null) {
                // the join runs in the background: the part that waited for it reports its failure
                cause = cluster.joinFailure();
                part = JOIN;
            }
            if (cause instanceof ConfigException mistake) {
                throw mistake;
            }
            if (ADMIN_PORT.equals(part) && cause instanceof BindException) {
                throw PortCheck.inUse(config.admin());
            }
            if (JOIN.equals(part) && cause instanceof SecurityException) {
                log.error("Cluster {} refused this node ({}): secret.file must be the same on every node",
                        config.cluster().name(), cause.getMessage());
            } else if (cause instanceof IOException || JOIN.equals(part)) {
                log.error("Node {} could not {}: {}", config.name(), part, cause.toString());
            } else {
                log.error("Node {} could not {}", config.name(), part, cause);
            }
            return null;
        }
        log.info("Started node {} in {} ms: HTTP {}:{}, AJP {}:{}, admin http://{}:{}/status", config.name(),
                (System.nanoTime() - t0) / 1_000_000, config.http().address().getHostAddress(), node.httpPort(),
                config.ajp().address().getHostAddress(), node.ajpPort(),
                config.admin().address().getHostAddress(), admin.port());
        if (config.ajpSecret().source() == AjpSecret.Source.GENERATED && config.dispatcher() != DispatcherMode.NEVER) {
            log.warn("This node may run the HTTP front, but its AJP secret is generated for this start: the front "
                    + "cannot forward to other nodes until secret.file (or the same ajp.secret) is set on every node");
        }
        return new RunningNode(config, node, admin, life, log);
    }

    /** A port below 1024: bound before the node gives up root. */
    private static boolean privileged(NodeConfig.Endpoint endpoint) {
        return endpoint.port() > 0 && endpoint.port() < PRIVILEGED_PORTS;
    }

    /** Weight and activation changed through the admin API outlive a restart. */
    private static void keepAdminChanges(NodeConfig config, ClusterNode cluster, Logger log) {
        AdminStateFile adminState = new AdminStateFile(config.workDir());
        adminState.load().ifPresent(kept -> {
            log.info("Weight {} and activation {} kept from the admin API ({}) instead of the configured {} and {}",
                    kept.weight(), kept.activation().name().toLowerCase(java.util.Locale.ROOT), adminState.path(),
                    config.weight(), config.activation().name().toLowerCase(java.util.Locale.ROOT));
            cluster.membership().update(r -> r.withWeight(kept.weight()).withActivation(kept.activation()));
        });
        cluster.membership().onAdminChange(adminState::save);
    }

    /** Where the members (any of them may run the front) connect from: the hosts their records name. */
    private static java.util.Set<java.net.InetAddress> memberAddresses(io.herdcat.cluster.ClusterView view) {
        java.util.Set<java.net.InetAddress> addresses = new java.util.HashSet<>();
        for (NodeRecord r : view.records()) {
            for (String host : List.of(r.ajpHost(), r.httpHost(), r.tribesHost())) {
                try {
                    if (!host.isEmpty()) {
                        addresses.add(java.net.InetAddress.getByName(host));
                    }
                } catch (java.net.UnknownHostException e) {
                    // records carry address literals; a name that does not resolve is no member's address
                }
            }
        }
        return addresses;
    }

    private static List<NodeRecord.Webapp> webapps(TomcatNode node) {
        return node.status().webapps().stream()
                .map(w -> new NodeRecord.Webapp(w.path(), w.version() == null ? "" : w.version()))
                .toList();
    }

    /**
     * Logback gets the node name for every line; Tomcat's java.util.logging goes through SLF4J too.
     * Logback's servlet initializer stays out of the webapps: it would stop the node's logging for good
     * when any webapp stops (an undeploy, a redeploy, an upgrade).
     */
    private static void routeLogging(String nodeName) {
        System.setProperty("logbackDisableServletContainerInitializer", "true");
        System.setProperty("herdcat.node", nodeName);
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();
    }
}
