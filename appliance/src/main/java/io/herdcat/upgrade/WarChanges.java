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
 * is not taken for an undeploy). A change that could not be rolled can be ignored until the file is
 * copied anew. Reads no clock and no folder: it is handed each scan.
 */
final class WarChanges {
    /** A file's size and modification time (epoch milliseconds), as a scan saw it. */
    record Stamp(long size, long mtime) {
    }

    /** One change to roll: {@code sha256} and stamp of the new file, or both null for a deleted one. */
    record Change(String fileName, String sha256, Stamp stamp) {
        static Change removal(String fileName) {
            return new Change(fileName, null, null);
        }

        boolean removed() {
            return sha256 == null;
        }
    }

    /** What {@link #ignore} keeps for a deletion: no file has it. */
    private static final Stamp MISSING = new Stamp(-1, -1);

    /** Reads a file's SHA-256 (from the folder, in the watcher). */
    @FunctionalInterface
    interface Hasher {
        String sha256(String fileName) throws IOException;
    }

    private final WarLedger ledger;
    private Map<String, Stamp> previous = Map.of();
    private Set<String> missingBefore = Set.of();
    private final Map<String, Stamp> ignored = new HashMap<>();

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
            if (ignored.containsKey(name) && ignored.get(name).equals(stamp)) {
                continue;
            }
            ignored.remove(name); // a new copy of a file given up on: looked at afresh
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
            changes.add(new Change(name, sha, stamp));
        }
        Set<String> missing = new HashSet<>();
        for (String name : new java.util.TreeSet<>(ledger.snapshot().keySet())) {
            if (!now.containsKey(name)) {
                missing.add(name);
                if (missingBefore.contains(name) && ignored.get(name) != MISSING) {
                    changes.add(Change.removal(name));
                }
            }
        }
        missingBefore = missing;
        return changes;
    }

    /**
     * Stops reporting {@code change} (one that could not be rolled): the file is looked at again once
     * it has another size or time (a new copy), a deleted one once it is back.
     */
    void ignore(Change change) {
        ignored.put(change.fileName(), change.removed() ? MISSING : change.stamp());
    }
}
