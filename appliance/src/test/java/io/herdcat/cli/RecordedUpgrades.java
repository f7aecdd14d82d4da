package io.herdcat.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Answers of {@code GET /upgrade} recorded in order, one JSON document a line, from this package's
 * test resources: {@code upgrade-done.jsonl} (three nodes rolled to shop##2.war) and
 * {@code upgrade-rolled-back.jsonl} (the health check fails on the first node).
 */
final class RecordedUpgrades {
    static final String DONE = "upgrade-done.jsonl";
    static final String ROLLED_BACK = "upgrade-rolled-back.jsonl";

    private RecordedUpgrades() {
    }

    /** The recorded JSON documents, in order. */
    static List<String> json(String name) {
        try (InputStream in = RecordedUpgrades.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalArgumentException("no recorded sequence " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The recorded answers, read. */
    static List<UpgradeSnapshot> snapshots(String name) {
        return json(name).stream().map(j -> UpgradeSnapshot.of(JsonReader.object(j))).toList();
    }
}
