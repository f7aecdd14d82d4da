package io.herdcat.config;

/** Whether a node may be elected to run the cluster's HTTP front. */
public enum DispatcherMode {
    /** Run it when elected. */
    AUTO,
    /** Prefer this node. */
    ALWAYS,
    /** Never run it here. */
    NEVER
}
