package io.herdcat.node;

/** One deployed webapp: its path, version (from {@code app##VERSION.war}), lifecycle state and sessions. */
public record WebappStatus(String name, String path, String version, String state, boolean distributable,
                           int activeSessions, long sessionsCreated) {
}
