package io.herdcat.admin;

import io.herdcat.config.NodeConfig;
import io.herdcat.vip.VipCounters;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The "frontMove" part of {@code GET /status}: the address that moves with the front on this node and
 * how many of the commands that move it, and of the hooks, failed here.
 */
final class FrontMoveJson {
    private FrontMoveJson() {
    }

    static Map<String, Object> frontMove(NodeConfig.FrontMove settings, VipCounters counters) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("vip", settings.vip() == null ? null : settings.vip().cidr());
        doc.put("interface", settings.vip() == null ? null : settings.vip().device());
        doc.put("commandFailures", counters.commandFailures());
        doc.put("hookFailures", counters.hookFailures());
        return doc;
    }
}
