package io.herdcat.upgrade;

import io.herdcat.cluster.ClusterMembership;
import io.herdcat.cluster.ClusterView;
import io.herdcat.cluster.NodeRecord;
import io.herdcat.upgrade.UpgradeMessage.Manifest;
import io.herdcat.upgrade.UpgradeMessage.ManifestAsk;
import io.herdcat.upgrade.UpgradeMessage.WarAsk;
import io.herdcat.upgrade.UpgradeMessage.WarEntry;
import io.herdcat.upgrade.UpgradeMessage.WarPart;
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
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Before Tomcat starts on a node with {@code deploy.cluster}, makes its webapps folder hold the WARs
 * the cluster runs: asks a ready member for its list (name, SHA-256, size), takes every WAR it lacks or
 * holds in another version (in pieces over the cluster channel, checked against size and SHA-256, put
 * in place by an atomic rename), and moves a WAR the cluster does not run aside to
 * {@code work.dir/deploy/set-aside}, so a webapp undeployed while this node was away does not come
 * back. The first node of a cluster, or one that finds no ready member, keeps its folder as it is; so
 * does one whose member does not answer within {@link #PATIENCE}. Every decision is logged.
 */
final class JoinSync {
    private static final Logger LOG = LoggerFactory.getLogger(JoinSync.class);
    /** How long an answer (a list, a piece) may take before this node starts with what it has. */
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    /** How long the records of the members may take to arrive after the join. */
    private static final Duration RECORDS = Duration.ofSeconds(5);
    /** The question is asked again this often: the member may not have this node's record yet. */
    private static final Duration ASK_AGAIN = Duration.ofSeconds(2);

    private final String self;
    private final ClusterMembership membership;
    private final UpgradeChannel channel;
    private final Supplier<Path> webapps;
    private final Path deployDir;
    private final BlockingQueue<UpgradeMessage> inbox = new LinkedBlockingQueue<>();
    private volatile String asking = "";

    JoinSync(String self, ClusterMembership membership, UpgradeChannel channel, Supplier<Path> webapps,
             Path deployDir) {
        this.self = self;
        this.membership = membership;
        this.channel = channel;
        this.webapps = webapps;
        this.deployDir = deployDir;
    }

    /** Takes an answer to this node's question (any thread); false when it is not one. */
    boolean offer(String from, UpgradeMessage m) {
        if (m instanceof Manifest list && list.id().equals(asking) || m instanceof WarPart p && p.id().equals(asking)) {
            inbox.add(m);
            return true;
        }
        return false;
    }

    void run() throws InterruptedException {
        ClusterView view = awaitRecords();
        if (view.memberNames().size() <= 1) {
            LOG.info("{}: first node of the cluster: starts with its webapps folder as it is", self);
            return;
        }
        List<String> ready = view.memberNames().stream().filter(n -> !n.equals(self))
                .filter(n -> view.records().stream().anyMatch(r -> r.name().equals(n)
                        && r.phase() == NodeRecord.Phase.READY)).toList();
        if (ready.isEmpty()) {
            LOG.info("{}: no member is ready yet ({}): starts with its webapps folder as it is", self,
                    String.join(", ", view.memberNames()));
            return;
        }
        Manifest manifest = null;
        for (String member : ready) {
            manifest = ask(member);
            if (manifest != null) {
                break;
            }
            LOG.warn("{}: {} did not say which WARs the cluster runs within {} s", self, member, PATIENCE.toSeconds());
        }
        if (manifest == null) {
            LOG.warn("{}: no member answered; starts with its webapps folder as it is", self);
            return;
        }
        if (!manifest.shared()) {
            LOG.warn("{}: {} does not run deploy.cluster; starts with its webapps folder as it is", self,
                    manifest.node());
            return;
        }
        try {
            apply(manifest);
        } catch (IOException e) {
            LOG.warn("{}: could not take the cluster's WARs from {}: {}; starts with what its folder holds", self,
                    manifest.node(), e.toString());
        }
    }

    /**
     * The view once it holds this node (the membership publishes the view it joined a moment after the
     * join returns: before that, every node would take itself for the first) and a record of every member.
     */
    private ClusterView awaitRecords() throws InterruptedException {
        long deadline = System.nanoTime() + RECORDS.toNanos();
        ClusterView view = membership.view();
        while ((!view.memberNames().contains(self) || view.records().size() < view.memberNames().size())
                && System.nanoTime() < deadline) {
            Thread.sleep(50);
            view = membership.view();
        }
        return view;
    }

    private Manifest ask(String member) throws InterruptedException {
        asking = UUID.randomUUID().toString();
        inbox.clear();
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (System.nanoTime() < deadline) {
            channel.send(member, new ManifestAsk(asking));
            long until = Math.min(deadline, System.nanoTime() + ASK_AGAIN.toNanos());
            for (UpgradeMessage m; (m = inbox.poll(until - System.nanoTime(), TimeUnit.NANOSECONDS)) != null; ) {
                if (m instanceof Manifest list) {
                    return list;
                }
            }
        }
        return null;
    }

    private void apply(Manifest manifest) throws IOException, InterruptedException {
        Path folder = webapps.get();
        Map<String, Path> local = new TreeMap<>();
        try (Stream<Path> files = Files.list(folder)) {
            files.filter(f -> WarFile.validName(f.getFileName().toString()) && Files.isRegularFile(f))
                    .forEach(f -> local.put(f.getFileName().toString(), f));
        }
        LOG.info("{}: {} runs {} WAR(s); this node's folder holds {}", self, manifest.node(), manifest.wars().size(),
                local.size());
        for (WarEntry war : manifest.wars()) {
            Path mine = local.remove(war.fileName());
            if (mine != null && WarFile.sha256(mine).equals(war.sha256())) {
                LOG.info("{}: {} is the cluster's version already", self, war.fileName());
                continue;
            }
            String why = fetch(manifest.node(), war, folder);
            if (why == null) {
                LOG.info("{}: took {} ({}, {} bytes) from {}{}", self, war.fileName(), war.sha256().substring(0, 12),
                        war.size(), manifest.node(), mine == null ? "" : ", replacing the version it held");
            } else {
                LOG.warn("{}: could not take {} from {}: {}; starts with {}", self, war.fileName(), manifest.node(),
                        why, mine == null ? "no such WAR" : "the version it holds");
            }
        }
        for (Map.Entry<String, Path> extra : local.entrySet()) {
            Path aside = Files.createDirectories(deployDir.resolve("set-aside")).resolve(extra.getKey());
            Files.move(extra.getValue(), aside, StandardCopyOption.REPLACE_EXISTING);
            LOG.warn("{}: {} is not among the cluster's WARs (undeployed while this node was away?): moved aside to {}",
                    self, extra.getKey(), aside);
        }
    }

    /** Takes one WAR into {@code folder}; null when done, else why not. */
    private String fetch(String member, WarEntry war, Path folder) throws IOException, InterruptedException {
        Path part = Files.createDirectories(deployDir).resolve(war.fileName() + ".part");
        try {
            return fetch(member, war, folder, part);
        } finally {
            Files.deleteIfExists(part);
        }
    }

    private String fetch(String member, WarEntry war, Path folder, Path part) throws IOException, InterruptedException {
        asking = UUID.randomUUID().toString();
        inbox.clear();
        channel.send(member, new WarAsk(asking, war.fileName(), war.sha256()));
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        long written = 0;
        try (OutputStream out = new DigestOutputStream(Files.newOutputStream(part), digest)) {
            while (true) {
                UpgradeMessage m = inbox.poll(PATIENCE.toNanos(), TimeUnit.NANOSECONDS);
                if (m == null) {
                    return "no piece within " + PATIENCE.toSeconds() + " s after " + written + " bytes";
                }
                if (!(m instanceof WarPart p)) {
                    continue;
                }
                if (p.last() && p.bytes().length == 0 && written == 0) {
                    return member + " does not hold that version any more";
                }
                if (p.offset() != written || written + p.bytes().length > war.size()) {
                    return "a piece at " + p.offset() + " after " + written + " bytes";
                }
                out.write(p.bytes());
                written += p.bytes().length;
                if (p.last()) {
                    break;
                }
            }
        } finally {
            asking = "";
        }
        String sha = HexFormat.of().formatHex(digest.digest());
        if (written != war.size() || !sha.equals(war.sha256())) {
            return "what arrived differs from the list (" + written + " of " + war.size() + " bytes)";
        }
        Path tmp = folder.resolve("." + war.fileName() + ".installing");
        Files.copy(part, tmp, StandardCopyOption.REPLACE_EXISTING);
        Files.move(tmp, folder.resolve(war.fileName()), StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
        return null;
    }
}
