package io.herdcat.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * Every setting a node understands, documented once. Each has three spellings that all mean the
 * same: a key in {@code herdcat.properties} ({@code http.port}), an environment variable
 * ({@code HERDCAT_HTTP_PORT}) and a flag ({@code --http-port}). Precedence: file &lt; env &lt; flag.
 */
public enum Setting {
    CONFIG("config", "FILE", null,
            "Properties file to read settings from (default: ./herdcat.properties when it exists)."),
    NAME("name", "NAME", null,
            "Node name, also the Engine jvmRoute that sticky sessions follow "
                    + "(default: the short host name, with -N appended for --port-offset N)."),
    WEBAPPS("webapps", "DIR", "webapps",
            "Folder of WARs and exploded webapps: dropped in = deployed, replaced = redeployed, "
                    + "deleted = undeployed. Several nodes on one host may share it."),
    WORK_DIR("work.dir", "DIR", null,
            "Folder for this node's compiled JSPs and temporary files (default: work/<name>)."),
    DEPLOY_SCAN_INTERVAL("deploy.scan.interval", "DURATION", "5s",
            "How often the webapps folder is checked for added, changed or removed webapps."),
    DEPLOY_CLUSTER("deploy.cluster", "BOOL", "false",
            "A WAR dropped into (or deleted from) any node's webapps folder is rolled out to (or undeployed from) "
                    + "every node, one at a time; a node that joins later takes the cluster's WARs before it starts. "
                    + "Needs a webapps folder per node."),
    HTTP_ADDRESS("http.address", "ADDR", "0.0.0.0", "Address the HTTP/1.1 connector listens on."),
    HTTP_PORT("http.port", "PORT", "8080", "HTTP/1.1 connector port (0 = any free port)."),
    AJP_ADDRESS("ajp.address", "ADDR", "0.0.0.0", "Address the AJP/1.3 connector listens on."),
    AJP_PORT("ajp.port", "PORT", "8009", "AJP/1.3 connector port (0 = any free port)."),
    AJP_PACKET_SIZE("ajp.packet.size", "BYTES", "8192",
            "AJP packet size of this node's connector and of the front (8192-65536; mod_jk's max_packet_size)."),
    AJP_CONNECTION_TIMEOUT("ajp.connection.timeout", "DURATION", "120s",
            "A connection to this node's AJP connector that sends or takes nothing this long is closed (Tomcat's "
                    + "connectionTimeout); longer than front.pool.idle.timeout and front.send.timeout."),
    AJP_SECRET("ajp.secret", "SECRET", null,
            "Secret every AJP request must carry (mod_jk: secret=, mod_proxy_ajp: secret=). "
                    + "Default: derived from the cluster secret, or generated at random for each start."),
    ADMIN_ADDRESS("admin.address", "ADDR", "127.0.0.1", "Address of the admin API (/status, /health)."),
    ADMIN_TOKEN_FILE("admin.token.file", "FILE", null,
            "File holding the admin token that writes (POST) must present as 'Authorization: Bearer TOKEN'; "
                    + "without it, writes are refused."),
    ADMIN_PORT("admin.port", "PORT", "9080", "Admin API port (0 = any free port)."),
    ADMIN_ALLOWED_HOSTS("admin.allowed.hosts", "NAME,...", null,
            "Host names the admin API answers to besides this host's own names and addresses (a name behind "
                    + "a proxy, or *.example.net for its subdomains); requests naming any other host get 421."),
    UPGRADE_MAX_WAR("upgrade.max.war", "BYTES", "512m",
            "Largest WAR POST /upgrade accepts (413 beyond); the upload streams to work.dir/upgrade-uploads."),
    PORT_OFFSET("port.offset", "N", "0",
            "Added to every node port (HTTP, AJP, admin, Tribes, JGroups) so several nodes run on one host."),
    SHUTDOWN_TIMEOUT("shutdown.timeout", "DURATION", "30s",
            "On SIGTERM, how long in-flight requests may take to finish before the node stops anyway."),
    ACCESS_LOG("access.log", "BOOL", "true", "Log one line per request (logger herdcat.access)."),
    JMX("jmx", "BOOL", "false",
            "Register Tomcat's MBeans for jconsole or a JMX exporter (costs about 0.4 s of start-up)."),
    READY_FILE("ready.file", "FILE", null,
            "When started, write this node's name, pid and actual ports to FILE as JSON (for scripts and tests)."),
    CLUSTER("cluster", "NAME", "herdcat", "Cluster name; only nodes with the same name and secret join."),
    CLUSTER_ADDRESS("cluster.address", "ADDR", null,
            "Address for cluster traffic (membership and session replication). Default: 127.0.0.1 without a "
                    + "cluster secret (other addresses are refused), else this host's first site-local address."),
    PEERS("peers", "HOST:PORT,...", null,
            "Static list of cluster members' JGroups addresses instead of multicast discovery."),
    DISCOVERY_DIR("discovery.dir", "DIR", null,
            "Shared folder for discovery instead of multicast (nodes on one host, tests)."),
    TRIBES_PORT("tribes.port", "PORT", "4000", "Session replication port (0 = any free port)."),
    JGROUPS_PORT("jgroups.port", "PORT", "7800", "Cluster membership port (0 = any free port; not with peers)."),
    SECRET_FILE("secret.file", "FILE", null,
            "File holding the cluster secret, the same on every node: cluster traffic is authenticated and "
                    + "encrypted with it, and the AJP secret is derived from it."),
    SESSION_MANAGER("session.manager", "delta|backup", "delta",
            "delta: every node holds every session (DeltaManager); backup: one backup copy per session (BackupManager)."),
    SESSION_STATE_TIMEOUT("session.state.timeout", "DURATION", "10s",
            "How long a starting node waits for the existing sessions from a running node."),
    CRASH_TIMEOUT("cluster.crash.timeout", "DURATION", "500ms",
            "How long a member whose connection dropped (a killed process) is re-checked before it is removed."),
    SILENCE_TIMEOUT("cluster.silence.timeout", "DURATION", "5s",
            "A member silent this long (frozen JVM, cut cable) is removed; it is noticed within 1.3x this time."),
    CLUSTER_SIZE("cluster.size", "N", null,
            "How many members the cluster has: only a node that sees a majority of them (N/2+1, itself included) "
                    + "runs the front. Default: the number of peers (and this node) when peers are listed, else no rule."),
    WEIGHT("weight", "N", "1", "Share of new sessions this node gets relative to the others (1-100, mod_jk's lbfactor)."),
    ACTIVATION("activation", "active|disabled|stopped", "active",
            "active: all traffic; disabled: only requests of its existing sessions; stopped: none."),
    FRONT_ADDRESS("front.address", "ADDR", "0.0.0.0", "Address the cluster's HTTP front listens on."),
    FRONT_PORT("front.port", "PORT", "80",
            "Port of the cluster's HTTP front (run by the elected node); never shifted by port.offset."),
    DISPATCHER("dispatcher", "auto|always|never", "auto",
            "Whether this node may be elected to run the HTTP front: auto, always (preferred) or never."),
    BALANCE_METHOD("balance.method", "requests|busyness|traffic", "requests",
            "How the front spreads new sessions: by requests (weighted), busyness (fewest in flight) or traffic."),
    STICKY_FORCE("sticky.force", "BOOL", "false",
            "When a session's node is unavailable, answer 503 instead of sending it to another node."),
    FRONT_REPLY_TIMEOUT("front.reply.timeout", "DURATION", "60s",
            "How long the front waits for a node's response headers before it answers 504."),
    FRONT_HEADER_TIMEOUT("front.header.timeout", "DURATION", "10s",
            "How long a client may take to send a request's head before the front closes its connection."),
    FRONT_IDLE_TIMEOUT("front.idle.timeout", "DURATION", "60s",
            "How long a keep-alive client connection may stay silent between requests."),
    FRONT_BODY_TIMEOUT("front.body.timeout", "DURATION", "10s",
            "How long a client may take to start a request body; from then each front.body.min.rate bytes "
                    + "extend it by a second (httpd's mod_reqtimeout body=10,minrate=500); 408 when it is up."),
    FRONT_BODY_MIN_RATE("front.body.min.rate", "BYTES", "500",
            "Bytes per second a request body must arrive at, after its first second (see front.body.timeout)."),
    FRONT_SEND_TIMEOUT("front.send.timeout", "DURATION", "60s",
            "A client that takes none of its response for this long, while the front has more for it, is "
                    + "disconnected and the node is released (nginx's send_timeout)."),
    FRONT_CLIENT_MAX_CONNECTIONS("front.client.max.connections", "N", "1024",
            "Most connections one client address may hold open on the front; more are closed at once (0 = no limit)."),
    FRONT_CLIENT_MAX_REQUESTS("front.client.max.requests", "N", "64",
            "Most requests of one client address at the nodes at once; more wait in the front, holding nothing "
                    + "of the nodes (0 = no limit)."),
    FRONT_TRUSTED_PROXIES("front.trusted.proxies", "ADDR[/BITS],...", null,
            "Proxies in front of the front whose X-Forwarded-For is extended and X-Forwarded-Proto kept; "
                    + "from any other client both are replaced."),
    FRONT_WS_IDLE_TIMEOUT("front.ws.idle.timeout", "DURATION", "10m",
            "A WebSocket through the front that carries no frame either way for this long is closed with 1001."),
    FRONT_WS_MAX("front.ws.max", "N", "10000",
            "Most WebSockets open through the front at once; more handshakes get 503 (0 = no limit)."),
    FRONT_MAX_BODY("front.max.body", "BYTES", "1073741824",
            "Largest request body the front accepts (413 beyond); bodies stream through with bounded memory."),
    FRONT_RETRY_BODY("front.retry.body", "BYTES", "65536",
            "Request bodies up to this size are held until the node answers, so the request can go to another node "
                    + "if its node fails; a larger body that a failing node already received gets 502."),
    FRONT_POOL_SIZE("front.pool.size", "N", "512",
            "Most connections the front keeps open to one node (mod_jk's connection_pool_size)."),
    FRONT_POOL_IDLE_TIMEOUT("front.pool.idle.timeout", "DURATION", "60s",
            "A connection to a node unused this long is closed (mod_jk's connection_pool_timeout)."),
    FRONT_PING_AFTER("front.ping.after", "DURATION", "5s",
            "A connection to a node unused this long is checked with a CPing before it carries a request."),
    FRONT_IO_URING("front.io.uring", "BOOL", "true",
            "The front's sockets through Linux io_uring where the kernel offers it (fewer system calls per "
                    + "request); false, or a kernel without it: epoll."),
    FRONT_TLS_CERT("front.tls.cert", "FILE", null,
            "PEM certificate chain (server certificate first): the front serves HTTPS instead of HTTP."),
    FRONT_TLS_KEY("front.tls.key", "FILE", null,
            "PEM private key of front.tls.cert, unencrypted PKCS#8 ('BEGIN PRIVATE KEY')."),
    FRONT_H2("front.h2", "BOOL", "true",
            "With front.tls.cert, offer HTTP/2 by ALPN (clients that do not ask for it keep HTTP/1.1)."),
    FRONT_H2C("front.h2c", "BOOL", "false",
            "Accept cleartext HTTP/2 with prior knowledge on a plain front (behind another TLS terminator); "
                    + "HTTP/1.1 still works. Not with front.tls.cert."),
    FRONT_H2_MAX_STREAMS("front.h2.max.streams", "N", "100",
            "Most HTTP/2 streams one connection may have open at once; more are refused (RST_STREAM REFUSED_STREAM)."),
    FRONT_H2_MAX_HEADER_LIST("front.h2.max.header.list", "BYTES", "16384",
            "Largest HTTP/2 request header list (decoded); larger gets 431, far larger closes the connection."),
    FRONT_H2_MAX_RESETS("front.h2.max.resets", "N", "200",
            "RST_STREAM frames one HTTP/2 connection may send per 30 s before it is closed with "
                    + "GOAWAY ENHANCE_YOUR_CALM (rapid-reset defense)."),
    FRONT_NODES("front.nodes", "ROUTE=HOST:PORT,...", null,
            "Nodes the front forwards to besides the cluster's, e.g. plain Tomcats with an AJP connector, "
                    + "that jvmRoute and this cluster's AJP secret."),
    FRONT_VIP("front.vip", "ADDR/PREFIX", null,
            "Address that moves with the front: added to this host's front.vip.interface while this node runs "
                    + "the front (announced by gratuitous ARP for IPv4), removed when it stops."),
    FRONT_VIP_INTERFACE("front.vip.interface", "NAME", null,
            "Network interface front.vip is added to (default: the interface holding cluster.address)."),
    FRONT_ON_ELECTED("front.on.elected", "COMMAND", null,
            "Shell command run when this node starts running the front (environment HERDCAT_NODE, HERDCAT_VIP, "
                    + "HERDCAT_EVENT=elected), e.g. a DNS update or a cloud IP move."),
    FRONT_ON_DEMOTED("front.on.demoted", "COMMAND", null,
            "Shell command run when this node stops running the front (HERDCAT_EVENT=demoted)."),
    FRONT_HOOK_TIMEOUT("front.hook.timeout", "DURATION", "10s",
            "A front.on.elected or front.on.demoted command still running after this long is killed."),
    LIB_DIR("lib.dir", "DIR", null,
            "Folder of jars (JDBC drivers, shared libraries) loaded at start into the class loader every webapp and "
                    + "the global resources see, like Tomcat's lib/."),
    RESOURCES_FILE("resources.file", "FILE", null,
            "XML file holding Tomcat's <GlobalNamingResources> (alone, or a whole server.xml): its Resource and "
                    + "Environment entries are shared by all webapps through <ResourceLink global=...>."),
    USER("user", "USER", null,
            "Started as root: bind the node's ports, then run as USER and its groups for good; one thread keeps "
                    + "only the right to open the front's port when it is below 1024."),
    ALLOW_ROOT("allow.root", "BOOL", "false",
            "Let a node started as root without user run as root (every webapp then has root's rights)."),
    LOG_LEVEL("log.level", "LEVEL[,LOGGER=LEVEL,...]", "info",
            "Log level of the root logger (trace, debug, info, warn, error, off), then levels of single loggers, "
                    + "e.g. warn,org.apache.catalina=debug; in the file also one key per logger: "
                    + "log.level.org.apache.catalina=debug."),
    LOG_FORMAT("log.format", "plain|json", "plain",
            "plain: one line per event (ISO-8601 time with zone); json: one JSON object per line "
                    + "(Logback's JsonEncoder) for log pipelines."),
    FRONT_ACCESS_LOG("front.access.log", "FILE", null,
            "While this node runs the front, append one line per request to FILE in Apache's combined format, "
                    + "the front's own 400/413/503/504 answers included (off when not set)."),
    HEALTH_DRAIN("health.drain", "BOOL", "false",
            "GET /health answers 503 with the activation while this node is disabled or stopped, so an external "
                    + "load balancer drains it too."),
    PARENT_PID("parent.pid", "PID", null, "Stop when process PID exits (used by the demo for its nodes).", true);

