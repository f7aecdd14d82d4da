package io.herdcat.importer;

import io.herdcat.config.Setting;
import io.herdcat.importer.WorkersFile.Value;
import java.util.Locale;
import java.util.Map;

/**
 * An ajp13 worker's attributes on its node: {@code port}, {@code activation} (and the older
 * {@code disabled}/{@code stopped}), {@code secret}, {@code connection_pool_size},
 * {@code connection_pool_timeout}, {@code ping_mode}, {@code max_packet_size} and
 * {@code reply_timeout}; every other attribute is listed on the node as unmapped.
 */
final class MemberSettings {
    private static final int MIN_PACKET = 8192;
    private static final int MAX_PACKET = 65536;
    private final String worker;
    private final Map<String, Value> attrs;

    MemberSettings(String worker, Map<String, Value> attrs) {
        this.worker = worker;
        this.attrs = attrs;
    }

    void apply(NodeFile node) {
        Value port = attrs.get("port");
        if (port != null) {
            String host = attrs.containsKey("host") ? attrs.get("host").text() : "localhost";
            node.set(Setting.AJP_PORT, number(port, 1, 65535) + "", port.source(),
                    "mod_jk reached this Tomcat at " + host + ":" + port.text());
        }
        activation(node);
        Value secret = attrs.get("secret");
        if (secret != null) {
            node.set(Setting.AJP_SECRET, secret.text(), secret.source());
        }
        Value pool = first("connection_pool_size", "cachesize");
        if (pool != null) {
            node.set(Setting.FRONT_POOL_SIZE, number(pool, 1, 100_000) + "", pool.source(), "mod_jk's pool is per "
                    + "httpd process; the front is one process, so the sum over httpd's processes may be closer");
        }
        poolTimeout(node);
        ping(node);
        packetSize(node);
        Value reply = attrs.get("reply_timeout");
        if (reply != null) {
            long ms = number(reply, 0, Integer.MAX_VALUE);
            if (ms > 0) {
                node.set(Setting.FRONT_REPLY_TIMEOUT, ms + "ms", reply.source(), "mod_jk waits this long between "
                        + "any two packets of the reply; the front waits this long for the response's headers");
            } else {
                node.unmapped(new Unmapped(reply.source(), attr("reply_timeout=0"),
                        "no reply timeout has no equivalent: the front answers 504 after front.reply.timeout"));
            }
        }
        for (Map.Entry<String, Value> e : attrs.entrySet()) {
            if (!WorkersMapping.MEMBER_MAPPED.contains(e.getKey())) {
                node.unmapped(new Unmapped(e.getValue().source(), attr(Unmapped.shown(e.getKey(), e.getValue().text())),
                        WorkerAttributes.reason(e.getKey())));
            }
        }
    }

    private void activation(NodeFile node) {
        Value a = attrs.get("activation");
        if (a != null) {
            char c = a.text().isEmpty() ? 'a' : Character.toLowerCase(a.text().charAt(0));
            String value = c == 'd' || c == '1' ? "disabled" : c == 's' || c == '2' ? "stopped" : "active";
            node.set(Setting.ACTIVATION, value, a.source());
        } else if (attrs.containsKey("stopped") && WorkerAttributes.bool(attrs.get("stopped").text(), false)) {
            node.set(Setting.ACTIVATION, "stopped", attrs.get("stopped").source());
        } else if (attrs.containsKey("disabled") && WorkerAttributes.bool(attrs.get("disabled").text(), false)) {
            node.set(Setting.ACTIVATION, "disabled", attrs.get("disabled").source());
        }
    }

    private void poolTimeout(NodeFile node) {
        Value t = first("connection_pool_timeout", "cache_timeout");
        if (t == null) {
            return;
        }
        long s = number(t, 0, Integer.MAX_VALUE);
        if (s == 0) {
            node.unmapped(new Unmapped(t.source(), attr("connection_pool_timeout=0"), "idle connections are never "
                    + "closed by mod_jk; the front closes them after front.pool.idle.timeout (60s)"));
            return;
        }
        node.set(Setting.FRONT_POOL_IDLE_TIMEOUT, s + "s", t.source());
        if (s >= 120) {
            node.set(Setting.AJP_CONNECTION_TIMEOUT, (s + 60) + "s", t.source(), "Tomcat's connectionTimeout "
                    + "must outlast the front's idle connections; a minute longer than front.pool.idle.timeout");
        }
    }

    private void ping(NodeFile node) {
        Value mode = attrs.get("ping_mode");
        if (mode == null) {
            return;
        }
        String m = mode.text().toUpperCase(Locale.ROOT);
        if (m.contains("P") || m.contains("A")) {
            node.set(Setting.FRONT_PING_AFTER, "0s", mode.source(), "ping_mode P: a CPing before every request; "
                    + "the front CPings a connection unused longer than this, 0s = before every request");
        } else if (m.contains("I")) {
            node.unmapped(new Unmapped(mode.source(), attr("ping_mode=" + mode.text()), "the front does not CPing "
                    + "idle connections in the background; it checks one unused for front.ping.after (5s) before "
                    + "using it, and always checks a new one (mode C)"));
        }
        if (m.replaceAll("[CPIA]", "").length() > 0) {
            throw mode.source().error("ping_mode '" + mode.text() + "' has letters other than C, P, I and A");
        }
    }

    private void packetSize(NodeFile node) {
        Value size = attrs.get("max_packet_size");
        if (size == null) {
            return;
        }
        long given = number(size, 0, Integer.MAX_VALUE);
        long aligned = Math.min(MAX_PACKET, Math.max(MIN_PACKET, (given + 1023) / 1024 * 1024));
        node.set(Setting.AJP_PACKET_SIZE, String.valueOf(aligned), size.source(), aligned == given ? null
                : "mod_jk rounds " + given + " up to a multiple of 1024 within 8192-65536, as Herdcat requires; "
                + "the Tomcat connector's packetSize must match");
    }

    private Value first(String key, String deprecated) {
        return attrs.containsKey(key) ? attrs.get(key) : attrs.get(deprecated);
    }

    private String attr(String text) {
        return "worker." + worker + "." + text;
    }

    private static long number(Value v, long min, long max) {
        long n;
        try {
            n = Long.parseLong(v.text().trim());
        } catch (NumberFormatException e) {
            throw v.source().error("'" + v.text() + "' is not a whole number");
        }
        if (n < min || n > max) {
            throw v.source().error(n + " is out of range " + min + "-" + max);
        }
        return n;
    }
}
