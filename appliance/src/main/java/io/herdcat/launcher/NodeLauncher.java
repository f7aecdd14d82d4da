package io.herdcat.launcher;

import io.herdcat.admin.AdminServer;
import io.herdcat.cluster.ClusterNode;
import io.herdcat.cluster.NodeRecord;
import io.herdcat.dispatcher.FrontService;
import io.herdcat.metrics.NodeMetrics;
import io.herdcat.config.AjpSecret;
import io.herdcat.config.ConfigException;
import io.herdcat.config.ConfigSources;
import io.herdcat.config.DispatcherMode;
import io.herdcat.config.HostName;
import io.herdcat.config.NodeConfig;
import io.herdcat.config.Setting;
import io.herdcat.node.TomcatNode;
import io.herdcat.node.Versions;
import io.herdcat.privilege.NodePrivileges;
import java.io.IOException;
import java.net.BindException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * Runs one node: validate the configuration and check its ports (nothing starts on a mistake), open
 * the admin port, start Tomcat, announce readiness, then wait for SIGTERM and stop gracefully.
 */
final class NodeLauncher {
    private final Map<Setting, String> flags;
    private final Map<String, String> env;
    private final Path workingDir;

    NodeLauncher(Map<Setting, String> flags, Map<String, String> env, Path workingDir) {
        this.flags = flags;
        this.env = env;
        this.workingDir = workingDir;
    }

    /** A started node with its admin port. */
    record RunningNode(NodeConfig config, TomcatNode node, AdminServer admin, ClusterNode cluster, FrontService front,
                       Logger log) {
        /**
         * Announces the stop first, so the fronts send this node nothing new and the election moves; hands
         * the front over if it runs here and lets its requests in flight finish; then lets Tomcat finish its
         * own; all within one {@code shutdown.timeout}.
         */
        void stop() {
            long deadline = System.nanoTime() + config.shutdownTimeout().toNanos();
            step("announcing the stop", () -> {
                admin.stopping();
                cluster.stopping();
            });
            step("handing the HTTP front over", () -> front.stop(left(deadline)));
            step("stopping Tomcat", () -> node.stop(left(deadline)));
            step("leaving the cluster", cluster::close);
            step("closing the admin port", admin::stop);
            log.info("Stopped node {}", config.name());
        }

        private static java.time.Duration left(long deadlineNanos) {
            return java.time.Duration.ofNanos(Math.max(0, deadlineNanos - System.nanoTime()));
        }

        /** Each step of a stop runs even when an earlier one failed. */
        private void step(String what, Runnable action) {
            try {
                action.run();
            } catch (RuntimeException e) {
                log.warn("Stopping node {}: {} failed", config.name(), what, e);
            }
        }
    }

    int run() {
        ShutdownSignal shutdown = new ShutdownSignal().onSignals();
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
        return Main.OK;
    }

