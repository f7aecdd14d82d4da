package io.herdcat.upgrade;

import io.herdcat.cluster.ClusterMembership;
import io.herdcat.config.Activation;
import io.herdcat.upgrade.UpgradeMessage.Begin;
import io.herdcat.upgrade.UpgradeMessage.Chunk;
import io.herdcat.upgrade.UpgradeMessage.Deploy;
import io.herdcat.upgrade.UpgradeMessage.End;
import io.herdcat.upgrade.UpgradeMessage.Progress;
import io.herdcat.upgrade.UpgradeMessage.Result;
import io.herdcat.upgrade.UpgradeMessage.Revert;
import io.herdcat.upgrade.UpgradeMessage.Staged;
import io.herdcat.upgrade.UpgradeMessage.StatusMsg;
import io.herdcat.upgrade.UpgradeStatus.NodeProgress;
import io.herdcat.upgrade.UpgradeStatus.State;
import io.herdcat.upgrade.UpgradeStatus.Step;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One rolling upgrade, run by the node that accepted it, on a thread of its own. First the WAR is
 * staged on every node, so nothing is touched unless every node holds it whole. Then, one node at a
 * time, the front's node last: disabled (no new sessions), stopped (no requests; its sessions are
 * served by the others, which hold them), drained, deployed, checked, given back its activation. A node
 * whose check fails goes back by itself; the nodes already done go back too, in reverse order, so the
 * cluster ends on one version. Every change of step is sent to every node. A rolling undeploy takes
 * the same steps, the node removing the webapp instead of deploying one, with no check.
 */
