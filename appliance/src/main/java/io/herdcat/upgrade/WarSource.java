package io.herdcat.upgrade;

import io.herdcat.upgrade.UpgradeMessage.Manifest;
import io.herdcat.upgrade.UpgradeMessage.ManifestAsk;
import io.herdcat.upgrade.UpgradeMessage.WarAsk;
import io.herdcat.upgrade.UpgradeMessage.WarPart;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers a node that is about to start and asks which WARs the cluster runs: the list this node's
 * {@link WarLedger} holds (name, SHA-256, size), and then each WAR it asks for, in pieces over the
 * cluster channel, from this node's webapps folder. A WAR whose file no longer has the recorded
 * SHA-256 is not sent (an empty last piece says so); the asking node checks every WAR it takes anyway.
 * On a thread of its own, so the cluster's event thread never reads a file.
 */
final class WarSource implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WarSource.class);
    private static final int PIECE = 32 * 1024;

    private final String self;
    private final UpgradeChannel channel;
    private final WarLedger ledger;
    private final Supplier<Path> webapps;
    private final BooleanSupplier shared;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(
            new io.netty.util.concurrent.DefaultThreadFactory("herdcat-war-source", true));

    /** @param shared whether this node runs {@code deploy.cluster} (else it lists no WAR) */
    WarSource(String self, UpgradeChannel channel, WarLedger ledger, Supplier<Path> webapps, BooleanSupplier shared) {
        this.self = self;
        this.channel = channel;
        this.ledger = ledger;
        this.webapps = webapps;
        this.shared = shared;
    }

    /** Takes a message for the source (any thread); false when it is not one. */
    boolean offer(String from, UpgradeMessage m) {
        if (m instanceof ManifestAsk ask) {
            worker.execute(() -> {
                boolean on = shared.getAsBoolean();
                List<UpgradeMessage.WarEntry> wars = on ? ledger.manifest() : List.of();
                LOG.info("{}: {} asks which WARs the cluster runs: {}", self, from, on ? wars.size() + " WAR(s)"
                        : "none, deploy.cluster is off here");
                channel.send(from, new Manifest(ask.id(), self, on, wars));
            });
            return true;
        }
        if (m instanceof WarAsk ask) {
            worker.execute(() -> send(from, ask));
            return true;
        }
        return false;
    }

    private void send(String to, WarAsk ask) {
        Optional<WarLedger.Entry> known = ledger.get(ask.fileName());
        if (!WarFile.validName(ask.fileName()) || known.isEmpty() || !known.get().sha256().equals(ask.sha256())) {
            LOG.warn("{}: {} asked for {} ({}), which this node does not hold in that version", self, to,
                    ask.fileName(), ask.sha256());
            channel.send(to, new WarPart(ask.id(), 0, new byte[0], true));
            return;
        }
        Path file = webapps.get().resolve(ask.fileName());
        try (InputStream in = Files.newInputStream(file)) {
            long offset = 0;
            byte[] piece = in.readNBytes(PIECE);
            while (true) {
                byte[] next = piece.length < PIECE ? new byte[0] : in.readNBytes(PIECE);
                boolean last = next.length == 0;
                channel.send(to, new WarPart(ask.id(), offset, piece, last));
                if (last) {
                    break;
                }
                offset += piece.length;
                piece = next;
            }
            LOG.info("{}: sent {} to {}", self, ask.fileName(), to);
        } catch (IOException e) {
            LOG.warn("{}: cannot send {} to {}: {}", self, ask.fileName(), to, e.toString());
            channel.send(to, new WarPart(ask.id(), -1, new byte[0], true));
        }
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}