    /** Starts the node; null when it failed at run time (logged). Configuration mistakes throw. */
    RunningNode start() {
        long t0 = System.nanoTime();
        NodeConfig config = NodeConfig.from(ConfigSources.gather(flags, env, workingDir), HostName.get(), workingDir);
        PortCheck.requireFree(config.endpoints());
        routeLogging(config.name());
        NodePrivileges privileges = NodePrivileges.forNode(config);
        Logger log = LoggerFactory.getLogger(NodeLauncher.class);
        log.info("Starting node {} (Herdcat {}, Tomcat {}), webapps {}", config.name(), Versions.herdcat(),
                Versions.tomcat(), config.webapps());
        if (config.ajpSecret().source() == AjpSecret.Source.GENERATED) {
            log.info("AJP secret generated for this start: no front can forward to this node until ajp.secret "
                    + "or secret.file is set");
        }

        ClusterNode cluster = new ClusterNode(config, Versions.herdcat(), Versions.tomcat());
        AdminStateFile adminState = new AdminStateFile(config.workDir());
        adminState.load().ifPresent(kept -> {
            log.info("Weight {} and activation {} kept from the admin API ({}) instead of the configured {} and {}",
                    kept.weight(), kept.activation().name().toLowerCase(java.util.Locale.ROOT), adminState.path(),
                    config.weight(), config.activation().name().toLowerCase(java.util.Locale.ROOT));
            cluster.membership().update(r -> r.withWeight(kept.weight()).withActivation(kept.activation()));
        });
        cluster.membership().onAdminChange(adminState::save);
        TomcatNode node = new TomcatNode(config, cluster.tomcatCluster());
        AdminServer admin = new AdminServer(config, node::status, cluster);
        try {
            admin.start();
        } catch (BindException e) {
            throw PortCheck.inUse(config.admin());
        } catch (IOException e) {
            log.error("Cannot open the admin port: {}", e.toString());
            return null;
        }
        // join the cluster while Tomcat initialises (after the drop of root, if any: nothing of the cluster
        // runs as root); its webapps start only once the members are known
        CompletableFuture<Void> joined = privileges.drops() ? null : join(cluster);
        try {
            node.init();
            privileges.drop();
        } catch (ConfigException e) {
            throw e;
        } catch (Exception e) {
            log.error("Node {} failed to initialise", config.name(), e);
            if (joined != null) {
                joined.handle((x, t) -> null).join();
            }
            cluster.close();
            admin.stop();
            return null;
        }
        if (joined == null) {
            joined = join(cluster);
        }
        try {
            joinedOrThrow(joined);
        } catch (SecurityException e) {
            log.error("Cluster {} refused this node ({}): secret.file must be the same on every node",
                    config.cluster().name(), e.getMessage());
            admin.stop();
            cluster.close();
            return null;
        } catch (Exception e) {
            log.error("Cannot join cluster {}: {}", config.cluster().name(), e.toString());
            admin.stop();
            cluster.close();
            return null;
        }
        try {
            node.start();
            node.onWebappsChanged(() -> cluster.webappsChanged(webapps(node)));
            cluster.ready(node.ajpPort(), node.httpPort(), admin.port(), webapps(node));
            if (config.readyFile() != null) {
                ReadyFile.write(config.readyFile(), config.name(), node.httpPort(), node.ajpPort(), admin.port());
            }
        } catch (Exception e) {
            log.error("Node {} failed to start", config.name(), e);
            cluster.close();
            admin.stop();
            return null;
        }
        log.info("Started node {} in {} ms: HTTP {}:{}, AJP {}:{}, admin http://{}:{}/status", config.name(),
                (System.nanoTime() - t0) / 1_000_000, config.http().address().getHostAddress(), node.httpPort(),
                config.ajp().address().getHostAddress(), node.ajpPort(),
                config.admin().address().getHostAddress(), admin.port());
        FrontService front = new FrontService(config, privileges.listenSockets());
        admin.front(front::snapshot);
        NodeMetrics metrics = new NodeMetrics(node, cluster, front);
        admin.metrics(metrics::scrape);
        cluster.membership().onResetCounters(front::resetCounters);
        StatsPublisher stats = new StatsPublisher(cluster.membership(), node, front);
        front.onClose(stats::close);
        cluster.addListener(front);
        front.clusterChanged(cluster.view());
        if (config.ajpSecret().source() == AjpSecret.Source.GENERATED && config.dispatcher() != DispatcherMode.NEVER) {
            log.warn("This node may run the HTTP front, but its AJP secret is generated for this start: the front "
                    + "cannot forward to other nodes until secret.file (or the same ajp.secret) is set on every node");
        }
        return new RunningNode(config, node, admin, cluster, front, log);
    }

    private static CompletableFuture<Void> join(ClusterNode cluster) {
        return CompletableFuture.runAsync(() -> {
            try {
                cluster.join();
            } catch (Exception e) {
                throw new CompletionException(e);
            }
        });
    }

    private static void joinedOrThrow(CompletableFuture<Void> joined) throws Exception {
        try {
            joined.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        }
    }

    private static List<NodeRecord.Webapp> webapps(TomcatNode node) {
        return node.status().webapps().stream()
                .map(w -> new NodeRecord.Webapp(w.path(), w.version() == null ? "" : w.version()))
                .toList();
    }

    /** Logback gets the node name for every line; Tomcat's java.util.logging goes through SLF4J too. */
    private static void routeLogging(String nodeName) {
        System.setProperty("herdcat.node", nodeName);
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();
    }
}
