package io.herdcat.upgrade;

import io.herdcat.node.WebappDeployer;
import io.herdcat.upgrade.Upgrades.UpgradeRefused;
import io.herdcat.upgrade.WarChanges.Change;
import io.herdcat.upgrade.WarChanges.Stamp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster-wide deploy ({@code deploy.cluster}): scans this node's webapps folder every
 * {@code deploy.scan.interval} and rolls what the operator changed through the cluster — a new or
 * replaced WAR as a rolling upgrade (health path: the context root), a deleted one as a rolling
 * undeploy — one change at a time, none while any roll runs (it is tried again once that one ends).
 * A node alone in its cluster deploys or undeploys the change itself (there is no one to roll to); a
 * cluster with a node not ready yet is asked again next scan. A change some other node already rolled
 * (nodes sharing one folder all see the same drop) is not rolled again. Each decision is logged once.
 */
final class WebappsWatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WebappsWatcher.class);
    private static final Duration LOCAL_TIMEOUT = Duration.ofMinutes(3);

    /** The roll this node started for a change, until it ends. */
    private record Pending(String id, Change change) {
    }

    private final String self;
    private final WebappDeployer deployer;
    private final Path folder;
    private final WarLedger ledger;
    private final Upgrades upgrades;
    private final IntSupplier members;
    private final Path deployDir;
    private final Duration interval;
    private final WarChanges changes;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            new io.netty.util.concurrent.DefaultThreadFactory("herdcat-webapps-watcher", true));
    /** What was last logged for a change that waits, so a wait is logged once, not every scan. */
    private final Map<String, String> told = new HashMap<>();
    private Pending pending;

    /** @param members how many members the cluster has now, this node included */
    WebappsWatcher(String self, WebappDeployer deployer, WarLedger ledger, Upgrades upgrades, IntSupplier members,
                   Path deployDir, Duration interval) {
        this.self = self;
        this.deployer = deployer;
        this.folder = deployer.webappsFolder();
        this.ledger = ledger;
        this.upgrades = upgrades;
        this.members = members;
        this.deployDir = deployDir;
        this.interval = interval;
        this.changes = new WarChanges(ledger);
    }

    /** Records what the folder holds now (Tomcat deployed it on start), then scans every interval. */
    void start() {
        try {
            for (Map.Entry<String, Stamp> e : stamps().entrySet()) {
                ledger.record(e.getKey(), folder.resolve(e.getKey()));
            }
        } catch (IOException e) {
            LOG.warn("{}: cannot read the webapps folder {}: {}", self, folder, e.toString());
        }
        LOG.info("{}: deploy.cluster: a WAR dropped into or deleted from {} is rolled through the cluster ({} WAR(s)"
                + " deployed now)", self, folder, ledger.snapshot().size());
        timer.scheduleWithFixedDelay(this::scanSafely, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void scanSafely() {
        try {
            scan();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            LOG.warn("{}: scanning the webapps folder failed: {}", self, e.toString());
        }
    }

    private void scan() throws IOException, InterruptedException {
        UpgradeStatus status = upgrades.status();
        if (pending != null) {
            if (status.id().equals(pending.id()) && status.running()) {
                return;
            }
            ended(pending, status);
            pending = null;
        }
        List<Change> found = changes.scan(stamps(), name -> WarFile.sha256(folder.resolve(name)));
        if (status.running()) {
            found.forEach(c -> tell(c, "waits for upgrade " + status.id() + " of " + status.war() + " to end"));
            return;
        }
        for (Change c : found) {
            if (roll(c, status)) {
                return; // one roll at a time
            }
        }
    }

    /** Rolls (or applies here) one change; true when a roll started. */
    private boolean roll(Change c, UpgradeStatus last) throws IOException, InterruptedException {
        if (last.war().equals(c.fileName()) && !last.id().isEmpty()
                && (c.removed() ? last.sha256().isEmpty() : last.sha256().equals(c.sha256()))) {
            LOG.info("{}: {} {} was rolled already by {} (upgrade {}, {}); not rolled again", self, c.fileName(),
                    c.removed() ? "removal" : "version " + c.sha256().substring(0, 12), last.coordinator(), last.id(),
                    last.state().text());
            if (last.state() == UpgradeStatus.State.DONE) {
                settle(c);
            } else {
                changes.ignore(c);
            }
            return false;
        }
        Path copy = null;
        try {
            UpgradeStatus started;
            if (c.removed()) {
                started = upgrades.undeploy(c.fileName());
            } else {
                copy = Files.createDirectories(deployDir).resolve(c.fileName() + ".drop");
                Files.copy(folder.resolve(c.fileName()), copy, StandardCopyOption.REPLACE_EXISTING);
                WarFile war = WarFile.check(copy, c.fileName());
                if (!war.sha256().equals(c.sha256())) {
                    return false; // changed again while copied: next scan
                }
                started = upgrades.start(war, copy, "");
                copy = null;
            }
            pending = new Pending(started.id(), c);
            told.remove(c.fileName());
            LOG.info("{}: {} {} in {}: rolling it through the cluster (upgrade {})", self, c.fileName(),
                    c.removed() ? "was deleted" : "is new or changed", folder, started.id());
            return true;
        } catch (WarFile.NotAWar e) {
            changes.ignore(c);
            LOG.warn("{}: {} in {} is not deployed anywhere: {}; a new copy is looked at again", self, c.fileName(),
                    folder, e.getMessage());
            return false;
        } catch (UpgradeRefused e) {
            if (e.status() == 503 && members.getAsInt() <= 1) {
                applyHere(c);
            } else {
                tell(c, "waits: " + e.getMessage());
            }
            return false;
        } finally {
            if (copy != null) {
                Files.deleteIfExists(copy);
            }
        }
    }

    /** Alone in the cluster: the change is deployed (or undeployed) on this node only. */
    private void applyHere(Change c) throws InterruptedException {
        try {
            deployer.apply(c.fileName(), LOCAL_TIMEOUT);
            LOG.info("{}: {} {} on this node, the only member of the cluster", self, c.fileName(),
                    c.removed() ? "undeployed" : "deployed");
            settle(c);
        } catch (WebappDeployer.DeployFailed e) {
            LOG.warn("{}: {} on this node, the only member of the cluster: {}; a new copy is tried again", self,
                    c.fileName(), e.getMessage());
            told.remove(c.fileName());
            changes.ignore(c);
        }
    }

    /**
     * A roll this node started ended, said once. Done: what the folder holds is what the node runs. Else
     * the change is left alone until the operator copies the file anew (or deletes it again).
     */
    private void ended(Pending p, UpgradeStatus status) {
        if (status.id().equals(p.id()) && status.state() == UpgradeStatus.State.DONE) {
            LOG.info("{}: {} rolled through the cluster: {}", self, p.change().fileName(), status.message());
            settle(p.change());
        } else {
            LOG.warn("{}: rolling {} through the cluster ended {}: {}; {}", self, p.change().fileName(),
                    status.id().equals(p.id()) ? status.state().text() : "unheard of", status.message(),
                    p.change().removed() ? "not tried again unless the WAR comes back and is deleted again"
                            : "not tried again until a new copy of the WAR is put in place");
            changes.ignore(p.change());
        }
    }

    /** Records the folder's file as this node's, so the change is not taken again. */
    private void settle(Change c) {
        told.remove(c.fileName());
        Path file = folder.resolve(c.fileName());
        try {
            if (Files.exists(file)) {
                ledger.record(c.fileName(), file);
            } else {
                ledger.forget(c.fileName());
            }
        } catch (IOException e) {
            LOG.warn("{}: cannot read {}: {}", self, file, e.toString());
        }
    }

    private void tell(Change c, String what) {
        if (!what.equals(told.put(c.fileName(), what))) {
            LOG.info("{}: {} {} {}", self, c.fileName(), c.removed() ? "(deleted)" : "(new or changed)", what);
        }
    }

    /** Size and modification time of every WAR in the folder (not folders, not hidden or oddly named files). */
    private Map<String, Stamp> stamps() throws IOException {
        Map<String, Stamp> now = new HashMap<>();
        try (Stream<Path> files = Files.list(folder)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                String name = f.getFileName().toString();
                if (WarFile.validName(name) && Files.isRegularFile(f)) {
                    try {
                        now.put(name, new Stamp(Files.size(f), Files.getLastModifiedTime(f).toMillis()));
                    } catch (java.nio.file.NoSuchFileException gone) {
                        // deleted between the listing and now: missing from this scan
                    }
                }
            }
        }
        return now;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
