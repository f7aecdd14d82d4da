package io.herdcat.config;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A node's validated configuration. Ports are the effective ones, already shifted by
 * {@code port.offset}; 0 means "any free port".
 */
public record NodeConfig(
        String name,
        Path webapps,
        Path workDir,
        Duration deployScanInterval,
        Endpoint http,
        Endpoint ajp,
        AjpSecret ajpSecret,
        Endpoint admin,
        int portOffset,
        Duration shutdownTimeout,
        boolean accessLog,
        boolean jmx,
        Path readyFile,
        ClusterSettings cluster,
        int frontPort,
        DispatcherMode dispatcher,
        String user,
        Long parentPid) {

    private static final int MIN_SECRET_LENGTH = 16;

    /** An address and port to listen on, and the setting that chose the port (for error messages). */
    public record Endpoint(InetAddress address, int port, Setting portSetting) {
    }

    /** Settings that take effect once nodes form a cluster. */
    public record ClusterSettings(String name, List<String> peers, Path discoveryDir, int tribesPort,
                                  int jgroupsPort, Path secretFile) {
    }

    public NodeConfig {
        Objects.requireNonNull(name);
        Objects.requireNonNull(webapps);
        Objects.requireNonNull(workDir);
        Objects.requireNonNull(ajpSecret);
        if (shutdownTimeout.isNegative() || deployScanInterval.isZero()) {
            throw new IllegalArgumentException("bad durations");
        }
    }

    /** The listening endpoints a node binds, in the order it binds them. */
    public List<Endpoint> endpoints() {
        return List.of(http, ajp, admin);
    }

    /**
     * Builds the configuration from the gathered raw values.
     *
     * @param hostName   this host's name, for the default node name
     * @param workingDir folder that relative paths are resolved against
     */
    public static NodeConfig from(Map<Setting, RawValue> raw, String hostName, Path workingDir) {
        SettingParser p = new SettingParser(raw, workingDir);
        int offset = p.integer(Setting.PORT_OFFSET, 0, 65535);
        String name = p.name(Setting.NAME, defaultName(hostName, offset));
        Path webapps = p.existingDirectory(Setting.WEBAPPS);
        Path workDir = p.isGiven(Setting.WORK_DIR) ? p.path(Setting.WORK_DIR) : workingDir.resolve("work").resolve(name);
        Path secretFile = p.existingFile(Setting.SECRET_FILE);

        ClusterSettings cluster = new ClusterSettings(
                p.name(Setting.CLUSTER, "herdcat"),
                p.hostPorts(Setting.PEERS),
                p.path(Setting.DISCOVERY_DIR),
                p.port(Setting.TRIBES_PORT, offset),
                p.port(Setting.JGROUPS_PORT, offset),
                secretFile);
        Long parentPid = p.isGiven(Setting.PARENT_PID) ? (long) p.integer(Setting.PARENT_PID, 1, Integer.MAX_VALUE) : null;

        return new NodeConfig(
                name,
                webapps,
                workDir,
                p.duration(Setting.DEPLOY_SCAN_INTERVAL),
                new Endpoint(p.address(Setting.HTTP_ADDRESS), p.port(Setting.HTTP_PORT, offset), Setting.HTTP_PORT),
                new Endpoint(p.address(Setting.AJP_ADDRESS), p.port(Setting.AJP_PORT, offset), Setting.AJP_PORT),
                ajpSecret(p, secretFile),
                new Endpoint(p.address(Setting.ADMIN_ADDRESS), p.port(Setting.ADMIN_PORT, offset), Setting.ADMIN_PORT),
                offset,
                p.duration(Setting.SHUTDOWN_TIMEOUT),
                p.bool(Setting.ACCESS_LOG),
                p.bool(Setting.JMX),
                p.path(Setting.READY_FILE),
                cluster,
                p.integer(Setting.FRONT_PORT, 1, 65535),
                p.choice(Setting.DISPATCHER, DispatcherMode.class),
                p.text(Setting.USER),
                parentPid);
    }

    private static AjpSecret ajpSecret(SettingParser p, Path secretFile) {
        String explicit = p.text(Setting.AJP_SECRET);
        if (explicit != null) {
            return new AjpSecret(explicit, AjpSecret.Source.CONFIGURED);
        }
        if (secretFile != null) {
            return AjpSecret.derivedFrom(readClusterSecret(p, secretFile));
        }
        return AjpSecret.generated();
    }

    private static String readClusterSecret(SettingParser p, Path file) {
        String secret;
        try {
            secret = Files.readString(file, StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw ConfigException.of(p.value(Setting.SECRET_FILE), "cannot read " + file + ": " + e.getMessage());
        }
        if (secret.length() < MIN_SECRET_LENGTH) {
            throw ConfigException.of(p.value(Setting.SECRET_FILE), "the secret in " + file + " is shorter than "
                    + MIN_SECRET_LENGTH + " characters; put a long random string in it (openssl rand -hex 32)");
        }
        return secret;
    }

    /** The short host name, made safe for a jvmRoute, with "-N" for port offset N. */
    static String defaultName(String hostName, int offset) {
        String shortName = hostName.split("\\.", 2)[0].toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_-]", "-");
        if (shortName.isEmpty()) {
            shortName = "node";
        }
        if (shortName.length() > 56) {
            shortName = shortName.substring(0, 56);
        }
        return offset == 0 ? shortName : shortName + "-" + offset;
    }
}
