package io.herdcat.admin;

import io.herdcat.cluster.ClusterNode;
import io.herdcat.cluster.ClusterView;
import io.herdcat.cluster.NodeRecord;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The "cluster" part of {@code GET /status}: members, coordinator, the majority rule when
 * {@code cluster.size} is set (and why nobody runs the front when it is not met), and every node's record.
 */
final class ClusterJson {
    private ClusterJson() {
    }

    static Map<String, Object> cluster(String clusterName, ClusterNode cluster) {
        ClusterView view = cluster.view();
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("name", clusterName);
        doc.put("viewId", view.viewId());
        doc.put("coordinator", view.coordinator().orElse(null));
        doc.put("dispatcher", view.dispatcher().orElse(null));
        doc.put("members", view.memberNames());
        if (view.quorum().size() > 0) {
            Map<String, Object> quorum = new LinkedHashMap<>();
            quorum.put("size", view.quorum().size());
            quorum.put("majority", view.quorum().majority());
            quorum.put("reachable", view.reachableMembers());
            quorum.put("problem", view.frontBlocked().orElse(null));
            doc.put("quorum", quorum);
        }
        doc.put("nodes", view.records().stream().map(ClusterJson::record).toList());
        doc.put("incompatibleNodes", List.copyOf(cluster.incompatibleNodes()));
        Map<String, Object> replication = new LinkedHashMap<>();
        replication.put("notSerializableAttributes", cluster.counters().notSerializableAttributes());
        replication.put("sessionConflicts", cluster.counters().sessionConflicts());
        replication.put("staleSessionCopies", cluster.counters().staleSessionCopies());
        replication.put("droppedMessages", cluster.counters().droppedMessages());
        replication.put("changesReplicated", cluster.counters().changesReplicated());
        replication.put("changeMessages", cluster.counters().changeMessages());
        doc.put("replication", replication);
        doc.put("rejectedMessages", cluster.rejectedMessages().snapshot());
        return doc;
    }

    private static Map<String, Object> record(NodeRecord r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", r.name());
        m.put("phase", r.phase().name());
        m.put("activation", r.activation().name().toLowerCase(Locale.ROOT));
        m.put("weight", r.weight());
        m.put("ajp", r.ajpHost() + ":" + r.ajpPort());
        m.put("httpPort", r.httpPort());
        m.put("adminPort", r.adminPort());
        m.put("tribes", r.tribesHost() + ":" + r.tribesPort());
        m.put("version", r.herdcatVersion());
        m.put("tomcatVersion", r.tomcatVersion());
        m.put("webapps", r.webapps().stream().map(w -> w.version().isEmpty() ? w.name() : w.name() + "##" + w.version())
                .toList());
        m.put("startedAt", r.startedAt().toString());
        m.put("revision", r.revision());
        return m;
    }
}
