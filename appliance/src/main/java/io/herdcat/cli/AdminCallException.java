package io.herdcat.cli;

/**
 * An admin API call that failed (exit code 1, or one a command gives it): unreachable, refused, or answered with an error.
 * {@link #lostConnection()} tells a node that could not be reached or did not answer in time (worth
 * asking again while waiting on an upgrade) from one that answered no.
 */
final class AdminCallException extends Exception {
    private static final long serialVersionUID = 1L;

    private final boolean lostConnection;
    private final int exitCode;

    AdminCallException(String message) {
        this(message, false);
    }

    AdminCallException(String message, boolean lostConnection) {
        this(message, lostConnection, 1);
    }

    private AdminCallException(String message, boolean lostConnection, int exitCode) {
        super(message, null, false, false);
        this.lostConnection = lostConnection;
        this.exitCode = exitCode;
    }

    /** The same failure, ending the command with {@code exitCode} instead of 1. */
    AdminCallException exitingWith(int exitCode) {
        return new AdminCallException(getMessage(), lostConnection, exitCode);
    }

    /** The command's exit code: 1 unless a command gave this failure a code of its own. */
    int exitCode() {
        return exitCode;
    }

    /** True when the node could not be reached, did not answer in time, or said it is unavailable (503). */
    boolean lostConnection() {
        return lostConnection;
    }
}
