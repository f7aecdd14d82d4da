package io.herdcat.metrics;

import io.herdcat.node.NodeStatus;
import io.herdcat.node.TomcatNode;
import io.herdcat.node.WebappStatus;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * This node's Tomcat: requests by status class and their durations (timed by the Engine, HTTP and AJP
 * alike), requests in flight, body bytes sent, readiness, and per webapp the sessions it holds and
 * has created. Gauges read the node status taken at the last {@link #refresh()}.
 */
final class NodeMeters {
    private final TomcatNode node;
    private final KeyedMeters<String> webapps;
    private volatile NodeStatus status;

    NodeMeters(MeterRegistry registry, TomcatNode node) {
        this.node = node;
        this.status = node.status();
        StatusTimers requests = new StatusTimers(registry, "herdcat.node.request",
                "Time from the request reaching the Engine to the servlet returning, by status class",
                "herdcat.node.requests", "Requests this node served (HTTP and AJP), by status class");
        node.onRequest(requests::record);
        Gauge.builder("herdcat.node.in.flight", this, m -> m.status.requests().inFlight())
                .description("Requests this node is serving now").register(registry);
        FunctionCounter.builder("herdcat.node.response.bytes", this, m -> m.status.requests().bytesSent())
                .description("Response body bytes this node sent").register(registry);
        Gauge.builder("herdcat.node.ready", this, m -> m.status.ready() ? 1 : 0)
                .description("1 while Tomcat runs and every webapp of the folder is started, else 0")
                .register(registry);
        this.webapps = new KeyedMeters<>(registry, name -> List.<Meter>of(
                Gauge.builder("herdcat.node.sessions", this, m -> m.webapp(name, WebappStatus::activeSessions))
                        .description("Sessions this node holds (with session.manager=delta, every node holds "
                                + "every session), by webapp")
                        .tag("webapp", name).register(registry),
                FunctionCounter.builder("herdcat.node.session.creations", this,
                                m -> m.webapp(name, WebappStatus::sessionsCreated))
                        .description("Sessions created on this node, by webapp (restarts at 0 on redeploy)")
                        .tag("webapp", name).register(registry)));
        refresh();
    }

    /** Takes the node's status for the next scrape and follows deployed and undeployed webapps. */
    void refresh() {
        NodeStatus now = node.status();
        status = now;
        webapps.update(now.webapps().stream().map(WebappStatus::name).toList());
    }

    private double webapp(String name, ToDoubleFunction<WebappStatus> value) {
        for (WebappStatus w : status.webapps()) {
            if (w.name().equals(name)) {
                return value.applyAsDouble(w);
            }
        }
        return Double.NaN;
    }
}
