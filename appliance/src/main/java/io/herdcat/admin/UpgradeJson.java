package io.herdcat.admin;

import io.herdcat.upgrade.UpgradeStatus;
import java.time.Instant;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * What {@code GET /upgrade} answers, and {@code GET /status} carries as {@code "upgrade"}: where the
 * running (or last) rolling upgrade is, and each node's step. Times are ISO-8601 (null when not yet
 * there); {@code elapsedMillis} is the upgrade's duration so far (or in all, once ended), and for a
 * node the time it has spent in the step it is in, 0 for a node waiting its turn or finished.
 */
final class UpgradeJson {
    /** The steps a node is being worked on in (or staged for), which take time worth showing. */
    private static final Set<UpgradeStatus.Step> UNDER_WAY = EnumSet.of(UpgradeStatus.Step.STAGED,
            UpgradeStatus.Step.DISABLING, UpgradeStatus.Step.DRAINING, UpgradeStatus.Step.DEPLOYING,
            UpgradeStatus.Step.UNDEPLOYING, UpgradeStatus.Step.CHECKING, UpgradeStatus.Step.ENABLING);

    private UpgradeJson() {
    }

    static Map<String, Object> upgrade(UpgradeStatus s, long nowMillis) {
        long end = s.endedAt() != 0 ? s.endedAt() : nowMillis;
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("id", s.id());
        doc.put("state", s.state().text());
        doc.put("war", s.war());
        doc.put("contextPath", s.contextPath());
        doc.put("sha256", s.sha256());
        doc.put("coordinator", s.coordinator());
        doc.put("startedAt", time(s.startedAt()));
        doc.put("endedAt", time(s.endedAt()));
        doc.put("elapsedMillis", s.startedAt() == 0 ? 0L : Math.max(0, end - s.startedAt()));
        doc.put("message", s.message());
        doc.put("nodes", s.nodes().stream().map(n -> node(n, end)).toList());
        return doc;
    }

    private static Map<String, Object> node(UpgradeStatus.NodeProgress n, long end) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("node", n.node());
        m.put("step", n.step().text());
        m.put("since", time(n.since()));
        m.put("elapsedMillis", n.since() == 0 || !UNDER_WAY.contains(n.step()) ? 0L : Math.max(0, end - n.since()));
        m.put("detail", n.detail());
        return m;
    }

    private static String time(long epochMillis) {
        return epochMillis == 0 ? null : Instant.ofEpochMilli(epochMillis).toString();
    }
}
