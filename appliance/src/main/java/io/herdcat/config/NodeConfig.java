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
        boolean deployCluster,
        Endpoint http,
        Endpoint ajp,
        AjpSecret ajpSecret,
        int ajpPacketSize,
        Duration ajpConnectionTimeout,
        Endpoint admin,
        String adminToken,
        List<String> adminAllowedHosts,
        long upgradeMaxWar,
        int portOffset,
        Duration shutdownTimeout,
        boolean accessLog,
        boolean jmx,
        Path readyFile,
        ClusterSettings cluster,
        int weight,
        Activation activation,
        Endpoint front,
        DispatcherMode dispatcher,
        FrontSettings frontSettings,
        FrontMove frontMove,
        String user,
        boolean allowRoot,
        Long parentPid,
        SharedResources shared,
        Observability observability) {

    /** An address and port to listen on, and the setting that chose the port (for error messages). */
    public record Endpoint(InetAddress address, int port, Setting portSetting) {
    }

    /**
     * How nodes find each other, replicate sessions and secure both; {@code size} is the number of
     * members the cluster is meant to have (0: unknown, no majority rule).
     */
    public record ClusterSettings(String name, InetAddress address, List<String> peers, Path discoveryDir,
                                  int tribesPort, int jgroupsPort, ClusterSecret secret,
                                  SessionManagerKind sessionManager, Duration stateTransferTimeout,
                                  Duration crashTimeout, Duration silenceTimeout, int size) {
        /** Where members look for each other. */
        public enum Discovery { MULTICAST, PEERS, FOLDER }

        public Discovery discovery() {
            if (discoveryDir != null) {
                return Discovery.FOLDER;
            }
            return peers.isEmpty() ? Discovery.MULTICAST : Discovery.PEERS;
        }

        /** The same settings with this cluster secret (the host's when secret.file is not set). */
        public ClusterSettings withSecret(ClusterSecret s) {
            return new ClusterSettings(name, address, peers, discoveryDir, tribesPort, jgroupsPort, s, sessionManager,
                    stateTransferTimeout, crashTimeout, silenceTimeout, size);
        }
    }

    /** How the HTTP front balances and what it accepts. */
    public record FrontSettings(String balanceMethod, boolean stickyForce, long maxBody, int retryBody,
                                Duration replyTimeout, Duration headerTimeout, Duration idleTimeout, int poolSize,
                                Duration poolIdleTimeout, Duration pingAfter, Tls tls, List<StaticNode> staticNodes,
                                ClientLimits clients, WebSocketLimits webSockets,
                                Http2Limits http2, boolean ioUring) {
        public FrontSettings {
            staticNodes = List.copyOf(staticNodes);
            java.util.Objects.requireNonNull(webSockets);
        }
    }

    /**
     * What WebSockets through the front may hold: how long one may stay silent both ways before it is
     * closed (1001), and how many may be open at once (0: no limit; beyond, the handshake gets 503).
     */
    public record WebSocketLimits(Duration idleTimeout, int max) {
        public WebSocketLimits {
            if (idleTimeout.isZero() || idleTimeout.isNegative() || max < 0) {
                throw new IllegalArgumentException("idle timeout must be positive and max at least 0");
            }
        }

        /** The defaults of the settings. */
        public static WebSocketLimits defaults() {
            return new WebSocketLimits(Duration.ofMinutes(10), 10_000);
        }
    }

    /**
     * What one client of the front may take: how fast its request body must arrive, how long it may
     * leave its response unread, how many connections and node-side requests one address may hold, and
     * which addresses are proxies whose X-Forwarded-* headers are believed.
     */
    public record ClientLimits(Duration bodyTimeout, int bodyMinRate, Duration sendTimeout, int maxConnections,
                               int maxRequests, List<AddressRange> trustedProxies) {
        public ClientLimits {
            trustedProxies = List.copyOf(trustedProxies);
        }

        /** The defaults of the settings. */
        public static ClientLimits defaults() {
            return new ClientLimits(Duration.ofSeconds(10), 500, Duration.ofSeconds(60), 1024, 64, List.of());
        }
    }

    /**
     * What follows the front from host to host: the address that moves with it (null when none) and the
     * commands run when this node starts and stops running it (null when none).
     */
    public record FrontMove(Vip vip, String onElected, String onDemoted, Duration hookTimeout) {
    }

    /** An address with its prefix length, and the network interface it is added to. */
    public record Vip(InetAddress address, int prefix, String device) {
        /** ADDR/PREFIX, as {@code ip addr} takes it. */
        public String cidr() {
            return address.getHostAddress() + "/" + prefix;
        }
    }

    /**
     * HTTP/2 on the front: {@code h2} offered by ALPN on TLS, {@code h2c} (prior-knowledge cleartext) on
     * a plain front, and what one connection may ask of it: concurrent streams, the decoded size of a
     * request's header list, and RST_STREAM frames per 30 s (rapid reset).
     */
    public record Http2Limits(boolean h2, boolean h2c, int maxStreams, int maxHeaderList, int maxResets) {
        public Http2Limits {
            if (maxStreams < 1 || maxHeaderList < 4096 || maxResets < 1) {
                throw new IllegalArgumentException("maxStreams and maxResets >= 1, maxHeaderList >= 4096");
            }
        }

        /** The defaults of the settings. */
        public static Http2Limits defaults() {
            return new Http2Limits(true, false, 100, 16384, 200);
        }
    }

    /** HTTPS on the front: a PEM certificate chain and its PKCS#8 PEM key. */
    public record Tls(Path certificates, Path key) {
    }

    /** A node listed in front.nodes rather than found in the cluster: its jvmRoute and AJP address. */
    public record StaticNode(String route, String host, int port) {
    }

    /** Which Tomcat session manager replicates sessions. */
    public enum SessionManagerKind { DELTA, BACKUP }

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
        return List.of(http, ajp, admin,
                new Endpoint(cluster.address(), cluster.tribesPort(), Setting.TRIBES_PORT),
                new Endpoint(cluster.address(), cluster.jgroupsPort(), Setting.JGROUPS_PORT));
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
        ClusterSecret secret = secretFile == null ? null : readClusterSecret(p, secretFile);
        ClusterSettings cluster = clusterSettings(p, offset, secret);
        cluster = cluster.withSecret(secret != null ? secret : HostSecret.load(HostSecret.defaultLocation()));
        Long parentPid = p.isGiven(Setting.PARENT_PID) ? (long) p.integer(Setting.PARENT_PID, 1, Integer.MAX_VALUE) : null;

        return new NodeConfig(
                name,
                webapps,
                workDir,
                p.duration(Setting.DEPLOY_SCAN_INTERVAL),
                p.bool(Setting.DEPLOY_CLUSTER),
                new Endpoint(p.address(Setting.HTTP_ADDRESS), p.port(Setting.HTTP_PORT, offset), Setting.HTTP_PORT),
                new Endpoint(p.address(Setting.AJP_ADDRESS), p.port(Setting.AJP_PORT, offset), Setting.AJP_PORT),
                ajpSecret(p, secret),
                ajpPacketSize(p),
                ajpConnectionTimeout(p),
                new Endpoint(p.address(Setting.ADMIN_ADDRESS), p.port(Setting.ADMIN_PORT, offset), Setting.ADMIN_PORT),
                adminToken(p),
                p.hostNames(Setting.ADMIN_ALLOWED_HOSTS),
                p.bytes(Setting.UPGRADE_MAX_WAR, 1, Long.MAX_VALUE),
                offset,
                p.duration(Setting.SHUTDOWN_TIMEOUT),
                p.bool(Setting.ACCESS_LOG),
                p.bool(Setting.JMX),
                p.path(Setting.READY_FILE),
                cluster,
                p.integer(Setting.WEIGHT, 1, 100),
                p.choice(Setting.ACTIVATION, Activation.class),
                new Endpoint(p.address(Setting.FRONT_ADDRESS), p.integer(Setting.FRONT_PORT, 0, 65535), Setting.FRONT_PORT),
                p.choice(Setting.DISPATCHER, DispatcherMode.class),
                new FrontSettings(balanceMethod(p), p.bool(Setting.STICKY_FORCE),
                        p.bytes(Setting.FRONT_MAX_BODY, 0, Long.MAX_VALUE),
                        (int) p.bytes(Setting.FRONT_RETRY_BODY, 0, 64L << 20), p.duration(Setting.FRONT_REPLY_TIMEOUT),
                        p.duration(Setting.FRONT_HEADER_TIMEOUT), p.duration(Setting.FRONT_IDLE_TIMEOUT),
                        p.integer(Setting.FRONT_POOL_SIZE, 1, 100_000), p.duration(Setting.FRONT_POOL_IDLE_TIMEOUT),
                        p.duration(Setting.FRONT_PING_AFTER), tls(p), staticNodes(p), clientLimits(p),
                        webSocketLimits(p), http2Limits(p), p.bool(Setting.FRONT_IO_URING)),
                FrontMoveSettings.parse(p, cluster.address()),
                p.text(Setting.USER),
                p.bool(Setting.ALLOW_ROOT),
                parentPid,
                SharedResources.parse(p), Observability.parse(p));
    }

    private static ClusterSettings clusterSettings(SettingParser p, int offset, ClusterSecret secret) {
        InetAddress address = p.isGiven(Setting.CLUSTER_ADDRESS) ? p.address(Setting.CLUSTER_ADDRESS)
                : secret == null ? InetAddress.getLoopbackAddress() : LocalAddresses.firstSiteLocal();
        if (secret == null && !address.isLoopbackAddress()) {
            throw ConfigException.of(p.value(Setting.CLUSTER_ADDRESS), address.getHostAddress()
                    + " is not a loopback address and no cluster secret is set; set secret.file (the same file on "
                    + "every node) so cluster traffic is authenticated and encrypted, or use 127.0.0.1");
        }
        List<String> peers = p.hostPorts(Setting.PEERS);
        int jgroupsPort = p.port(Setting.JGROUPS_PORT, offset);
        if (!peers.isEmpty() && jgroupsPort == 0) {
            throw ConfigException.of(p.value(Setting.JGROUPS_PORT),
                    "0 cannot be used with peers: the other nodes list this node by its port; give it a fixed one");
        }
        return new ClusterSettings(
                p.name(Setting.CLUSTER, "herdcat"),
                address,
                peers,
                p.path(Setting.DISCOVERY_DIR),
                p.port(Setting.TRIBES_PORT, offset),
                jgroupsPort,
                secret,
                p.choice(Setting.SESSION_MANAGER, SessionManagerKind.class),
                p.duration(Setting.SESSION_STATE_TIMEOUT),
                p.duration(Setting.CRASH_TIMEOUT),
                p.duration(Setting.SILENCE_TIMEOUT),
                p.isGiven(Setting.CLUSTER_SIZE) ? p.integer(Setting.CLUSTER_SIZE, 1, 1000)
                        : ClusterSize.fromPeers(peers, address, jgroupsPort));
    }

    private static int ajpPacketSize(SettingParser p) {
        int size = (int) p.bytes(Setting.AJP_PACKET_SIZE, 8192, 65536);
        if (size % 1024 != 0) {
            throw ConfigException.of(p.value(Setting.AJP_PACKET_SIZE), size + " is not a multiple of 1024; use e.g. 8192 or 65536");
        }
        return size;
    }

    /** Must outlast the front's pooled idle connections, or the node would close one the front is about to use. */
    private static Duration ajpConnectionTimeout(SettingParser p) {
        Duration timeout = p.duration(Setting.AJP_CONNECTION_TIMEOUT);
        Duration poolIdle = p.duration(Setting.FRONT_POOL_IDLE_TIMEOUT);
        if (timeout.compareTo(poolIdle) <= 0) {
            throw ConfigException.of(p.value(Setting.AJP_CONNECTION_TIMEOUT), "must be longer than "
                    + Setting.FRONT_POOL_IDLE_TIMEOUT.key() + " (" + poolIdle.toSeconds() + " s), or nodes close "
                    + "connections the front still pools");
        }
        return timeout;
    }

    private static ClientLimits clientLimits(SettingParser p) {
        return new ClientLimits(p.duration(Setting.FRONT_BODY_TIMEOUT),
                (int) p.bytes(Setting.FRONT_BODY_MIN_RATE, 1, 1L << 30), p.duration(Setting.FRONT_SEND_TIMEOUT),
                p.integer(Setting.FRONT_CLIENT_MAX_CONNECTIONS, 0, 10_000_000),
                p.integer(Setting.FRONT_CLIENT_MAX_REQUESTS, 0, 10_000_000), p.addressRanges(Setting.FRONT_TRUSTED_PROXIES));
    }

    private static WebSocketLimits webSocketLimits(SettingParser p) {
        Duration idle = p.duration(Setting.FRONT_WS_IDLE_TIMEOUT);
        if (idle.isZero()) {
            throw ConfigException.of(p.value(Setting.FRONT_WS_IDLE_TIMEOUT), "must be longer than 0; write e.g. 10m");
        }
        return new WebSocketLimits(idle, p.integer(Setting.FRONT_WS_MAX, 0, 10_000_000));
    }

    private static Http2Limits http2Limits(SettingParser p) {
        boolean h2c = p.bool(Setting.FRONT_H2C);
        if (h2c && p.text(Setting.FRONT_TLS_CERT) != null) {
            throw ConfigException.of(p.value(Setting.FRONT_H2C), "cannot be used with " + Setting.FRONT_TLS_CERT.key()
                    + ": a TLS front offers h2 by ALPN (" + Setting.FRONT_H2.key() + "); set " + Setting.FRONT_H2C.key()
                    + "=false, or drop the certificate when another proxy terminates TLS");
        }
        return new Http2Limits(p.bool(Setting.FRONT_H2), h2c, p.integer(Setting.FRONT_H2_MAX_STREAMS, 1, 100_000),
                (int) p.bytes(Setting.FRONT_H2_MAX_HEADER_LIST, 4096, 1L << 20),
                p.integer(Setting.FRONT_H2_MAX_RESETS, 1, 1_000_000));
    }

    private static Tls tls(SettingParser p) {
        Path cert = p.existingFile(Setting.FRONT_TLS_CERT);
        Path key = p.existingFile(Setting.FRONT_TLS_KEY);
        if (cert == null && key == null) {
            return null;
        }
        if (cert == null || key == null) {
            Setting missing = cert == null ? Setting.FRONT_TLS_CERT : Setting.FRONT_TLS_KEY;
            Setting given = cert == null ? Setting.FRONT_TLS_KEY : Setting.FRONT_TLS_CERT;
            throw ConfigException.of(p.value(given), "is set but " + missing.key() + " is not; give both for HTTPS");
        }
        requirePem(p, Setting.FRONT_TLS_CERT, cert, "-----BEGIN CERTIFICATE-----", "a PEM certificate");
        requirePem(p, Setting.FRONT_TLS_KEY, key, "-----BEGIN PRIVATE KEY-----",
                "an unencrypted PKCS#8 PEM key; convert it with: openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8");
        return new Tls(cert, key);
    }

    private static void requirePem(SettingParser p, Setting s, Path file, String marker, String what) {
        try {
            if (!Files.readString(file, StandardCharsets.ISO_8859_1).contains(marker)) {
                throw ConfigException.of(p.value(s), file + " is not " + what);
            }
        } catch (IOException e) {
            throw ConfigException.of(p.value(s), "cannot read " + file + ": " + e.getMessage());
        }
    }

    private static List<StaticNode> staticNodes(SettingParser p) {
        String text = p.text(Setting.FRONT_NODES);
        List<StaticNode> nodes = new java.util.ArrayList<>();
        if (text == null) {
            return nodes;
        }
        if (p.text(Setting.AJP_SECRET) == null && p.text(Setting.SECRET_FILE) == null) {
            throw ConfigException.of(p.value(Setting.FRONT_NODES), "needs ajp.secret (or secret.file): the listed "
                    + "nodes must be configured with the same AJP secret");
        }
        for (String entry : text.split(",")) {
            String e = entry.trim();
            int eq = e.indexOf('=');
            int colon = e.lastIndexOf(':');
            int port = -1;
            if (eq > 0 && colon > eq + 1) {
                try {
                    port = Integer.parseInt(e.substring(colon + 1));
                } catch (NumberFormatException ignored) {
                    port = -1;
                }
            }
            if (port < 1 || port > 65535) {
                throw ConfigException.of(p.value(Setting.FRONT_NODES), "'" + e
                        + "' is not ROUTE=HOST:PORT; write e.g. tc1=10.0.0.5:8009,tc2=10.0.0.6:8009");
            }
            nodes.add(new StaticNode(e.substring(0, eq), e.substring(eq + 1, colon), port));
        }
        return nodes;
    }

    private static String balanceMethod(SettingParser p) {
        String m = p.text(Setting.BALANCE_METHOD).toLowerCase(Locale.ROOT);
        if (!List.of("requests", "busyness", "traffic").contains(m)) {
            throw ConfigException.of(p.value(Setting.BALANCE_METHOD), "'" + m + "' is not one of requests, busyness, traffic");
        }
        return m;
    }

    private static String adminToken(SettingParser p) {
        Path file = p.existingFile(Setting.ADMIN_TOKEN_FILE);
        if (file == null) {
            return null;
        }
        try {
            String token = Files.readString(file, StandardCharsets.UTF_8).trim();
            if (token.length() < ClusterSecret.MIN_LENGTH) {
                throw ConfigException.of(p.value(Setting.ADMIN_TOKEN_FILE), "the token in " + file + " is shorter than "
                        + ClusterSecret.MIN_LENGTH + " characters; put a long random string in it (openssl rand -hex 32)");
            }
            return token;
        } catch (IOException e) {
            throw ConfigException.of(p.value(Setting.ADMIN_TOKEN_FILE), "cannot read " + file + ": " + e.getMessage());
        }
    }

    private static AjpSecret ajpSecret(SettingParser p, ClusterSecret secret) {
        String explicit = p.text(Setting.AJP_SECRET);
        if (explicit != null) {
            return new AjpSecret(explicit, AjpSecret.Source.CONFIGURED);
        }
        if (secret != null) {
            return AjpSecret.derivedFrom(secret);
        }
        return AjpSecret.generated();
    }

    private static ClusterSecret readClusterSecret(SettingParser p, Path file) {
        String secret;
        try {
            secret = Files.readString(file, StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw ConfigException.of(p.value(Setting.SECRET_FILE), "cannot read " + file + ": " + e.getMessage());
        }
        if (secret.length() < ClusterSecret.MIN_LENGTH) {
            throw ConfigException.of(p.value(Setting.SECRET_FILE), "the secret in " + file + " is shorter than "
                    + ClusterSecret.MIN_LENGTH + " characters; put a long random string in it (openssl rand -hex 32)");
        }
        return new ClusterSecret(secret, "secret.file " + file);
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
