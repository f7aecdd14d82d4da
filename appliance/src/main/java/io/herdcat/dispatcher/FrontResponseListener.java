package io.herdcat.dispatcher;

/**
 * Told of every response the front completes, from a node or its own (400, 413, 502, 503, 504…): the
 * status and the time from the request head to the end of the response. Called on an event loop: it
 * must not block.
 */
@FunctionalInterface
public interface FrontResponseListener {
    void responded(int status, long nanos);
}
