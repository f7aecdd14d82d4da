package io.herdcat.dispatcher;

import java.util.List;

/**
 * What the front knows at one moment, for the status page, the admin API and metrics: where it
 * listens, how many requests it moved to another node, what it cut off of slow or greedy clients, and
 * per node its settings, health and counters.
 */
public record DispatcherSnapshot(String scheme, int port, long failovers, ClientCuts clientCuts, List<NodeStats> nodes,
                                 Http2 http2) {

    /** A snapshot without HTTP/2 counts (as other nodes publish the front's state). */
    public DispatcherSnapshot(String scheme, int port, long failovers, ClientCuts clientCuts, List<NodeStats> nodes) {
        this(scheme, port, failovers, clientCuts, nodes, Http2.NONE);
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
     */
    public record NodeStats(String route, String address, String activation, int weight, String state,
                            long errorSinceMillis, String lastError, long lastErrorAtMillis, long inFlight,
                            long requests, long errors, long bytesIn, long bytesOut, int poolOpen, int poolIdle) {
    }

    public DispatcherSnapshot {
        java.util.Objects.requireNonNull(clientCuts);
        java.util.Objects.requireNonNull(http2);
        nodes = List.copyOf(nodes);
    }
}
