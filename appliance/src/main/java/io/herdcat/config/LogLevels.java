package io.herdcat.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The levels of the node's loggers: the root's, and single loggers' ({@code org.apache.catalina=debug}).
 * One setting, {@code log.level}, carries both as {@code LEVEL,LOGGER=LEVEL,...}, so it can be given as
 * a flag or an environment variable too; the properties file may also say {@code log.level.LOGGER=LEVEL},
 * one key per logger, which is folded into the same list. Each source adds to the earlier ones; a
 * logger named again takes the later level.
 */
public record LogLevels(String root, Map<String, String> loggers) {
    /** The level names Logback understands, lower case. */
    public static final List<String> LEVELS = List.of("trace", "debug", "info", "warn", "error", "off");

    public LogLevels {
        loggers = Collections.unmodifiableMap(new LinkedHashMap<>(loggers));
    }

    /** Parses {@code log.level}; a bad entry fails with a line naming its key ({@code log.level.LOGGER}). */
    static LogLevels parse(RawValue value) {
        String root = null;
        Map<String, String> loggers = new LinkedHashMap<>();
        for (String part : value.text().split(",")) {
            String entry = part.trim();
            if (entry.isEmpty()) {
                continue;
            }
            int eq = entry.indexOf('=');
            if (eq < 0) {
                root = level(value, Setting.LOG_LEVEL.key(), entry);
            } else {
                String logger = entry.substring(0, eq).trim();
                String key = Setting.LOG_LEVEL_PREFIX + logger;
                if (logger.isEmpty() || logger.chars().anyMatch(Character::isWhitespace)) {
                    throw new ConfigException(key + " (" + value.origin() + "): '" + logger
                            + "' is not a logger name; write e.g. org.apache.catalina=debug");
                }
                loggers.put(logger, level(value, key, entry.substring(eq + 1).trim()));
            }
        }
        return new LogLevels(root == null ? Setting.LOG_LEVEL.defaultValue() : root, loggers);
    }

    private static String level(RawValue value, String key, String text) {
        String level = text.toLowerCase(Locale.ROOT);
        if (!LEVELS.contains(level)) {
            throw new ConfigException(key + " (" + value.origin() + "): '" + text + "' is not a log level; use one of "
                    + String.join(", ", LEVELS));
        }
        return level;
    }

    /** A file's {@code log.level} (may be null) with its {@code log.level.LOGGER} keys added. */
    static RawValue withLoggers(RawValue root, Map<String, String> loggers, String origin) {
        StringJoiner text = new StringJoiner(",");
        if (root != null) {
            text.add(root.text());
        }
        loggers.forEach((logger, level) -> text.add(logger + "=" + level));
        return new RawValue(Setting.LOG_LEVEL, text.toString(), origin);
    }

    /** An earlier source's levels, then a later one's (which win where both name the same logger). */
    static RawValue combine(RawValue earlier, RawValue later) {
        return new RawValue(Setting.LOG_LEVEL, earlier.text() + "," + later.text(),
                earlier.origin() + " and " + later.origin());
    }
}