final class RollingUpgrade implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(RollingUpgrade.class);
    private static final int CHUNK = 32 * 1024;
    private static final Duration STAGE_TIMEOUT = Duration.ofMinutes(2);
    /** Beyond the node's drain: deploying, starting and checking a webapp. */
    private static final Duration STEP_TIMEOUT = Duration.ofMinutes(5);
    /** Beyond the node's drain: stopping, being started again by its supervisor, joining, deploying. */
    private static final Duration RETURN_TIMEOUT = Duration.ofMinutes(4);
    private static final Duration POLL = Duration.ofMillis(200);
    /** What {@link #restartNode} answers when the node going down is this one. */
    private static final String SELF = "";

    private record Received(String from, UpgradeMessage message) {
    }

    private final String id;
    private final WarFile war;
    private final Path file;
    private final String healthPath;
    private final NodeActivations activations;
    private final UpgradeChannel channel;
    private final Duration drainTimeout;
    private final BlockingQueue<Received> inbox = new LinkedBlockingQueue<>();
    private final Map<String, NodeProgress> progress = new LinkedHashMap<>();
    private volatile UpgradeStatus status;
    /** Set when this coordinator took over from one that left: whose steps are taken again, and why. */
    private final String tookOverFrom;
    /** Nodes a coordinator that left had disabled or stopped: they get {@code active} back. */
    private final java.util.Set<String> leftMidStep = new java.util.HashSet<>();
    /** In a rolling restart taken over: nodes away because they restart, waited for rather than passed over. */
    private final java.util.Set<String> returning = new java.util.HashSet<>();
    /** A rolling restart: no WAR, each node stopped for its supervisor to start again. */
    private final boolean restart;
    /** A rolling undeploy: no WAR, each node removes the webapp of {@link #war}'s name. */
    private final boolean undeploy;
    private final long startedAt;

    RollingUpgrade(String id, WarFile war, Path file, String healthPath, ClusterMembership membership,
                   UpgradeChannel channel, Duration drainTimeout, List<String> plan) {
        this(id, war, file, healthPath, membership, channel, drainTimeout, plan, false);
    }

    /** A rolling undeploy of {@code fileName} through the nodes in {@code plan}. */
    static RollingUpgrade undeploy(String id, String fileName, ClusterMembership membership, UpgradeChannel channel,
                                   Duration drainTimeout, List<String> plan) {
        return new RollingUpgrade(id, new WarFile(fileName, WarFile.contextPath(fileName), 0, "", 0), null, "",
                membership, channel, drainTimeout, plan, true);
    }

    private RollingUpgrade(String id, WarFile war, Path file, String healthPath, ClusterMembership membership,
                           UpgradeChannel channel, Duration drainTimeout, List<String> plan, boolean undeploy) {
        this.id = id;
        this.undeploy = undeploy;
        this.war = war;
        this.file = file;
        this.healthPath = healthPath;
        this.activations = new NodeActivations(membership, channel.self(), id);
        this.channel = channel;
        this.drainTimeout = drainTimeout;
        this.tookOverFrom = null;
        this.startedAt = System.currentTimeMillis();
        this.restart = war.fileName().isEmpty();
        for (String node : plan) {
            progress.put(node, new NodeProgress(node, Step.WAITING, 0, ""));
        }
        this.status = status(State.RUNNING, restart ? "restarting every node, one at a time"
                : undeploy ? "undeploying " + war.fileName() + " from every node, one at a time"
                : "staging " + war.fileName() + " on every node", 0);
    }

    /** A rolling restart of the nodes in {@code plan}, the last being this one. */
    static RollingUpgrade restart(String id, ClusterMembership membership, UpgradeChannel channel,
                                  Duration drainTimeout, List<String> plan) {
        return new RollingUpgrade(id, new WarFile("", "", 0, "", 0), null, "", membership, channel, drainTimeout,
                plan);
    }

    /**
     * Takes over {@code last}, whose coordinator left the cluster, on a node that staged its WAR
     * ({@code begin}): the nodes done stay done, a node the coordinator left in the middle of its steps
     * is taken through them again (its agent deploys only what is not deployed yet), the nodes that
     * left are passed over. An upgrade that was going back goes on going back.
     */
    RollingUpgrade(UpgradeStatus last, UpgradeMessage.Begin begin, java.util.Set<String> members,
                   ClusterMembership membership, UpgradeChannel channel, Duration drainTimeout) {
        this.id = last.id();
        this.restart = last.restart();
        this.undeploy = begin != null && begin.undeploy();
        this.war = restart ? new WarFile("", "", 0, "", 0)
                : new WarFile(begin.fileName(), last.contextPath(), begin.size(), begin.sha256(), 0);
        this.file = null;
        this.healthPath = restart ? "" : begin.healthPath();
        this.activations = new NodeActivations(membership, channel.self(), id);
        this.channel = channel;
        this.drainTimeout = drainTimeout;
        this.tookOverFrom = last.coordinator();
        this.startedAt = last.startedAt();
        for (NodeProgress n : last.nodes()) {
            if (restart && !members.contains(n.node()) && (n.step() == Step.DRAINING || n.step() == Step.RESTARTING)) {
                returning.add(n.node());
                progress.put(n.node(), n);
            } else if (!members.contains(n.node())) {
                progress.put(n.node(), new NodeProgress(n.node(), Step.FAILED, System.currentTimeMillis(),
                        "left the cluster during the upgrade"));
            } else if (n.step() == Step.DONE || n.step() == Step.ROLLED_BACK || n.step() == Step.FAILED) {
                progress.put(n.node(), n);
            } else {
                if (n.step().compareTo(Step.STAGED) > 0) {
                    leftMidStep.add(n.node());
                }
                progress.put(n.node(), new NodeProgress(n.node(), Step.WAITING, 0, ""));
            }
        }
        this.status = status(State.RUNNING, "took over from " + tookOverFrom + ", which left the cluster", 0);
    }

    UpgradeStatus status() {
        return status;
    }

    /** Tells every node again where the upgrade is: a node that has just joined has not heard. */
    void republish() {
        if (status.running()) {
            publish();
        }
    }

    /** A message for the coordinator (any thread); false when it is not one. */
    boolean offer(String from, UpgradeMessage m) {
        if (m instanceof Staged s && s.id().equals(id) || m instanceof Progress p && p.id().equals(id)
                || m instanceof Result r && r.id().equals(id)) {
            inbox.add(new Received(from, m));
            return true;
        }
        return false;
    }

    @Override
    public void run() {
        publish();
        try {
            if (tookOverFrom == null && !restart) {
                String notStaged = stage();
                if (notStaged != null) {
                    finish(State.FAILED, notStaged + "; no node was touched");
                    return;
                }
            }
            List<String> done = new ArrayList<>();
            Optional<NodeProgress> wentBack = progress.values().stream()
                    .filter(n -> n.step() == Step.ROLLED_BACK || n.step() == Step.FAILED && !n.detail().startsWith("left"))
                    .findFirst();
            if (wentBack.isPresent()) {
                progress.values().stream().filter(n -> n.step() == Step.DONE).forEach(n -> done.add(n.node()));
                goBack(done, wentBack.get().node(), wentBack.get().node() + ": " + wentBack.get().detail());
                return;
            }
            List<String> left = new ArrayList<>();
            for (NodeProgress n : List.copyOf(progress.values())) {
                if (n.step() == Step.DONE) {
                    done.add(n.node());
                    continue;
                }
                if (n.step() == Step.FAILED) {
                    left.add(n.node());
                    continue;
                }
                if (restart) {
                    Optional<String> failed = restartNode(n.node());
                    if (failed.isPresent() && failed.get().equals(SELF)) {
                        return; // this node goes down now; the oldest member left takes the restart over
                    }
                    if (failed.isPresent()) {
                        finish(State.FAILED, failed.get() + "; the nodes after it were not restarted");
                        return;
                    }
                    done.add(n.node());
                    continue;
                }
                Optional<String> failed = upgrade(n.node());
                if (failed.isPresent()) {
                    goBack(done, n.node(), failed.get());
                    return;
                }
                done.add(n.node());
            }
            finish(State.DONE, (restart ? "every node restarted"
                    : undeploy ? war.fileName() + " is undeployed from every node"
                    : "every node runs " + war.fileName() + " (" + war.sha256().substring(0, 12) + ")")
                    + (left.isEmpty() ? "" : "; " + String.join(", ", left) + " left the cluster during the upgrade"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            finish(State.FAILED, "the coordinator stopped during the upgrade");
        } catch (IOException | RuntimeException e) {
            LOG.warn("{}: upgrade {} failed", channel.self(), id, e);
            finish(State.FAILED, "the coordinator failed: " + e.getMessage());
        } finally {
            try {
                if (file != null) {
                    Files.deleteIfExists(file);
                }
            } catch (IOException e) {
                LOG.debug("{}: could not remove {}: {}", channel.self(), file, e.toString());
            }
        }
    }

    /** Sends the WAR to every node; null when every planned node staged it, else why not. */
    private String stage() throws IOException, InterruptedException {
        channel.send(null, new Begin(id, war.fileName(), war.sha256(), war.size(), healthPath, undeploy));
        if (!undeploy) {
            try (InputStream in = Files.newInputStream(file)) {
                long offset = 0;
                for (byte[] chunk; (chunk = in.readNBytes(CHUNK)).length > 0; offset += chunk.length) {
                    channel.send(null, new Chunk(id, offset, chunk));
                }
            }
            channel.send(null, new End(id));
        }
        Map<String, String> folders = new HashMap<>();
        long deadline = System.nanoTime() + STAGE_TIMEOUT.toNanos();
        while (folders.size() < progress.size()) {
            Received r = next(deadline);
            if (r == null) {
                List<String> missing = new ArrayList<>(progress.keySet());
                missing.removeAll(folders.keySet());
                return "not staged within " + STAGE_TIMEOUT.toSeconds() + " s on " + String.join(", ", missing);
            }
            if (r.message() instanceof Staged s && progress.containsKey(s.node())) {
                if (!s.ok()) {
                    return s.node() + " could not stage the WAR: " + s.detail();
                }
                for (Map.Entry<String, String> other : folders.entrySet()) {
                    if (other.getValue().equals(s.webappsFolder())) {
                        return other.getKey() + " and " + s.node() + " deploy into the same webapps folder ("
                                + s.webappsFolder().substring(s.webappsFolder().indexOf(':') + 1)
                                + "); a rolling upgrade needs a folder per node";
                    }
                }
                folders.put(s.node(), s.webappsFolder());
                step(s.node(), Step.STAGED, "");
            }
        }
        return null;
    }

    /** Takes one node through its steps; the reason it failed (it went back by itself), or empty. */
    private Optional<String> upgrade(String node) throws InterruptedException {
        Activation before = leftMidStep.contains(node) ? Activation.ACTIVE : activations.of(node).orElse(Activation.ACTIVE);
        message("upgrading " + node);
        takeOutOfRotation(node, before, "");
        channel.send(node, new Deploy(id, healthPath, undeploy));
        Result result = awaitResult(node);
        if (!result.ok()) {
            step(node, result.wentBack() ? Step.ROLLED_BACK : Step.FAILED, result.detail());
            activations.set(node, before);
            return Optional.of(node + ": " + result.detail());
        }
        step(node, Step.ENABLING, "");
        activations.set(node, before);
        step(node, Step.DONE, "");
        return Optional.empty();
    }

    /**
     * Restarts one node and waits until it is back, ready, and enabled again; the reason it failed, or
     * {@link #SELF} when the node is this one, which goes down without waiting.
     */
    private Optional<String> restartNode(String node) throws InterruptedException {
        boolean away = returning.contains(node);
        Activation before = away || leftMidStep.contains(node) ? Activation.ACTIVE
                : activations.of(node).orElse(Activation.ACTIVE);
        if (!away) {
            message("restarting " + node);
            takeOutOfRotation(node, before, "");
            if (node.equals(channel.self())) {
                step(node, Step.RESTARTING, "");
                channel.send(node, new UpgradeMessage.Restart(id));
                return Optional.of(SELF);
            }
            channel.send(node, new UpgradeMessage.Restart(id));
        }
        long deadline = System.nanoTime() + drainTimeout.plus(RETURN_TIMEOUT).toNanos();
        while (!activations.back(node, startedAt)) {
            if (System.nanoTime() > deadline) {
                step(node, Step.FAILED, "not back within " + drainTimeout.plus(RETURN_TIMEOUT).toSeconds() + " s");
                return Optional.of(node + " did not come back within " + drainTimeout.plus(RETURN_TIMEOUT).toSeconds()
                        + " s");
            }
            Received r = next(Math.min(deadline, System.nanoTime() + POLL.toNanos()));
            if (r != null && r.message() instanceof Progress p && p.node().equals(node)) {
                step(node, p.step(), "");
            }
        }
        step(node, Step.ENABLING, "");
        activations.set(node, before);
        step(node, Step.DONE, "");
        return Optional.empty();
    }

    /**
     * Disabled first (no new sessions go there), then stopped (the front sends it nothing; its sessions
     * are served by the others): the node's requests in flight can then end.
     */
    private void takeOutOfRotation(String node, Activation before, String detail) throws InterruptedException {
        step(node, Step.DISABLING, detail);
        activations.set(node, before == Activation.STOPPED ? Activation.STOPPED : Activation.DISABLED);
        step(node, Step.DRAINING, detail);
        activations.set(node, Activation.STOPPED);
    }

    /** After {@code failedNode} failed: the nodes already upgraded go back, last first. */
    private void goBack(List<String> done, String failedNode, String reason) throws InterruptedException {
        List<String> stuck = new ArrayList<>();
        for (int i = done.size() - 1; i >= 0; i--) {
            String node = done.get(i);
            Activation before = activations.of(node).orElse(Activation.ACTIVE);
            message(reason + "; taking " + node + " back");
            takeOutOfRotation(node, before, "going back");
            channel.send(node, new Revert(id, healthPath));
            Result result = awaitResult(node);
            activations.set(node, before);
            if (result.ok()) {
                step(node, Step.ROLLED_BACK, "");
            } else {
                step(node, Step.FAILED, "going back failed: " + result.detail());
                stuck.add(node);
            }
        }
        List<String> untouched = new ArrayList<>();
        for (NodeProgress n : progress.values()) {
            if (n.step() == Step.WAITING || n.step() == Step.STAGED) {
                untouched.add(n.node());
            }
        }
        String others = untouched.isEmpty() ? "" : "; " + String.join(", ", untouched) + " never touched";
        NodeProgress failed = progress.get(failedNode);
        if (stuck.isEmpty() && failed.step() == Step.ROLLED_BACK) {
            finish(State.ROLLED_BACK, reason + "; every node runs the WAR it ran before" + others);
        } else {
            List<String> notBack = new ArrayList<>(stuck);
            if (failed.step() != Step.ROLLED_BACK) {
                notBack.add(0, failedNode);
            }
            finish(State.FAILED, reason + "; " + String.join(", ", notBack) + " could not go back" + others);
        }
    }

    private Result awaitResult(String node) throws InterruptedException {
        long deadline = System.nanoTime() + drainTimeout.plus(STEP_TIMEOUT).toNanos();
        while (true) {
            Received r = next(deadline);
            if (r == null) {
                return new Result(id, node, false, false, "no answer from " + node + " within "
                        + drainTimeout.plus(STEP_TIMEOUT).toSeconds() + " s");
            }
            if (r.message() instanceof Progress p && p.node().equals(node)) {
                step(node, p.step(), "");
            } else if (r.message() instanceof Result res && res.node().equals(node)) {
                return res;
            }
        }
    }

    private Received next(long deadlineNanos) throws InterruptedException {
        long left = deadlineNanos - System.nanoTime();
        return left <= 0 ? null : inbox.poll(left, TimeUnit.NANOSECONDS);
    }

    private void step(String node, Step step, String detail) {
        progress.put(node, new NodeProgress(node, step, System.currentTimeMillis(), detail));
        LOG.info("{}: upgrade {}: {} {}{}", channel.self(), id, node, step.text(), detail.isEmpty() ? "" : " (" + detail + ")");
        status = status(State.RUNNING, status.message(), 0);
        publish();
    }

    private void message(String message) {
        status = status(State.RUNNING, message, 0);
        publish();
    }

    private void finish(State state, String message) {
        status = status(state, message, System.currentTimeMillis());
        LOG.info("{}: upgrade {} of {} ended {}: {}", channel.self(), id, war.fileName(), state.text(), message);
        publish();
    }

    private UpgradeStatus status(State state, String message, long endedAt) {
        return new UpgradeStatus(id, state, war.fileName(), war.contextPath(), war.sha256(), channel.self(), startedAt,
                endedAt, message, List.copyOf(progress.values()));
    }

    private void publish() {
        channel.send(null, new StatusMsg(status));
    }
}
