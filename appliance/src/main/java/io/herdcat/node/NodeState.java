package io.herdcat.node;

/** Lifecycle of a node. */
public enum NodeState { NEW, STARTING, STARTED, STOPPING, STOPPED, FAILED }
