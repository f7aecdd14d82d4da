package io.herdcat.upgrade;

import io.herdcat.node.RequestCounts;
import io.herdcat.node.TomcatNode;
import io.herdcat.node.WebappDeployer;
import io.herdcat.upgrade.UpgradeMessage.Begin;
import io.herdcat.upgrade.UpgradeMessage.Chunk;
import io.herdcat.upgrade.UpgradeMessage.Deploy;
import io.herdcat.upgrade.UpgradeMessage.End;
import io.herdcat.upgrade.UpgradeMessage.Progress;
import io.herdcat.upgrade.UpgradeMessage.Result;
import io.herdcat.upgrade.UpgradeMessage.Revert;
import io.herdcat.upgrade.UpgradeMessage.Staged;
import io.herdcat.upgrade.UpgradeMessage.StatusMsg;
import io.herdcat.upgrade.UpgradeStatus.Step;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's part in rolling upgrades, on one thread of its own: it receives the staged WAR (checked
 * against its size and SHA-256), and when the coordinator asks, drains, keeps a copy of what the webapps
 * folder held under that name, deploys the new WAR (or, for a rolling undeploy, removes the webapp),
 * checks its health path directly on this node, and — when the check fails — goes back to the copy by
 * itself before it answers. What it puts into the folder it records in the {@link WarLedger}, so the
 * cluster-wide deploy's watcher does not take it for the operator's drop. It also keeps the last
 * status the coordinator sent, so every node answers {@code GET /upgrade} the same.
 */
