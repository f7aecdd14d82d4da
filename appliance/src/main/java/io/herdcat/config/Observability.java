package io.herdcat.config;

import java.nio.file.Path;
import java.util.Objects;

/**
 * How a node shows itself to operators' tools: its log levels and format, the front's access log
 * (null: none) and whether {@code /health} follows the node's activation so that an external load
 * balancer drains it along with the front.
 */
public record Observability(LogLevels logLevels, LogFormat logFormat, Path frontAccessLog, boolean healthDrain) {
    /** How log events are written: a line of text each, or a JSON object each. */
    public enum LogFormat { PLAIN, JSON }

    public Observability {
        Objects.requireNonNull(logLevels);
        Objects.requireNonNull(logFormat);
    }

    static Observability parse(SettingParser p) {
        Path accessLog = p.path(Setting.FRONT_ACCESS_LOG);
        Path folder = accessLog == null ? null : accessLog.getParent();
        if (folder != null && !java.nio.file.Files.isDirectory(folder)) {
            throw ConfigException.of(p.value(Setting.FRONT_ACCESS_LOG), "folder " + folder
                    + " does not exist; create it or fix the path");
        }
        return new Observability(LogLevels.parse(p.value(Setting.LOG_LEVEL)),
                p.choice(Setting.LOG_FORMAT, LogFormat.class), accessLog, p.bool(Setting.HEALTH_DRAIN));
    }
}
