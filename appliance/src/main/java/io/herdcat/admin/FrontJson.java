package io.herdcat.admin;

import io.herdcat.dispatcher.DispatcherSnapshot;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** The "front" part of {@code GET /status} on the node that runs the HTTP front: per node health and counters. */
final class FrontJson {
    private FrontJson() {
    }

    static Map<String, Object> front(DispatcherSnapshot s) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("scheme", s.scheme());
        doc.put("port", s.port());
        doc.put("failovers", s.failovers());
        Map<String, Object> cuts = new LinkedHashMap<>();
        cuts.put("slowBodies", s.clientCuts().slowBodies());
        cuts.put("sendTimeouts", s.clientCuts().sendTimeouts());
        cuts.put("refusedConnections", s.clientCuts().refusedConnections());
        doc.put("clientsCut", cuts);
        Map<String, Object> ws = new LinkedHashMap<>();
        ws.put("open", s.webSockets().open());
        ws.put("max", s.webSockets().max());
        ws.put("refused", s.webSockets().refused());
        ws.put("closes", s.webSockets().closes());
        doc.put("webSockets", ws);

        Map<String, Object> http2 = new LinkedHashMap<>();
        http2.put("connections", s.http2().connections());
        http2.put("streams", s.http2().streams());
        http2.put("goaways", new java.util.TreeMap<>(s.http2().goAways()));
        doc.put("http2", http2);
        doc.put("nodes", s.nodes().stream().map(FrontJson::node).toList());
        return doc;
    }

    private static Map<String, Object> node(DispatcherSnapshot.NodeStats n) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("route", n.route());
        m.put("ajp", n.address());
        m.put("activation", n.activation());
        m.put("weight", n.weight());
        m.put("state", n.state());
        m.put("errorSince", n.errorSinceMillis() == 0 ? null : Instant.ofEpochMilli(n.errorSinceMillis()).toString());
        m.put("inFlight", n.inFlight());
        m.put("requests", n.requests());
        m.put("errors", n.errors());
        m.put("bytesIn", n.bytesIn());
        m.put("bytesOut", n.bytesOut());
        m.put("lastError", n.lastError());
        m.put("lastErrorAt", n.lastErrorAtMillis() == 0 ? null : Instant.ofEpochMilli(n.lastErrorAtMillis()).toString());
        m.put("connections", n.poolOpen());
        m.put("idleConnections", n.poolIdle());
        m.put("webSockets", n.webSockets());
        return m;
    }
}