final class UpgradeAgent implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(UpgradeAgent.class);
    private static final Duration DEPLOY_TIMEOUT = Duration.ofMinutes(3);
    /** A node is drained once nothing is in flight and no request arrived for this long. */
    private static final Duration QUIET = Duration.ofSeconds(1);

    private final String self;
    private final TomcatNode tomcat;
    private final Path staging;
    private final Duration drainTimeout;
    private final HealthCheck health;
    private final UpgradeChannel channel;
    private final WarLedger ledger;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(
            new io.netty.util.concurrent.DefaultThreadFactory("herdcat-upgrade-agent", true));
    private volatile UpgradeStatus latest = UpgradeStatus.idle();
    private volatile Runnable restart = () -> LOG.warn("this node cannot restart itself");
    /** The last upgrade whose WAR this node staged, for a node that takes the coordination over. */
    private volatile Begin lastStaged;
    private Receiving receiving;

    /** The WAR arriving for upgrade {@code id}. */
    private record Receiving(Begin begin, String coordinator, Path part, OutputStream out, MessageDigest digest,
                             long[] written) {
        String id() {
            return begin.id();
        }

        long size() {
            return begin.size();
        }
    }

    UpgradeAgent(String self, TomcatNode tomcat, Path staging, Duration drainTimeout, HealthCheck health,
                 UpgradeChannel channel, WarLedger ledger) {
        this.self = self;
        this.ledger = ledger;
        this.tomcat = tomcat;
        this.staging = staging;
        this.drainTimeout = drainTimeout;
        this.health = health;
        this.channel = channel;
    }

    UpgradeStatus latest() {
        return latest;
    }

    /** How this node stops so that its supervisor starts it again. */
    void onRestart(Runnable restart) {
        this.restart = restart;
    }

    /** What upgrade {@code id} is rolling, when this node staged its WAR whole; else null. */
    Begin begun(String id) {
        Begin b = lastStaged;
        return b != null && b.id().equals(id) ? b : null;
    }

    /** Takes a message for the agent (any thread); false when it is not one. */
    boolean offer(String from, UpgradeMessage m) {
        if (m instanceof StatusMsg s) {
            latest = s.status();
            if (!s.status().running() && !s.status().id().isEmpty()) {
                worker.execute(() -> forget(s.status().id()));
            }
            return true;
        }
        if (m instanceof Begin || m instanceof Chunk || m instanceof End || m instanceof Deploy || m instanceof Revert
                || m instanceof UpgradeMessage.Restart) {
            worker.execute(() -> handle(from, m));
            return true;
        }
        return false;
    }

    private void handle(String from, UpgradeMessage m) {
        try {
            if (m instanceof Begin b) {
                begin(from, b);
            } else if (m instanceof Chunk c) {
                chunk(c);
            } else if (m instanceof End e) {
                end(e);
            } else if (m instanceof Deploy d) {
                deploy(from, d);
            } else if (m instanceof Revert r) {
                revert(from, r);
            } else if (m instanceof UpgradeMessage.Restart r) {
                channel.send(from, new Progress(r.id(), self, Step.DRAINING));
                drain();
                channel.send(from, new Progress(r.id(), self, Step.RESTARTING));
                LOG.info("{}: rolling restart {}: stopping to be started again", self, r.id());
                restart.run();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.warn("{}: upgrade message {} failed", self, m.kind(), e);
        }
    }

    private void begin(String from, Begin b) {
        abandon();
        if (!WarFile.validName(b.fileName()) || !b.id().matches("[A-Za-z0-9-]{1,64}")) {
            channel.send(from, new Staged(b.id(), self, false, "refused the WAR's name " + b.fileName(), ""));
            return;
        }
        if (b.undeploy()) {
            try {
                Files.createDirectories(staging);
                Files.writeString(staging.resolve(b.id() + ".name"), b.fileName());
                lastStaged = b;
                LOG.info("{}: undeploy {}: ready to remove {}", self, b.id(), b.fileName());
                channel.send(from, new Staged(b.id(), self, true, "", webappsFolder()));
            } catch (IOException e) {
                channel.send(from, new Staged(b.id(), self, false, "cannot stage the undeploy: " + e, ""));
            }
            return;
        }
        try {
            Files.createDirectories(staging);
            Path part = staging.resolve(b.id() + ".part");
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            OutputStream out = new DigestOutputStream(Files.newOutputStream(part), digest);
            receiving = new Receiving(b, from, part, out, digest, new long[1]);
        } catch (IOException | NoSuchAlgorithmException e) {
            channel.send(from, new Staged(b.id(), self, false, "cannot stage the WAR: " + e, ""));
        }
    }

    private void chunk(Chunk c) {
        Receiving r = receiving;
        if (r == null || !r.id().equals(c.id())) {
            return;
        }
        try {
            if (c.offset() != r.written()[0] || r.written()[0] + c.bytes().length > r.size()) {
                throw new IOException("chunk at " + c.offset() + " after " + r.written()[0] + " bytes");
            }
            r.out().write(c.bytes());
            r.written()[0] += c.bytes().length;
        } catch (IOException e) {
            abandon();
            channel.send(r.coordinator(), new Staged(r.id(), self, false, "cannot stage the WAR: " + e.getMessage(), ""));
        }
    }

    private void end(End e) {
        Receiving r = receiving;
        if (r == null || !r.id().equals(e.id())) {
            return;
        }
        receiving = null;
        try {
            r.out().close();
            String sha = HexFormat.of().formatHex(r.digest().digest());
            if (r.written()[0] != r.size() || !sha.equals(r.begin().sha256())) {
                Files.deleteIfExists(r.part());
                channel.send(r.coordinator(), new Staged(r.id(), self, false, "the staged WAR differs from the upload ("
                        + r.written()[0] + " of " + r.size() + " bytes)", ""));
                return;
            }
            Files.move(r.part(), staged(r.id()), StandardCopyOption.REPLACE_EXISTING);
            Files.writeString(staging.resolve(r.id() + ".name"), r.begin().fileName());
            lastStaged = r.begin();
            LOG.info("{}: upgrade {}: {} staged ({} bytes)", self, r.id(), r.begin().fileName(), r.size());
            channel.send(r.coordinator(), new Staged(r.id(), self, true, "", webappsFolder()));
        } catch (IOException ex) {
            channel.send(r.coordinator(), new Staged(r.id(), self, false, "cannot stage the WAR: " + ex, ""));
        }
    }

    private void deploy(String from, Deploy d) throws InterruptedException {
        String fileName;
        try {
            fileName = Files.readString(staging.resolve(d.id() + ".name"));
        } catch (IOException e) {
            channel.send(from, new Result(d.id(), self, false, true, "nothing staged for upgrade " + d.id()));
            return;
        }
        WebappDeployer deployer = tomcat.deployer();
        Path current = deployer.webappsFolder().resolve(fileName);
        Path previous = staging.resolve(d.id() + ".previous");
        channel.send(from, new Progress(d.id(), self, Step.DRAINING));
        drain();
        Path none = staging.resolve(d.id() + ".none");
        try {
            // asked twice (a new coordinator took over): what it replaced the first time stays what it goes back to
            boolean first = !Files.exists(previous) && !Files.exists(none);
            if (first && Files.exists(current)) {
                Files.copy(current, previous, StandardCopyOption.REPLACE_EXISTING);
            } else if (first) {
                Files.writeString(none, "");
            }
            if (d.undeploy()) {
                channel.send(from, new Progress(d.id(), self, Step.UNDEPLOYING));
                LOG.info("{}: undeploy {}: removing {}", self, d.id(), fileName);
                ledger.forget(fileName);
                deployer.remove(fileName, DEPLOY_TIMEOUT);
                channel.send(from, new Result(d.id(), self, true, false, ""));
                return;
            }
            channel.send(from, new Progress(d.id(), self, Step.DEPLOYING));
            String sha = WarFile.sha256(staged(d.id()));
            ledger.record(fileName, new WarLedger.Entry(sha, Files.size(staged(d.id())), -1));
            if (Files.exists(current) && WarFile.sha256(current).equals(sha)) {
                // in the folder already (dropped there, or a deploy asked twice): the webapp must run it
                LOG.info("{}: upgrade {}: {} is in the webapps folder already", self, d.id(), fileName);
                deployer.apply(fileName, DEPLOY_TIMEOUT);
            } else {
                LOG.info("{}: upgrade {}: deploying {}", self, d.id(), fileName);
                deployer.install(staged(d.id()), fileName, DEPLOY_TIMEOUT);
            }
            ledger.record(fileName, current);
            channel.send(from, new Progress(d.id(), self, Step.CHECKING));
            String unhealthy = health.check(WarFile.contextPath(fileName), d.healthPath());
            if (unhealthy == null) {
                LOG.info("{}: upgrade {}: {} deployed and healthy", self, d.id(), fileName);
                channel.send(from, new Result(d.id(), self, true, false, ""));
                return;
            }
            LOG.warn("{}: upgrade {}: {}; going back to the WAR it replaced", self, d.id(), unhealthy);
            String back = goBack(fileName, previous, d.healthPath());
            channel.send(from, new Result(d.id(), self, false, back == null, unhealthy
                    + (back == null ? "" : "; going back failed too: " + back)));
        } catch (IOException | WebappDeployer.DeployFailed e) {
            LOG.warn("{}: upgrade {}: deploying {} failed: {}; going back", self, d.id(), fileName, e.getMessage());
            String back = goBack(fileName, previous, d.healthPath());
            channel.send(from, new Result(d.id(), self, false, back == null, "deploying failed: " + e.getMessage()
                    + (back == null ? "" : "; going back failed too: " + back)));
        }
    }

    private void revert(String from, Revert r) throws InterruptedException {
        String fileName;
        try {
            fileName = Files.readString(staging.resolve(r.id() + ".name"));
        } catch (IOException e) {
            channel.send(from, new Result(r.id(), self, false, false, "nothing staged for upgrade " + r.id()));
            return;
        }
        channel.send(from, new Progress(r.id(), self, Step.DRAINING));
        drain();
        channel.send(from, new Progress(r.id(), self, Step.DEPLOYING));
        String back = goBack(fileName, staging.resolve(r.id() + ".previous"), r.healthPath());
        channel.send(from, new Result(r.id(), self, back == null, back == null, back == null ? "" : back));
    }

    /** Puts back what the webapps folder held before; null when done and healthy, else why not. */
    private String goBack(String fileName, Path previous, String healthPath) throws InterruptedException {
        WebappDeployer deployer = tomcat.deployer();
        try {
            if (Files.exists(previous)) {
                ledger.record(fileName, new WarLedger.Entry(WarFile.sha256(previous), Files.size(previous), -1));
                deployer.install(previous, fileName, DEPLOY_TIMEOUT);
                ledger.record(fileName, deployer.webappsFolder().resolve(fileName));
                return health.check(WarFile.contextPath(fileName), healthPath);
            }
            ledger.forget(fileName);
            deployer.remove(fileName, DEPLOY_TIMEOUT);
            return null;
        } catch (IOException | WebappDeployer.DeployFailed e) {
            return e.getMessage();
        }
    }

    /** Waits until nothing is in flight here and nothing arrived for {@link #QUIET}, at most {@code drainTimeout}. */
    private void drain() throws InterruptedException {
        long deadline = System.nanoTime() + drainTimeout.toNanos();
        RequestCounts before = tomcat.status().requests();
        long quietSince = System.nanoTime();
        while (System.nanoTime() < deadline) {
            RequestCounts now = tomcat.status().requests();
            if (now.requests() != before.requests() || now.inFlight() > 0) {
                quietSince = System.nanoTime();
                before = now;
            } else if (System.nanoTime() - quietSince >= QUIET.toNanos()) {
                return;
            }
            Thread.sleep(50);
        }
        LOG.warn("{}: still {} request(s) in flight after {} ms of draining; deploying anyway", self,
                tomcat.inFlight(), drainTimeout.toMillis());
    }

    private String webappsFolder() throws IOException {
        return HostIdentity.get() + ":" + tomcat.deployer().webappsFolder().toRealPath();
    }

    private Path staged(String id) {
        return staging.resolve(id + ".war");
    }

    private void abandon() {
        Receiving r = receiving;
        receiving = null;
        if (r != null) {
            try {
                r.out().close();
                Files.deleteIfExists(r.part());
            } catch (IOException e) {
                LOG.debug("{}: could not remove {}: {}", self, r.part(), e.toString());
            }
        }
    }

    /** Removes what upgrade {@code id} staged here, once it has ended. */
    private void forget(String id) {
        for (String suffix : new String[] {".war", ".previous", ".none", ".name", ".part"}) {
            try {
                Files.deleteIfExists(staging.resolve(id + suffix));
            } catch (IOException e) {
                LOG.debug("{}: could not remove {}{}: {}", self, id, suffix, e.toString());
            }
        }
    }

    @Override
    public void close() {
        worker.shutdownNow();
        abandon();
    }
}
