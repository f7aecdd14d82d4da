package io.herdcat.dispatcher;

import io.netty.handler.codec.http.HttpRequest;
import java.util.List;

/**
 * The {@code X-Forwarded-For} and {@code X-Forwarded-Proto} the front sends a node, over AJP and over
 * HTTP (WebSocket handshakes) alike: a trusted proxy's values are extended (For) or kept (Proto);
 * anyone else's are replaced, so a client cannot pass for another address. The last For entry is
 * always the address the front itself saw.
 */
final class ForwardedHeaders {
    private ForwardedHeaders() {
    }

    static String forwardedFor(HttpRequest request, BackendRequest.Client client) {
        String given = client.trustedProxy() ? joined(request, "X-Forwarded-For") : null;
        return given == null ? client.address() : given + ", " + client.address();
    }

    static String forwardedProto(HttpRequest request, BackendRequest.Client client) {
        String given = client.trustedProxy() ? joined(request, "X-Forwarded-Proto") : null;
        return given != null ? given : client.secure() ? "https" : "http";
    }

    /** All lines of a header joined by ", ", or null when there is none. */
    private static String joined(HttpRequest request, String name) {
        List<String> values = request.headers().getAll(name);
        return values.isEmpty() ? null : String.join(", ", values);
    }
}
