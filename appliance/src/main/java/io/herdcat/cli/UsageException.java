package io.herdcat.cli;

/** A mistake in how a command was called (exit code 2): the message is one line naming it and the fix. */
final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
        super(message, null, false, false);
    }
}
