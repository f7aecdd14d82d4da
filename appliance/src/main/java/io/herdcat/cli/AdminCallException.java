package io.herdcat.cli;

/** An admin API call that failed (exit code 1): unreachable, refused, or answered with an error. */
final class AdminCallException extends Exception {
    private static final long serialVersionUID = 1L;

    AdminCallException(String message) {
        super(message, null, false, false);
    }
}
