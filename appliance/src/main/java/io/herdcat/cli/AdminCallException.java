package io.herdcat.cli;

/**
 * An admin API call that failed (exit code 1): unreachable, refused, or answered with an error.
 * {@link #lostConnection()} tells a node that could not be reached or did not answer in time (worth
 * asking again while waiting on an upgrade) from one that answered no.
 */
final class AdminCallException extends Exception {
    private static final long serialVersionUID = 1L;

    private final boolean lostConnection;

    AdminCallException(String message) {
        this(message, false);
    }

    AdminCallException(String message, boolean lostConnection) {
        super(message, null, false, false);
        this.lostConnection = lostConnection;
    }

    /** True when the node could not be reached, did not answer in time, or said it is unavailable (503). */
    boolean lostConnection() {
        return lostConnection;
    }
}
