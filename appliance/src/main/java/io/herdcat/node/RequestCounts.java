package io.herdcat.node;

/** Request counters of a node since it started. */
public record RequestCounts(long requests, long inFlight, long serverErrors, long bytesSent) {
}
