package io.herdcat.upgrade;

import io.herdcat.cluster.ClusterListener;
import io.herdcat.cluster.ClusterMembership;
import io.herdcat.cluster.ClusterView;
import io.herdcat.node.TomcatNode;
import io.herdcat.upgrade.UpgradeStatus.State;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rolling upgrades on this node: its {@link UpgradeAgent}, which every node runs, and — when an upload
 * is accepted here — the {@link RollingUpgrade} it coordinates. One upgrade at a time cluster-wide: an
 * upgrade that any node has announced as running refuses the next with 409. When the coordinator of a
 * running upgrade leaves the cluster, the first member of the new view takes the coordination over
 * (every node staged the WAR and heard every step), so the upgrade ends, one way or the other. With
 * {@code deploy.cluster} it also runs the webapps folder's watcher, and serves (and, before Tomcat
 * starts, asks a member for) the cluster's WARs.
 */
public final class ClusterUpgrades implements Upgrades, ClusterListener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterUpgrades.class);
    /** How long a freshly deployed webapp has to answer its health check. */
    private static final Duration HEALTH_WITHIN = Duration.ofSeconds(15);

    private final String self;
    private final ClusterMembership membership;
    private final Path staging;
    private final Duration drainTimeout;
    private final UpgradeChannel channel;
    private final UpgradeAgent agent;
    private final TomcatNode tomcat;
    private final WarLedger ledger = new WarLedger();
    private final WarSource source;
    private final JoinSync joinSync;
    private volatile WebappsWatcher watcher;
    private volatile RollingUpgrade coordinating;

    /**
     * @param staging      this node's folder for staged WARs (under its work folder)
     * @param drainTimeout how long a node waits for its requests in flight before it deploys
     */
    public ClusterUpgrades(String self, ClusterMembership membership, TomcatNode tomcat, Path staging,
                           Duration drainTimeout) {
        this.self = self;
        this.membership = membership;
        this.staging = staging;
        this.drainTimeout = drainTimeout;
        this.tomcat = tomcat;
        this.channel = new UpgradeChannel(self, membership);
        this.agent = new UpgradeAgent(self, tomcat, staging, drainTimeout,
                new HealthCheck(tomcat.httpHost(), tomcat::httpPort, HEALTH_WITHIN), channel, ledger);
        this.source = new WarSource(self, channel, ledger, () -> tomcat.deployer().webappsFolder(),
                () -> watcher != null);
        this.joinSync = new JoinSync(self, membership, channel, () -> tomcat.deployer().webappsFolder(),
                staging.resolveSibling("deploy"));
        channel.onMessage((from, m) -> {
            RollingUpgrade c = coordinating;
            if ((c == null || !c.offer(from, m)) && !agent.offer(from, m) && !source.offer(from, m)
                    && !joinSync.offer(from, m)) {
                LOG.debug("{}: upgrade message {} from {} is for no upgrade here", self, m.kind(), from);
            }
        });
    }

    @Override
    public synchronized UpgradeStatus start(WarFile war, Path file, String healthPath) throws UpgradeRefused {
        List<String> plan = requireRollable("upgrade");
        String id = UUID.randomUUID().toString().substring(0, 13);
        Path upload;
        try {
            Files.createDirectories(staging);
            upload = staging.resolve(id + ".upload");
            Files.move(file, upload, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UpgradeRefused(500, "cannot keep the upload: " + e.getMessage());
        }
        RollingUpgrade upgrade = new RollingUpgrade(id, war, upload, healthPath == null ? "" : healthPath, membership,
                channel, drainTimeout, plan);
        coordinating = upgrade;
        LOG.info("{}: upgrade {}: rolling {} ({} bytes, sha256 {}) through {}", self, id, war.fileName(), war.size(),
                war.sha256(), String.join(", ", plan));
        Thread t = new Thread(upgrade, "herdcat-upgrade-" + id);
        t.setDaemon(true);
        t.start();
        return upgrade.status();
    }

    @Override
    public synchronized UpgradeStatus restart(Set<String> only) throws UpgradeRefused {
        UpgradeStatus now = status();
        if (now.running()) {
            throw new UpgradeRefused(409, (now.restart() ? "rolling restart " : "upgrade ") + now.id() + " is running"
                    + " (coordinated by " + now.coordinator() + "); wait for it to end");
        }
        requireEveryNodeReady("restart");
        List<String> everyNode = RollOrder.restart(membership.view(), self);
        if (everyNode.size() < 2) {
            throw new UpgradeRefused(503, "a rolling restart needs at least two ready nodes (one serves while another"
                    + " restarts); the cluster has " + everyNode.size());
        }
        List<String> strangers = only.stream().filter(n -> !everyNode.contains(n)).sorted().toList();
        if (!strangers.isEmpty()) {
            throw new UpgradeRefused(400, "no node " + String.join(", ", strangers) + " in the cluster (its nodes: "
                    + String.join(", ", everyNode) + ")");
        }
        List<String> plan = only.isEmpty() ? everyNode : everyNode.stream().filter(only::contains).toList();
        String id = UUID.randomUUID().toString().substring(0, 13);
        RollingUpgrade upgrade = RollingUpgrade.restart(id, membership, channel, drainTimeout, plan);
        coordinating = upgrade;
        LOG.info("{}: rolling restart {} through {}", self, id, String.join(", ", plan));
        Thread t = new Thread(upgrade, "herdcat-restart-" + id);
        t.setDaemon(true);
        t.start();
        return upgrade.status();
    }

    @Override
    public synchronized UpgradeStatus undeploy(String fileName) throws UpgradeRefused {
        if (!WarFile.validName(fileName)) {
            throw new UpgradeRefused(400, "'" + fileName + "' is not a WAR file name");
        }
        List<String> plan = requireRollable("undeploy");
        String id = UUID.randomUUID().toString().substring(0, 13);
        RollingUpgrade undeploy = RollingUpgrade.undeploy(id, fileName, membership, channel, drainTimeout, plan);
        coordinating = undeploy;
        LOG.info("{}: undeploy {}: removing {} from {}", self, id, fileName, String.join(", ", plan));
        Thread t = new Thread(undeploy, "herdcat-undeploy-" + id);
        t.setDaemon(true);
        t.start();
        return undeploy.status();
    }

    /** The plan of a new roll; refused when one runs, a node is not ready, or too few nodes are. */
    private List<String> requireRollable(String what) throws UpgradeRefused {
        UpgradeStatus now = status();
        if (now.running()) {
            throw new UpgradeRefused(409, "upgrade " + now.id() + " of " + now.war() + " is running (coordinated by "
                    + now.coordinator() + "); wait for it to end");
        }
        requireEveryNodeReady(what);
        List<String> plan = RollOrder.upgrade(membership.view());
        if (plan.size() < 2) {
            throw new UpgradeRefused(503, "a rolling " + what + " needs at least two ready nodes (one serves while"
                    + " another is " + (what.equals("upgrade") ? "upgraded" : "changed") + "); the cluster has "
                    + plan.size());
        }
        return plan;
    }

    /**
     * Before Tomcat starts on a node with {@code deploy.cluster}: takes the WARs the cluster runs from a
     * ready member (see {@link JoinSync}).
     */
    public void takeClusterWars() throws InterruptedException {
        joinSync.run();
    }

    /**
     * Starts watching the webapps folder (once Tomcat runs): a WAR dropped in, replaced or deleted is
     * rolled through the cluster ({@code deploy.cluster}).
     */
    public void watchWebapps(Duration interval) {
        WebappsWatcher w = new WebappsWatcher(self, tomcat.deployer(), ledger, this,
                () -> membership.view().memberNames().size(), staging.resolveSibling("deploy"), interval);
        w.start();
        watcher = w;
    }

    /** A node not ready yet (or stopping) would be left out of the roll: the cluster would end on two versions. */
    private void requireEveryNodeReady(String what) throws UpgradeRefused {
        ClusterView view = membership.view();
        List<String> notReady = view.records().stream().filter(r -> r.phase() != io.herdcat.cluster.NodeRecord.Phase.READY)
                .map(r -> r.name() + " (" + r.phase().name().toLowerCase(java.util.Locale.ROOT) + ")").toList();
        if (!notReady.isEmpty() || view.records().size() < view.memberNames().size()) {
            throw new UpgradeRefused(503, "not every node is ready" + (notReady.isEmpty() ? "" : ": "
                    + String.join(", ", notReady)) + "; a rolling " + what + " starts once every member is");
        }
    }

    /** How this node stops so that its supervisor starts it again (a rolling restart reaching it). */
    public void onRestart(Runnable restart) {
        agent.onRestart(restart);
    }

    @Override
    public void clusterChanged(ClusterView view) {
        UpgradeStatus last = agent.latest();
        RollingUpgrade mine = coordinating;
        if (mine != null) {
            mine.republish();
        }
        if (!last.running() || mine != null && mine.status().id().equals(last.id())
                || view.memberNames().contains(last.coordinator()) || view.memberNames().isEmpty()
                || !self.equals(view.memberNames().get(0))) {
            return;
        }
        UpgradeMessage.Begin begin = agent.begun(last.id());
        if (begin == null && !last.restart()) {
            LOG.warn("{}: upgrade {} lost its coordinator {}, but its WAR is not staged here; it cannot go on",
                    self, last.id(), last.coordinator());
            return;
        }
        synchronized (this) {
            if (coordinating != null && coordinating.status().id().equals(last.id())) {
                return;
            }
            RollingUpgrade resumed = new RollingUpgrade(last, begin, new HashSet<>(view.memberNames()), membership,
                    channel, drainTimeout);
            coordinating = resumed;
            LOG.info("{}: upgrade {}: coordinator {} left the cluster; this node takes the upgrade over", self,
                    last.id(), last.coordinator());
            Thread t = new Thread(resumed, "herdcat-upgrade-" + last.id());
            t.setDaemon(true);
            t.start();
        }
    }

    @Override
    public UpgradeStatus status() {
        RollingUpgrade c = coordinating;
        if (c != null && c.status().state() == State.RUNNING) {
            return c.status();
        }
        UpgradeStatus latest = agent.latest();
        return c != null && latest.id().equals(c.status().id()) ? c.status() : latest;
    }

    @Override
    public void close() {
        WebappsWatcher w = watcher;
        if (w != null) {
            w.close();
        }
        source.close();
        agent.close();
    }
}
