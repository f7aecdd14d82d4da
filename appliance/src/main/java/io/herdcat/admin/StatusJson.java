package io.herdcat.admin;

import io.herdcat.node.NodeStatus;
import io.herdcat.node.Versions;
import io.herdcat.node.WebappStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The JSON documents of {@code GET /status} and {@code GET /health}. */
final class StatusJson {
    private StatusJson() {
    }

    static Map<String, Object> status(NodeStatus s, int adminPort, Instant now) {
        Map<String, Object> ports = new LinkedHashMap<>();
        ports.put("http", s.httpPort());
        ports.put("ajp", s.ajpPort());
        ports.put("admin", adminPort);

        Map<String, Object> requests = new LinkedHashMap<>();
        requests.put("total", s.requests().requests());
        requests.put("inFlight", s.requests().inFlight());
        requests.put("serverErrors", s.requests().serverErrors());
        requests.put("bytesSent", s.requests().bytesSent());

        Map<String, Object> sessions = new LinkedHashMap<>();
        sessions.put("active", s.activeSessions());
        sessions.put("created", s.sessionsCreated());

        Map<String, Object> node = new LinkedHashMap<>();
        node.put("name", s.name());
        node.put("state", s.state().name());
        node.put("ready", s.ready());
        node.put("version", Versions.herdcat());
        node.put("tomcatVersion", s.tomcatVersion());
        node.put("startedAt", s.startedAt() == null ? null : s.startedAt().toString());
        node.put("uptimeSeconds", s.startedAt() == null ? 0 : Duration.between(s.startedAt(), now).toSeconds());
        node.put("ports", ports);
        node.put("webapps", s.webapps().stream().map(StatusJson::webapp).toList());
        node.put("requests", requests);
        node.put("sessions", sessions);

        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("node", node);
        return doc;
    }

    private static Map<String, Object> webapp(WebappStatus w) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", w.name());
        m.put("path", w.path());
        m.put("version", w.version());
        m.put("state", w.state());
        m.put("distributable", w.distributable());
        m.put("activeSessions", w.activeSessions());
        m.put("sessionsCreated", w.sessionsCreated());
        return m;
    }

    static Map<String, Object> health(NodeStatus s) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("status", s.ready() ? "UP" : s.state().name());
        List<String> notRunning = s.webapps().stream()
                .filter(w -> !"STARTED".equals(w.state()))
                .map(w -> w.name() + " " + w.state())
                .toList();
        if (!notRunning.isEmpty()) {
            doc.put("webappsNotRunning", notRunning);
        }
        return doc;
    }
}
