package io.herdcat.upgrade;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Tells, from one scan of the webapps folder to the next, which WARs the operator added, replaced or
 * deleted: a file counts only once its size and modification time are the same in two scans in a
 * row (a WAR still being copied is never taken), and only when its SHA-256 differs from what the
 * {@link WarLedger} holds (touching a file, or the cluster's own deploy, is no change). A WAR the
 * ledger holds counts as deleted once two scans in a row miss it (a replace done as delete-then-copy
 * is not taken for an undeploy). Reads no clock and no folder: it is handed each scan.
 */
final class WarChanges {
    /** A file's size and modification time (epoch milliseconds), as a scan saw it. */
    record Stamp(long size, long mtime) {
    }

    /** One change to roll: {@code sha256} of the new file, or null for a deleted one. */
    record Change(String fileName, String sha256) {
        boolean removed() {
            return sha256 == null;
        }
    }

    /** Reads a file's SHA-256 (from the folder, in the watcher). */
    @FunctionalInterface
    interface Hasher {
        String sha256(String fileName) throws IOException;
    }

    private final WarLedger ledger;
    private Map<String, Stamp> previous = Map.of();
    private Set<String> missingBefore = Set.of();

    WarChanges(WarLedger ledger) {
        this.ledger = ledger;
    }

    /**
     * The changes {@code now} shows (file name to stamp, WARs only) compared with the previous scan and
     * the ledger; a file whose bytes are what the ledger holds gets its new stamp recorded instead.
     *
     * @throws IOException when a changed file cannot be read (it is looked at again next scan)
     */
    List<Change> scan(Map<String, Stamp> now, Hasher hasher) throws IOException {
        List<Change> changes = new ArrayList<>();
        Map<String, Stamp> before = previous;
        previous = Map.copyOf(now);
        for (Map.Entry<String, Stamp> e : new java.util.TreeMap<>(now).entrySet()) {
            String name = e.getKey();
            Stamp stamp = e.getValue();
            var known = ledger.get(name);
            if (known.isPresent() && known.get().sameStamp(stamp.size(), stamp.mtime())) {
                continue;
            }
            if (!stamp.equals(before.get(name))) {
                continue; // new or still changing: looked at again next scan
            }
            String sha = hasher.sha256(name);
            if (known.isPresent() && known.get().sha256().equals(sha)) {
                ledger.record(name, new WarLedger.Entry(sha, stamp.size(), stamp.mtime()));
                continue;
            }
            changes.add(new Change(name, sha));
        }
        Set<String> missing = new HashSet<>();
        for (String name : new java.util.TreeSet<>(ledger.snapshot().keySet())) {
            if (!now.containsKey(name)) {
                missing.add(name);
                if (missingBefore.contains(name)) {
                    changes.add(new Change(name, null));
                }
            }
        }
        missingBefore = missing;
        return changes;
    }

    /** Forgets what the last scans saw, so a file is looked at afresh (after the folder was changed under it). */
    void reset() {
        previous = new HashMap<>();
        missingBefore = Set.of();
    }
}
