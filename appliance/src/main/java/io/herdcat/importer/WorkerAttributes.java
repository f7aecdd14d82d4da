package io.herdcat.importer;

import java.util.Map;

/**
 * Why a mod_jk worker attribute has no Herdcat setting. Attributes that do map are handled by
 * {@link WorkersMapping}; an attribute missing here and there gets the generic reason.
 */
final class WorkerAttributes {
    private static final Map<String, String> REASONS = Map.ofEntries(
            Map.entry("type", "worker type; used to decide what the worker becomes"),
            Map.entry("host", "the front finds nodes through the cluster, not by host name"),
            Map.entry("reference", "resolved: the referenced worker's attributes were copied"),
            Map.entry("socket_connect_timeout", "the front's connect timeout to a node is fixed; a node that "
                    + "does not answer is dropped by the cluster (cluster.crash.timeout, cluster.silence.timeout)"),
            Map.entry("socket_timeout", "no per-socket timeout; see front.reply.timeout and front.send.timeout"),
            Map.entry("socket_keepalive", "the front's connections to nodes are checked with CPing "
                    + "(front.ping.after) instead of TCP keepalive"),
            Map.entry("socket_buffer", "socket buffers are the operating system's"),
            Map.entry("connection_pool_minsize", "the front opens connections on demand and keeps no minimum"),
            Map.entry("connection_acquire_timeout", "a request waits in the front (front.client.max.requests), "
                    + "not for a pooled connection"),
            Map.entry("recovery_options", "the front always retries a request on another node when its node "
                    + "fails before answering (a held body up to front.retry.body)"),
            Map.entry("retries", "the front retries a failed request once on another node; not tunable"),
            Map.entry("lb_retries", "the front retries a failed request once on another node; not tunable"),
            Map.entry("retry_interval", "the front retries at once on another node"),
            Map.entry("recover_time", "a node is back in the balance as soon as the cluster sees it again"),
            Map.entry("error_escalation_time", "a node in error is removed for all requests at once"),
            Map.entry("max_reply_timeouts", "a reply timeout answers 504 and does not mark the node in error"),
            Map.entry("fail_on_status", "the front passes every status a node answers to the client"),
            Map.entry("connect_timeout", "a new connection is always checked with a CPing; its wait is not tunable"),
            Map.entry("prepost_timeout", "the CPing wait is not tunable (see front.ping.after)"),
            Map.entry("ping_timeout", "the CPing wait is not tunable (see front.ping.after)"),
            Map.entry("connection_ping_interval", "idle connections are checked when next used (front.ping.after)"),
            Map.entry("distance", "no preference groups: every active node gets its weight's share"),
            Map.entry("domain", "no domains: a session is replicated to every node (session.manager)"),
            Map.entry("redirect", "no fail-over partner: a failed node's sessions continue on any node"),
            Map.entry("session_cookie", "the front follows Tomcat's JSESSIONID cookie and ;jsessionid= path "
                    + "parameter"),
            Map.entry("session_path", "the front follows Tomcat's JSESSIONID cookie and ;jsessionid= path "
                    + "parameter"),
            Map.entry("set_session_cookie", "sessions are Tomcat's, created by the webapp"),
            Map.entry("session_cookie_path", "sessions are Tomcat's, created by the webapp"),
            Map.entry("lock", "the front's balancing state is in one process; no locking to choose"),
            Map.entry("busy_limit", "no per-node busy limit; see front.client.max.requests"),
            Map.entry("source", "the front connects from its host's own address"),
            Map.entry("prefer_ipv6", "node addresses come from the cluster"),
            Map.entry("secretkey", "status worker attribute; Herdcat's admin API uses admin.token.file"),
            Map.entry("user", "status worker attribute; Herdcat's admin API uses admin.token.file"),
            Map.entry("user_case_insensitive", "status worker attribute; Herdcat's admin API uses admin.token.file"),
            Map.entry("read_only", "status worker attribute; Herdcat's admin API refuses writes without "
                    + "admin.token.file"));

    private WorkerAttributes() {
    }

    static String reason(String attribute) {
        return REASONS.getOrDefault(attribute, "no Herdcat equivalent");
    }

    /** mod_jk's booleans: on/off, or a first letter t/y/1 or f/n/0; anything else is the default. */
    static boolean bool(String text, boolean fallback) {
        String v = text.trim();
        if (v.equalsIgnoreCase("off") || v.equals("0") || v.startsWith("f") || v.startsWith("F")
                || v.startsWith("n") || v.startsWith("N")) {
            return false;
        }
        if (v.equalsIgnoreCase("on") || v.equals("1") || v.startsWith("t") || v.startsWith("T")
                || v.startsWith("y") || v.startsWith("Y")) {
            return true;
        }
        return fallback;
    }
}