    private final String key;
    private final String label;
    private final String defaultValue;
    private final String description;
    private final boolean hidden;

    Setting(String key, String label, String defaultValue, String description) {
        this(key, label, defaultValue, description, false);
    }

    Setting(String key, String label, String defaultValue, String description, boolean hidden) {
        this.key = key;
        this.label = label;
        this.defaultValue = defaultValue;
        this.description = description;
        this.hidden = hidden;
    }

    /** Key in the properties file, e.g. {@code http.port}. */
    public String key() {
        return key;
    }

    /** Command-line flag, e.g. {@code --http-port}. */
    public String flag() {
        return "--" + key.replace('.', '-');
    }

    /** Environment variable, e.g. {@code HERDCAT_HTTP_PORT}. */
    public String envVar() {
        return "HERDCAT_" + key.replace('.', '_').toUpperCase(Locale.ROOT);
    }

    public String label() {
        return label;
    }

    /** The default as text, or null when it is computed or absent. */
    public String defaultValue() {
        return defaultValue;
    }

    public String description() {
        return description;
    }

    public boolean hidden() {
        return hidden;
    }

    /**
     * Keys that stand for a family of keys: {@code log.level.LOGGER} in the properties file sets one
     * logger's level and is folded into {@code log.level}.
     */
    public static final String LOG_LEVEL_PREFIX = "log.level.";

    public static Optional<Setting> byKey(String key) {
        return Arrays.stream(values()).filter(s -> s.key.equals(key)).findFirst();
    }

    public static Optional<Setting> byEnvVar(String name) {
        return Arrays.stream(values()).filter(s -> s.envVar().equals(name)).findFirst();
    }
}
