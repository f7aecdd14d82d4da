package io.herdcat.admin;

import io.herdcat.cluster.ClusterNode;
import io.herdcat.config.Activation;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin API's writes: {@code POST /nodes/NAME/weight} and {@code POST /nodes/NAME/activation}
 * with the new value as the body (or {@code ?value=}). Each needs {@code Authorization: Bearer TOKEN};
 * the change goes to the named node through the cluster, so every node sees it. Every write is logged
 * with the caller's address.
 */
final class AdminWrites {
    private static final Logger LOG = LoggerFactory.getLogger(AdminWrites.class);
    private static final Pattern NODE_SETTING = Pattern.compile("/nodes/([A-Za-z0-9_-]{1,64})/(weight|activation)");
    private static final int MAX_BODY = 256;

    private final byte[] token;
    private final ClusterNode cluster;

    record Result(int status, Map<String, Object> body, boolean challenge) {
        static Result of(int status, String key, Object value) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put(key, value);
            return new Result(status, body, false);
        }

        /** This result with {@code WWW-Authenticate: Bearer}. */
        Result challenging() {
            return new Result(status, body, true);
        }

        /** As the admin API answers it: JSON, with the challenge header when it has one. */
        AdminResponse response() {
            AdminResponse r = AdminResponse.json(status, JsonWriter.write(body));
            return challenge ? r.with("WWW-Authenticate", "Bearer") : r;
        }
    }

    AdminWrites(String token, ClusterNode cluster) {
        this.token = token == null ? null : token.getBytes(StandardCharsets.UTF_8);
        this.cluster = cluster;
    }

    Result handle(AdminRequest exchange) {
        Result refused = authorize(exchange);
        if (refused != null) {
            return refused;
        }
        if ("/counters/reset".equals(exchange.path()) && cluster != null) {
            return resetCounters(exchange);
        }
        Matcher m = NODE_SETTING.matcher(exchange.path());
        if (!m.matches() || cluster == null) {
            return Result.of(404, "error",
                    "no such write; use POST /nodes/NAME/weight, /nodes/NAME/activation or /counters/reset");
        }
        String node = m.group(1);
        String value = value(exchange);
        boolean known;
        if ("weight".equals(m.group(2))) {
            int weight;
            try {
                weight = Integer.parseInt(value);
            } catch (NumberFormatException e) {
                weight = -1;
            }
            if (weight < 1 || weight > 100) {
                return Result.of(400, "error", "weight must be a whole number from 1 to 100, got '" + value + "'");
            }
            known = cluster.requestWeight(node, weight);
        } else {
            Activation activation;
            try {
                activation = Activation.valueOf(value.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                return Result.of(400, "error", "activation must be active, disabled or stopped, got '" + value + "'");
            }
            known = cluster.requestActivation(node, activation);
        }
        if (!known) {
            return Result.of(404, "error", "no node named " + node + " in the cluster");
        }
        LOG.info("Admin write from {}: {} of {} set to {}", exchange.remote(), m.group(2), node, value);
        Result ok = Result.of(202, "node", node);
        ok.body().put(m.group(2), value);
        return ok;
    }

    /**
     * Null when {@code exchange} may write; else the refusal: 403 when this node takes no writes (no
     * token file), 401 (logged) when the token is missing or wrong.
     */
    Result authorize(AdminRequest exchange) {
        if (token == null) {
            return Result.of(403, "error", "writes are disabled: set admin.token.file on this node");
        }
        if (!tokenGiven(exchange)) {
            LOG.warn("Admin write {} from {} refused: missing or wrong token", exchange.path(), exchange.remote());
            return Result.of(401, "error", "missing or wrong admin token (Authorization: Bearer TOKEN)").challenging();
        }
        return null;
    }

    /** The front's counters live on the node that runs it: the request goes there. */
    private Result resetCounters(AdminRequest exchange) {
        String front = cluster.view().dispatcher().orElse(null);
        if (front == null || !cluster.requestCountersReset(front)) {
            return Result.of(409, "error", "no node runs the HTTP front now");
        }
        LOG.info("Admin write from {}: counters of the front on {} reset", exchange.remote(), front);
        return Result.of(202, "reset", front);
    }

    /**
     * Reads are open from this host (the admin port listens on loopback by default); from elsewhere they
     * need the token too, as the status shows the cluster's layout.
     */
    boolean mayRead(AdminRequest exchange) {
        return exchange.remote().getAddress().isLoopbackAddress() || tokenGiven(exchange);
    }

    private boolean tokenGiven(AdminRequest exchange) {
        String auth = exchange.header("Authorization");
        byte[] given = auth != null && auth.startsWith("Bearer ")
                ? auth.substring(7).trim().getBytes(StandardCharsets.UTF_8) : new byte[0];
        return token != null && MessageDigest.isEqual(token, given);
    }

    private static String value(AdminRequest exchange) {
        String query = exchange.query();
        if (query != null && query.startsWith("value=")) {
            return query.substring("value=".length());
        }
        String body = exchange.bodyText();
        return body.substring(0, Math.min(body.length(), MAX_BODY)).trim();
    }
}
