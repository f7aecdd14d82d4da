package io.herdcat.dispatcher;

import java.util.List;

/**
 * What the front knows at one moment, for the status page, the admin API and metrics: where it
 * listens, how many requests it moved to another node, and per node its settings, health and counters.
 */
public record DispatcherSnapshot(String scheme, int port, long failovers, List<NodeStats> nodes) {

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
        nodes = List.copyOf(nodes);
    }
}
