package io.herdcat.metrics;

import io.herdcat.dispatcher.DispatcherSnapshot;
import io.herdcat.dispatcher.DispatcherSnapshot.NodeStats;
import io.herdcat.dispatcher.FrontService;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.List;
import java.util.Optional;
import java.util.function.ToDoubleFunction;

/**
 * The cluster's HTTP front, on the node that runs it: per node the front's requests, errors, requests
 * in flight, body bytes, AJP connections, WebSockets and health; failovers; clients cut off by kind; the
 * WebSockets through it ({@link FrontWebSocketMeters}); HTTP/2 ({@link FrontHttp2Meters}); and the front's
 * responses by status
 * class with their durations. The meters exist only while this node runs the front: they are
 * registered when it opens and removed at the first scrape after it closed (or moved to another node).
 */
final class FrontMeters {
    /** Busy and idle add up to the open connections: summing the series counts each connection once. */
    private static final String CONNECTIONS_HELP = "AJP connections of the front to the node: busy (carrying a "
            + "request) and idle (pooled); together the open ones";
    private final MeterRegistry registry;
    private final FrontService front;
    private final KeyedMeters<String> nodes;
    private volatile DispatcherSnapshot snapshot;
    private volatile StatusTimers responses;
    private Meter failovers;
    private List<Meter> clientCuts = List.of();
    private FrontWebSocketMeters webSockets;

    private List<Meter> http2 = List.of();

    FrontMeters(MeterRegistry registry, FrontService front) {
        this.registry = registry;
        this.front = front;
        this.nodes = new KeyedMeters<>(registry, this::nodeMeters);
        front.onResponse(this::responded);
        refresh();
    }

    /**
     * Takes the front's state for the next scrape; registers or removes the front's meters with it. The
     * snapshot is taken before this object's lock: the front may be closing, waiting for an event loop
     * that is about to report a response here.
     */
    void refresh() {
        Optional<DispatcherSnapshot> now = front.snapshot();
        synchronized (this) {
            snapshot = now.orElse(null);
            if (now.isPresent()) {
                opened();
                nodes.update(now.get().nodes().stream().map(NodeStats::route).toList());
            } else {
                closed();
            }
        }
    }

    private void responded(int status, long nanos) {
        StatusTimers timers = responses;
        if (timers == null) {
            timers = opened();
        }
        timers.record(status, nanos);
    }

    private synchronized StatusTimers opened() {
        if (responses == null) {
            responses = new StatusTimers(registry, "herdcat.front.request",
                    "Time from the request head to the end of the front's response, by status class",
                    "herdcat.front.responses", "Responses the front completed, by status class");
            failovers = FunctionCounter.builder("herdcat.front.failovers", this,
                            m -> m.snapshot == null ? Double.NaN : m.snapshot.failovers())
                    .description("Requests the front moved to another node after theirs failed").register(registry);
            clientCuts = List.of(
                    clientCut("slow-body", DispatcherSnapshot.ClientCuts::slowBodies),
                    clientCut("send-timeout", DispatcherSnapshot.ClientCuts::sendTimeouts),
                    clientCut("refused-connection", DispatcherSnapshot.ClientCuts::refusedConnections));
            webSockets = new FrontWebSocketMeters(registry, () -> snapshot);

            http2 = FrontHttp2Meters.register(registry, () -> snapshot);
        }
        return responses;
    }

    private void closed() {
        nodes.clear();
        if (responses != null) {
            responses.meters().forEach(registry::remove);
            registry.remove(failovers);
            clientCuts.forEach(registry::remove);
            clientCuts = List.of();
            webSockets.remove(registry);
            webSockets = null;

            http2.forEach(registry::remove);
            http2 = List.of();
            responses = null;
            failovers = null;
        }
    }

    private Meter clientCut(String kind, ToDoubleFunction<DispatcherSnapshot.ClientCuts> count) {
        return FunctionCounter.builder("herdcat.front.clients.cut", this,
                        m -> m.snapshot == null ? Double.NaN : count.applyAsDouble(m.snapshot.clientCuts()))
                .tag("kind", kind)
                .description("Clients the front cut off to protect the nodes: slow-body (408, body too slow), "
                        + "send-timeout (took no response bytes), refused-connection (its address at its maximum)")
                .register(registry);
    }

    private List<Meter> nodeMeters(String route) {
        Tags node = Tags.of("node", route);
        return List.of(
                counter("herdcat.front.requests", "Requests the front sent to the node", node, route,
                        NodeStats::requests),
                counter("herdcat.front.errors", "Requests to the node that failed (connection, protocol, timeout)",
                        node, route, NodeStats::errors),
                bytes("herdcat.front.request.body", "Request body bytes the front sent to the node", node, route,
                        NodeStats::bytesIn),
                bytes("herdcat.front.response.body", "Response body bytes the node sent back through the front",
                        node, route, NodeStats::bytesOut),
                gauge("herdcat.front.in.flight", "Requests the front has at the node now", node, route,
                        NodeStats::inFlight),
                gauge("herdcat.front.node.up", "1 while the front can use the node, 0 while it is in error",
                        node, route, n -> "ok".equals(n.state()) ? 1 : 0),
                gauge("herdcat.front.connections", CONNECTIONS_HELP, node.and("state", "busy"), route,
                        n -> Math.max(0, n.poolOpen() - n.poolIdle())),
                gauge("herdcat.front.connections", CONNECTIONS_HELP, node.and("state", "idle"), route,
                        NodeStats::poolIdle),
                gauge("herdcat.front.node.websockets", "WebSockets open through the front to the node", node, route,
                        NodeStats::webSockets));
    }

    private Meter bytes(String name, String help, Tags tags, String route, ToDoubleFunction<NodeStats> value) {
        return FunctionCounter.builder(name, this, m -> m.node(route, value)).description(help).baseUnit("bytes")
                .tags(tags).register(registry);
    }

    private Meter counter(String name, String help, Tags tags, String route, ToDoubleFunction<NodeStats> value) {
        return FunctionCounter.builder(name, this, m -> m.node(route, value)).description(help).tags(tags)
                .register(registry);
    }

    private Meter gauge(String name, String help, Tags tags, String route, ToDoubleFunction<NodeStats> value) {
        return Gauge.builder(name, this, m -> m.node(route, value)).description(help).tags(tags).register(registry);
    }

    private double node(String route, ToDoubleFunction<NodeStats> value) {
        DispatcherSnapshot s = snapshot;
        if (s != null) {
            for (NodeStats n : s.nodes()) {
                if (n.route().equals(route)) {
                    return value.applyAsDouble(n);
                }
            }
        }
        return Double.NaN;
    }
}
