package io.herdcat.dispatcher;

/**
 * Told when this node's HTTP front starts accepting connections and when it stops (handed over, stopping,
 * closed): what has to follow the front, such as its address, hangs on these. Called on the front's own
 * threads: implementations must return at once and do their work elsewhere.
 */
public interface FrontStateListener {
    /** The front listens and accepts. */
    void frontOpened();

    /** The front no longer accepts new connections (requests in flight may still be finishing). */
    void frontClosed();
}
