package io.herdcat.dispatcher;

import io.netty.handler.codec.http.HttpHeaders;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Hop-by-hop headers (RFC 9110 7.6.1): they describe one connection, so a proxy drops them, and also
 * every header that the message's own {@code Connection} header names.
 */
final class HopByHop {
    /** Always dropped; {@code content-length} and {@code expect} are set by the front itself. */
    static final Set<String> ALWAYS = Set.of("connection", "keep-alive", "proxy-connection", "transfer-encoding", "te",
            "trailer", "upgrade");

    private HopByHop() {
    }

    /** The lower-case names the {@code Connection} header(s) of {@code headers} list. */
    static Set<String> namedByConnection(Iterable<Map.Entry<String, String>> headers) {
        Set<String> named = new HashSet<>();
        for (Map.Entry<String, String> h : headers) {
            if (h.getKey().equalsIgnoreCase("connection")) {
                for (String token : h.getValue().split(",")) {
                    String t = token.trim().toLowerCase(Locale.ROOT);
                    if (!t.isEmpty()) {
                        named.add(t);
                    }
                }
            }
        }
        return named;
    }

    /** True when {@code name} must not be forwarded, given the names the message's Connection header listed. */
    static boolean drop(String name, Set<String> named) {
        String n = name.toLowerCase(Locale.ROOT);
        return ALWAYS.contains(n) || !named.isEmpty() && named.contains(n);
    }

    /** Copies the end-to-end headers of {@code from} into {@code to}. */
    static void copyEndToEnd(Iterable<Map.Entry<String, String>> from, HttpHeaders to) {
        Set<String> named = namedByConnection(from);
        for (Map.Entry<String, String> h : from) {
            if (!drop(h.getKey(), named)) {
                to.add(h.getKey(), h.getValue());
            }
        }
    }
}
