package io.herdcat.dispatcher;

import java.util.List;
import java.util.Map;

/**
 * What the front knows at one moment, for the status page, the admin API and metrics: where it
 * listens, how many requests it moved to another node, what it cut off of slow or greedy clients, and
 * per node its settings, health and counters.
 */
public record DispatcherSnapshot(String scheme, int port, long failovers, ClientCuts clientCuts, List<NodeStats> nodes,
                                 WebSockets webSockets, Http2 http2) {

    /** A snapshot of a front that reports neither WebSockets nor HTTP/2 (an older node's). */
    public DispatcherSnapshot(String scheme, int port, long failovers, ClientCuts clientCuts, List<NodeStats> nodes) {
        this(scheme, port, failovers, clientCuts, nodes, WebSockets.NONE, Http2.NONE);
    }

    /** A snapshot without HTTP/2 counts (as other nodes publish the front's state). */
    public DispatcherSnapshot(String scheme, int port, long failovers, ClientCuts clientCuts, List<NodeStats> nodes,
                              WebSockets webSockets) {
        this(scheme, port, failovers, clientCuts, nodes, webSockets, Http2.NONE);
    }

    /**
     * HTTP/2 on the front.
     *
     * @param connections HTTP/2 connections open now; {@code streams} their streams open now
     * @param goAways     connections the front closed with GOAWAY since it started, by reason
     *                    (rapid_reset, continuation, header_list, protocol, idle, drain)
     */
    public record Http2(int connections, int streams, java.util.Map<String, Long> goAways) {
        public static final Http2 NONE = new Http2(0, 0, java.util.Map.of());

        public Http2 {
            goAways = java.util.Map.copyOf(goAways);
        }
    }

    /**
     * The WebSockets through the front.
     *
     * @param open    open now (handshakes in progress included)
     * @param max     {@code front.ws.max} (0: no limit)
     * @param refused handshakes answered 503 because {@code max} were open, since the front started
     * @param closes  closed since the front started, by reason (client, node, node_lost, idle, stopped, front)
     */
    public record WebSockets(int open, int max, long refused, Map<String, Long> closes) {
        public static final WebSockets NONE = new WebSockets(0, 0, 0, Map.of());

        public WebSockets {
            closes = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(closes));
        }
    }

    /**
     * Clients the front cut off to protect the nodes, since it started.
     *
     * @param slowBodies         requests answered 408: their body did not arrive in time or at the minimum rate
     * @param sendTimeouts       connections closed because the client took no response bytes for the send timeout
     * @param refusedConnections connections closed at accept: their address already held its maximum
     */
    public record ClientCuts(long slowBodies, long sendTimeouts, long refusedConnections) {
        public static final ClientCuts NONE = new ClientCuts(0, 0, 0);
    }

    /**
     * One node as the front sees it.
     *
     * @param state            "ok", or "error" from {@code errorSinceMillis} until a CPing is answered
     * @param lastError        what went wrong last, or null; at {@code lastErrorAtMillis}
     * @param bytesIn          request body bytes sent to the node; {@code bytesOut} response body bytes back
     * @param poolOpen         connections open to the node; {@code poolIdle} of them unused
     * @param webSockets       WebSockets open through the front to the node
     */
    public record NodeStats(String route, String address, String activation, int weight, String state,
                            long errorSinceMillis, String lastError, long lastErrorAtMillis, long inFlight,
                            long requests, long errors, long bytesIn, long bytesOut, int poolOpen, int poolIdle,
                            int webSockets) {
        /** A node without WebSockets (as an older front reports it). */
        public NodeStats(String route, String address, String activation, int weight, String state,
                         long errorSinceMillis, String lastError, long lastErrorAtMillis, long inFlight,
                         long requests, long errors, long bytesIn, long bytesOut, int poolOpen, int poolIdle) {
            this(route, address, activation, weight, state, errorSinceMillis, lastError, lastErrorAtMillis, inFlight,
                    requests, errors, bytesIn, bytesOut, poolOpen, poolIdle, 0);
        }
    }

    public DispatcherSnapshot {
        java.util.Objects.requireNonNull(clientCuts);
        java.util.Objects.requireNonNull(webSockets);
        java.util.Objects.requireNonNull(http2);
        nodes = List.copyOf(nodes);
    }
}
