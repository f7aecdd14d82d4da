package io.herdcat.cli;

import io.herdcat.config.Setting;
import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/**
 * Which admin API a command talks to and the token it presents. The URL is {@code --admin}, else
 * derived from the node's {@code --config} file ({@code admin.address}, {@code admin.port} +
 * {@code port.offset}), else {@code http://127.0.0.1:9080}. The token file is {@code --token-file},
 * else the config file's {@code admin.token.file}, else {@code HERDCAT_ADMIN_TOKEN_FILE}; without
 * one, no token is sent (reads from the node's own host need none). Relative paths are resolved
 * against the working folder, as the node resolves them.
 *
 * @param base        the admin API's base URL, without a trailing slash
 * @param token       the admin token, or null
 * @param tokenOrigin where the token came from, for messages, or null
 */
record AdminTarget(URI base, String token, String tokenOrigin) {
    static final String DEFAULT_URL = "http://127.0.0.1:9080";

    /**
     * @param adminUrl   {@code --admin}, or null
     * @param tokenFile  {@code --token-file}, or null
     * @param configFile {@code --config}, or null
     */
    static AdminTarget resolve(String adminUrl, String tokenFile, String configFile, Map<String, String> env,
                               Path workingDir) {
        Properties config = configFile == null ? new Properties() : load(workingDir.resolve(configFile));
        URI base = adminUrl != null ? url(adminUrl)
                : configFile != null ? urlFromConfig(config, configFile) : url(DEFAULT_URL);

        String file;
        String origin;
        String fromConfig = config.getProperty(Setting.ADMIN_TOKEN_FILE.key(), "").trim();
        String fromEnv = env.getOrDefault(Setting.ADMIN_TOKEN_FILE.envVar(), "").trim();
        if (tokenFile != null) {
            file = tokenFile;
            origin = "--token-file " + tokenFile;
        } else if (!fromConfig.isEmpty()) {
            file = fromConfig;
            origin = Setting.ADMIN_TOKEN_FILE.key() + " in " + configFile;
        } else if (!fromEnv.isEmpty()) {
            file = fromEnv;
            origin = Setting.ADMIN_TOKEN_FILE.envVar();
        } else {
            return new AdminTarget(base, null, null);
        }
        return new AdminTarget(base, readToken(workingDir.resolve(file), origin), origin);
    }

    /** {@code http://host:port} (a missing scheme means http), checked, without a trailing slash. */
    static URI url(String text) {
        String t = text.trim();
        if (!t.contains("://")) {
            t = "http://" + t;
        }
        while (t.endsWith("/")) {
            t = t.substring(0, t.length() - 1);
        }
        try {
            URI uri = new URI(t);
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new UsageException("--admin " + text + " is not an http URL; give it like " + DEFAULT_URL);
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new UsageException("--admin " + text + " is not a URL (" + e.getReason() + "); give it like "
                    + DEFAULT_URL);
        }
    }

    private static URI urlFromConfig(Properties config, String configFile) {
        int port = number(config, Setting.ADMIN_PORT, configFile);
        int offset = number(config, Setting.PORT_OFFSET, configFile);
        if (port == 0) {
            throw new UsageException(Setting.ADMIN_PORT.key() + " in " + configFile
                    + " is 0 (any free port), so its URL is not known; give --admin URL");
        }
        String address = config.getProperty(Setting.ADMIN_ADDRESS.key(), Setting.ADMIN_ADDRESS.defaultValue()).trim();
        String host = switch (address) {
            case "", "0.0.0.0" -> "127.0.0.1";
            case "::", "[::]" -> "[::1]";
            default -> address.contains(":") && !address.startsWith("[") ? "[" + address + "]" : address;
        };
        return url("http://" + host + ":" + (port + offset));
    }

    private static int number(Properties config, Setting s, String configFile) {
        String text = config.getProperty(s.key(), s.defaultValue()).trim();
        try {
            int n = Integer.parseInt(text);
            if (n >= 0 && n <= 65535) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException(s.key() + " in " + configFile + ": '" + text + "' is not a port number");
    }

    private static Properties load(Path file) {
        Properties props = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            props.load(in);
            return props;
        } catch (NoSuchFileException e) {
            throw new UsageException("--config " + file + " does not exist; give the node's herdcat.properties");
        } catch (IOException | IllegalArgumentException e) {
            throw new UsageException("--config: cannot read " + file + " (" + e.getMessage() + ")");
        }
    }

    private static String readToken(Path file, String origin) {
        try {
            String token = Files.readString(file, StandardCharsets.UTF_8).trim();
            if (token.isEmpty()) {
                throw new UsageException(origin + ": " + file + " is empty; it must hold the admin token");
            }
            return token;
        } catch (NoSuchFileException e) {
            throw new UsageException(origin + ": " + file + " does not exist; give the node's admin token file");
        } catch (IOException e) {
            throw new UsageException(origin + ": cannot read " + file + " (" + e.getClass().getSimpleName() + ")");
        }
    }
}
