package io.herdcat.admin;

import io.herdcat.upgrade.Upgrades;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Decides from the head of a {@code POST /upgrade} alone whether its body may come: the {@code Host},
 * the token, the query, the content type and the announced length are checked before a byte of the
 * body is taken, so a client without the token (or with an upload that would be refused anyway) never
 * gets the node to store anything. The WAR's name is checked here only for its shape; {@link
 * io.herdcat.upgrade.WarFile#check} has the last word once the file is there.
 */
final class UploadAdmission {
    private static final Pattern HEALTH = Pattern.compile("[A-Za-z0-9._~!$&'()*+,;=:@%/?-]{0,1024}");
    private static final List<String> TYPES = List.of("application/octet-stream", "application/java-archive");
    private static final long MIB = 1024 * 1024;

    /** An upload whose body may come: the WAR's name, the health path, and whether the client waits for 100 Continue. */
    record Admitted(String war, String health, boolean expectContinue) {
    }

    /** Either {@code admitted} or {@code refusal} is set. */
    record Decision(Admitted admitted, AdminResponse refusal) {
        static Decision refused(int status, String error) {
            return new Decision(null, AdminResponse.json(status, JsonWriter.write(Map.of("error", error))));
        }
    }

    private final AllowedHosts hosts;
    private final AdminWrites writes;
    private final Supplier<Upgrades> upgrades;
    private final long maxWar;

    UploadAdmission(AllowedHosts hosts, AdminWrites writes, Supplier<Upgrades> upgrades, long maxWar) {
        this.hosts = hosts;
        this.writes = writes;
        this.upgrades = upgrades;
        this.maxWar = maxWar;
    }

    Decision decide(HttpRequest head, InetSocketAddress remote) {
        AdminRequest r = AdminRequest.head(head, remote);
        AdminResponse wrongHost = AdminHandler.checkHost(head, r.path(), hosts);
        if (wrongHost != null) {
            return new Decision(null, wrongHost);
        }
        AdminWrites.Result refused = writes.authorize(r);
        if (refused != null) {
            return new Decision(null, refused.response());
        }
        if (upgrades.get() == null) {
            return Decision.refused(503, AdminServer.NO_UPGRADES);
        }
        List<String> war = r.parameter("war");
        if (war.size() != 1 || !plausibleWarName(war.get(0))) {
            return Decision.refused(400, "query parameter 'war' must name the WAR once, like ?war=shop.war or "
                    + "?war=shop%23%232.war (shop##2.war); got " + war);
        }
        List<String> health = r.parameter("health");
        if (health.size() > 1 || (health.size() == 1 && !plausibleHealthPath(health.get(0)))) {
            return Decision.refused(400, "query parameter 'health' must be one path on the webapp, like /health "
                    + "or status?full=1 (empty: the context root); got " + health);
        }
        String type = head.headers().get(HttpHeaderNames.CONTENT_TYPE);
        if (type != null && !TYPES.contains(type.split(";", 2)[0].trim().toLowerCase(Locale.ROOT))) {
            return Decision.refused(415, "the body must be the WAR's bytes, sent as " + String.join(" or ", TYPES)
                    + "; got " + type);
        }
        boolean chunked = HttpUtil.isTransferEncodingChunked(head);
        long length = HttpUtil.getContentLength(head, -1L);
        if (!chunked && length < 0) {
            return Decision.refused(411, "send the WAR with Content-Length (or chunked)");
        }
        if (length > maxWar) {
            return Decision.refused(413, tooLarge());
        }
        return new Decision(new Admitted(war.get(0), health.isEmpty() ? "" : health.get(0),
                HttpUtil.is100ContinueExpected(head)), null);
    }

    /** Why a body beyond {@code upgrade.max.war} is refused. */
    String tooLarge() {
        String max = maxWar % MIB == 0 ? maxWar / MIB + " MiB" : maxWar + " bytes";
        return "the WAR is larger than this node takes (upgrade.max.war, " + max + ")";
    }

    private static boolean plausibleWarName(String name) {
        return name.length() <= 255 && name.endsWith(".war") && name.length() > ".war".length()
                && name.indexOf('/') < 0 && name.indexOf('\\') < 0 && !name.startsWith(".");
    }

    private static boolean plausibleHealthPath(String path) {
        return HEALTH.matcher(path).matches() && !path.contains("//");
    }
}
