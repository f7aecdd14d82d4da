package io.herdcat.lifecycle;

/**
 * The phases of a node's start, in order. Every socket that needs privilege is bound in {@link #BIND},
 * where nothing is answered yet; {@link #DROP} gives up root for good; only then does the node write
 * files, talk to its cluster and answer anyone ({@link #SERVE}). A {@link LifeCycle} refuses a part added
 * out of this order.
 */
public enum Phase {
    BIND,
    DROP,
    SERVE
}
