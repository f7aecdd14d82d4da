package io.herdcat.node;

/** Told of every request the node served (HTTP and AJP alike): its status and how long it took. */
@FunctionalInterface
public interface RequestListener {
    void served(int status, long nanos);
}
