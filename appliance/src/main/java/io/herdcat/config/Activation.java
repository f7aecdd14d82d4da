package io.herdcat.config;

/** What a front may send to a node (mod_jk's activation): everything, only its sessions, or nothing. */
public enum Activation {
    /** New sessions and existing ones. */
    ACTIVE,
    /** Only requests of sessions it already has: drain before maintenance. */
    DISABLED,
    /** Nothing. */
    STOPPED
}
