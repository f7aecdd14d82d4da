package io.herdcat.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.Properties;

/**
 * Gathers the raw text of every setting from the properties file, then the environment, then the
 * flags; a later source wins. Unknown keys and unknown {@code HERDCAT_*} variables are mistakes, not
 * silently ignored typos.
 */
public final class ConfigSources {
    static final String DEFAULT_FILE = "herdcat.properties";
    private static final String ENV_PREFIX = "HERDCAT_";

    private ConfigSources() {
    }

    /**
     * @param flags      flag values the user gave, by setting
     * @param env        the process environment
     * @param workingDir folder in which the default {@code herdcat.properties} is looked for
     */
    public static Map<Setting, RawValue> gather(Map<Setting, String> flags, Map<String, String> env, Path workingDir) {
        Map<Setting, RawValue> fromEnv = fromEnvironment(env);
        Map<Setting, RawValue> fromFlags = new EnumMap<>(Setting.class);
        flags.forEach((s, text) -> fromFlags.put(s, new RawValue(s, text, "flag " + s.flag())));

        RawValue configFile = fromFlags.getOrDefault(Setting.CONFIG, fromEnv.get(Setting.CONFIG));
        Map<Setting, RawValue> merged = new EnumMap<>(Setting.class);
        merged.putAll(fromFile(configFile, workingDir));
        putAll(merged, fromEnv);
        putAll(merged, fromFlags);
        return merged;
    }

    /** A later source's values win, except log.level: its logger levels add to the earlier ones. */
    private static void putAll(Map<Setting, RawValue> merged, Map<Setting, RawValue> later) {
        later.forEach((s, v) -> merged.merge(s, v, s == Setting.LOG_LEVEL ? LogLevels::combine : (a, b) -> b));
    }

    private static Map<Setting, RawValue> fromEnvironment(Map<String, String> env) {
        Map<Setting, RawValue> values = new EnumMap<>(Setting.class);
        env.forEach((name, text) -> {
            if (!name.startsWith(ENV_PREFIX)) {
                return;
            }
            if (name.startsWith(Setting.LOG_LEVEL.envVar() + "_")) {
                String list = Setting.LOG_LEVEL.envVar();
                throw new ConfigException("unknown environment variable " + name + ": a logger's level goes into "
                        + list + ", e.g. " + list + "=info,org.apache.catalina=debug");
            }
            Setting s = Setting.byEnvVar(name).orElseThrow(() -> new ConfigException(
                    "unknown environment variable " + name + ": unset it, or see --help for the settings"));
            values.put(s, new RawValue(s, text.trim(), "environment " + name));
        });
        return values;
    }

    private static Map<Setting, RawValue> fromFile(RawValue configFile, Path workingDir) {
        Path file;
        if (configFile != null) {
            file = workingDir.resolve(configFile.text());
            if (!Files.isRegularFile(file)) {
                throw ConfigException.of(configFile, "file " + file + " does not exist; fix the path or leave it out");
            }
        } else {
            file = workingDir.resolve(DEFAULT_FILE);
            if (!Files.isRegularFile(file)) {
                return Map.of();
            }
        }
        Properties props = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            props.load(in);
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigException("config: cannot read " + file + ": " + e.getMessage());
        }
        Map<Setting, RawValue> values = new EnumMap<>(Setting.class);
        java.util.SortedMap<String, String> loggerLevels = new java.util.TreeMap<>();
        for (String key : props.stringPropertyNames()) {
            if (key.startsWith(Setting.LOG_LEVEL_PREFIX) && key.length() > Setting.LOG_LEVEL_PREFIX.length()) {
                loggerLevels.put(key.substring(Setting.LOG_LEVEL_PREFIX.length()), props.getProperty(key).trim());
                continue;
            }
            Setting s = Setting.byKey(key)
                    .filter(k -> k != Setting.CONFIG)
                    .orElseThrow(() -> new ConfigException("unknown key '" + key + "' in " + file
                            + ": remove it, or see --help for the keys"));
            values.put(s, new RawValue(s, props.getProperty(key).trim(), file.getFileName().toString()));
        }
        if (!loggerLevels.isEmpty()) {
            values.put(Setting.LOG_LEVEL, LogLevels.withLoggers(values.get(Setting.LOG_LEVEL), loggerLevels,
                    file.getFileName().toString()));
        }
        return values;
    }
}
