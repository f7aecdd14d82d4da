package io.herdcat.upgrade;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Which WARs of its webapps folder this node has deployed, and in which version (SHA-256), as the
 * cluster-wide deploy knows them: what the folder watcher compares a scan with (a file that differs
 * is the operator's change), what this node tells a joining node the cluster runs, and what a rolling
 * upgrade or undeploy updates when it changes the folder, so the watcher does not take the cluster's
 * own change for a new drop. Safe for any thread.
 */
final class WarLedger {
    /**
     * One WAR as recorded.
     *
     * @param sha256 of its bytes
     * @param size   bytes
     * @param mtime  last modified, epoch milliseconds, when recorded (-1: not seen in the folder yet)
     */
    record Entry(String sha256, long size, long mtime) {
        boolean sameStamp(long size, long mtime) {
            return this.size == size && this.mtime == mtime;
        }
    }

    private final Map<String, Entry> wars = new TreeMap<>();

    synchronized Optional<Entry> get(String fileName) {
        return Optional.ofNullable(wars.get(fileName));
    }

    synchronized void record(String fileName, Entry entry) {
        wars.put(fileName, entry);
    }

    /** Records {@code fileName} as the file {@code file} holds now. */
    void record(String fileName, Path file) throws IOException {
        long size = Files.size(file);
        long mtime = Files.getLastModifiedTime(file).toMillis();
        record(fileName, new Entry(WarFile.sha256(file), size, mtime));
    }

    synchronized void forget(String fileName) {
        wars.remove(fileName);
    }

    synchronized Map<String, Entry> snapshot() {
        return Map.copyOf(wars);
    }

    /** Every WAR recorded, by name. */
    synchronized List<UpgradeMessage.WarEntry> manifest() {
        return wars.entrySet().stream()
                .map(e -> new UpgradeMessage.WarEntry(e.getKey(), e.getValue().sha256(), e.getValue().size()))
                .toList();
    }
}
