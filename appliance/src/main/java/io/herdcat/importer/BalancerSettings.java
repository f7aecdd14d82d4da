package io.herdcat.importer;

import io.herdcat.config.Setting;
import io.herdcat.importer.WorkersFile.Value;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An lb worker's own attributes on each of its nodes: {@code sticky_session_force} becomes
 * {@code sticky.force}, {@code method} becomes {@code balance.method} (sessions and next, which
 * Herdcat lacks, the closest it has), {@code secret} the AJP secret of members that set none.
 * {@code sticky_session=false} has no equivalent: the front always follows a session's route.
 */
final class BalancerSettings {
    private final String lb;
    private final Map<String, Value> attrs;

    BalancerSettings(String lb, Map<String, Value> attrs) {
        this.lb = lb;
        this.attrs = attrs;
    }

    void apply(List<NodeFile> nodes) {
        for (NodeFile node : nodes) {
            sticky(node);
            method(node);
            Value secret = attrs.get("secret");
            if (secret != null && !node.has(Setting.AJP_SECRET)) {
                node.set(Setting.AJP_SECRET, secret.text(), secret.source(), "the lb's secret, which mod_jk "
                        + "hands to members that set none");
            }
        }
    }

    private void sticky(NodeFile node) {
        Value sticky = attrs.get("sticky_session");
        if (sticky != null && !WorkerAttributes.bool(sticky.text(), true)) {
            node.unmapped(new Unmapped(sticky.source(), "worker." + lb + ".sticky_session=" + sticky.text(),
                    "the front always sends a session's requests to the node named in its id (its jvmRoute)"));
        }
        Value force = attrs.get("sticky_session_force");
        if (force != null) {
            node.set(Setting.STICKY_FORCE, String.valueOf(WorkerAttributes.bool(force.text(), false)),
                    force.source());
        }
    }

    private void method(NodeFile node) {
        Value method = attrs.get("method");
        if (method == null) {
            return;
        }
        String m = method.text().toLowerCase(Locale.ROOT);
        char c = m.isEmpty() ? 'r' : m.charAt(0);
        switch (c) {
            case 't', '1' -> node.set(Setting.BALANCE_METHOD, "traffic", method.source());
            case 'b', '2' -> node.set(Setting.BALANCE_METHOD, "busyness", method.source());
            case 's', '3' -> node.set(Setting.BALANCE_METHOD, "requests", method.source(), "mod_jk's Sessions "
                    + "counts new sessions; the front balances new sessions by requests, the closest it has");
            case 'n', '4' -> node.set(Setting.BALANCE_METHOD, "busyness", method.source(), "mod_jk's Next "
                    + "takes the next member round-robin among the least busy; busyness is the closest");
            default -> node.set(Setting.BALANCE_METHOD, "requests", method.source());
        }
    }
}
