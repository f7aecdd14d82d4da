package io.herdcat.admin;

import io.herdcat.cluster.ClusterMembership;
import io.herdcat.cluster.ClusterNode;
import io.herdcat.cluster.ClusterView;
import io.herdcat.cluster.NodeRecord;
import io.herdcat.dispatcher.DispatcherSnapshot;
import io.herdcat.dispatcher.FrontStatsCodec;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The node table of {@code GET /status}, the same on every member: each node's record (addresses,
 * activation, weight, versions, uptime) joined with what the front sees of it (state, requests in
 * flight, requests, errors, bytes, last error; published by the front's node every second) and the
 * sessions it holds. Nodes the front serves from {@code front.nodes} appear too, without a record.
 */
final class NodesJson {
    /** Front statistics older than this are not shown as current (the front's node went away). */
    private static final long STALE_MILLIS = 5000;

    private NodesJson() {
    }

    static List<Map<String, Object>> nodes(ClusterNode cluster, Instant now) {
        ClusterView view = cluster.view();
        String dispatcher = view.dispatcher().orElse(null);
        Map<String, DispatcherSnapshot.NodeStats> seen = new HashMap<>();
        front(cluster.membership(), now).ifPresent(s -> s.nodes().forEach(n -> seen.put(n.route(), n)));
        Map<String, Long> sessions = cluster.membership().sessionsByNode();
        List<Map<String, Object>> rows = new ArrayList<>();
        for (NodeRecord r : view.records()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", r.name());
            m.put("route", r.name());
            m.put("phase", r.phase().name().toLowerCase(Locale.ROOT));
            m.put("dispatcher", r.name().equals(dispatcher));
            m.put("http", r.ajpHost() + ":" + r.httpPort());
            m.put("ajp", r.ajpHost() + ":" + r.ajpPort());
            m.put("adminPort", r.adminPort());
            m.put("activation", r.activation().name().toLowerCase(Locale.ROOT));
            m.put("weight", r.weight());
            traffic(m, seen.remove(r.name()), r.phase() == NodeRecord.Phase.STARTING);
            m.put("sessions", sessions.get(r.name()));
            m.put("version", r.herdcatVersion());
            m.put("tomcatVersion", r.tomcatVersion());
            m.put("replicationFormat", r.replicationFormat());
            m.put("webapps", r.webapps().stream()
                    .map(w -> w.version().isEmpty() ? w.name() : w.name() + "##" + w.version()).toList());
            m.put("startedAt", r.startedAt().toString());
            m.put("uptimeSeconds", Math.max(0, Duration.between(r.startedAt(), now).toSeconds()));
            rows.add(m);
        }
        for (DispatcherSnapshot.NodeStats n : seen.values()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", n.route());
            m.put("route", n.route());
            m.put("phase", "static");
            m.put("dispatcher", false);
            m.put("ajp", n.address());
            m.put("activation", n.activation());
            m.put("weight", n.weight());
            traffic(m, n, false);
            rows.add(m);
        }
        return rows;
    }

    /** ok / error as the front sees the node; "recovering" while it starts; "unknown" without a front. */
    private static void traffic(Map<String, Object> m, DispatcherSnapshot.NodeStats n, boolean starting) {
        m.put("state", starting ? "recovering" : n == null ? "unknown" : n.state());
        m.put("inFlight", n == null ? null : n.inFlight());
        m.put("requests", n == null ? null : n.requests());
        m.put("errors", n == null ? null : n.errors());
        m.put("bytesIn", n == null ? null : n.bytesIn());
        m.put("bytesOut", n == null ? null : n.bytesOut());
        m.put("connections", n == null ? null : n.poolOpen());
        m.put("webSockets", n == null ? null : n.webSockets());
        m.put("lastError", n == null ? null : n.lastError());
        m.put("lastErrorAt", n == null || n.lastErrorAtMillis() == 0 ? null
                : Instant.ofEpochMilli(n.lastErrorAtMillis()).toString());
    }

    /** The front's latest statistics, decoded, unless they are stale. */
    static Optional<DispatcherSnapshot> front(ClusterMembership membership, Instant now) {
        Optional<ClusterMembership.FrontStats> stats = membership.frontStats();
        if (stats.isEmpty() || now.toEpochMilli() - stats.get().receivedAtMillis() > STALE_MILLIS) {
            return Optional.empty();
        }
        try {
            return Optional.of(FrontStatsCodec.decode(stats.get().snapshot()));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
