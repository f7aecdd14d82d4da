package io.herdcat.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** log.level and log.level.LOGGER: from the file, the environment and the flags, adding up. */
class LogLevelsTest {
    @TempDir
    Path dir;

    private LogLevels levels(String file, Map<String, String> env, String flag) throws IOException {
        Files.writeString(dir.resolve("herdcat.properties"), file);
        Map<Setting, String> flags = new EnumMap<>(Setting.class);
        if (flag != null) {
            flags.put(Setting.LOG_LEVEL, flag);
        }
        RawValue raw = ConfigSources.gather(flags, env, dir).get(Setting.LOG_LEVEL);
        return LogLevels.parse(raw == null ? new RawValue(Setting.LOG_LEVEL, "info", "default") : raw);
    }

    @Test
    void defaultIsInfoWithNoLoggers() throws IOException {
        assertEquals(new LogLevels("info", Map.of()), levels("", Map.of(), null));
    }

    @Test
    void fileKeysPerLoggerAddToTheRoot() throws IOException {
        LogLevels l = levels("log.level=WARN\nlog.level.org.apache.catalina=debug\nlog.level.org.jgroups=error\n",
                Map.of(), null);
        assertEquals("warn", l.root());
        assertEquals(Map.of("org.apache.catalina", "debug", "org.jgroups", "error"), l.loggers());
    }

    @Test
    void laterSourcesAddLoggersAndWinWhereTheyNameTheSame() throws IOException {
        LogLevels l = levels("log.level.org.apache.catalina=debug\nlog.level.org.jgroups=error\n",
                Map.of("HERDCAT_LOG_LEVEL", "org.jgroups=info"), "error,io.herdcat=trace");
        assertEquals("error", l.root());
        assertEquals(Map.of("org.apache.catalina", "debug", "org.jgroups", "info", "io.herdcat", "trace"), l.loggers());
    }

    @Test
    void aBadLevelNamesTheLoggersKey() throws IOException {
        ConfigException e = assertThrows(ConfigException.class,
                () -> levels("log.level.org.apache.catalina=loud\n", Map.of(), null));
        assertTrue(e.getMessage().startsWith("log.level.org.apache.catalina (herdcat.properties): 'loud' is not a log "
                + "level; use one of trace, debug, info, warn, error, off"), e.getMessage());
        ConfigException root = assertThrows(ConfigException.class, () -> levels("", Map.of(), "verbose"));
        assertTrue(root.getMessage().startsWith("log.level (flag --log-level): 'verbose' is not a log level"),
                root.getMessage());
    }

    @Test
    void aLoggerInAnEnvironmentVariablesNameIsPointedToTheListForm() throws IOException {
        ConfigException e = assertThrows(ConfigException.class,
                () -> levels("", Map.of("HERDCAT_LOG_LEVEL_ORG_APACHE_CATALINA", "debug"), null));
        assertEquals("unknown environment variable HERDCAT_LOG_LEVEL_ORG_APACHE_CATALINA: a logger's level goes into "
                + "HERDCAT_LOG_LEVEL, e.g. HERDCAT_LOG_LEVEL=info,org.apache.catalina=debug", e.getMessage());
    }
}
