package io.herdcat.dispatcher.ajp;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything an AJP forward request carries except the body: the client's request line and
 * headers, who the client is (address, port, TLS), how the front was reached, the secret and the
 * route. Strings travel as ISO-8859-1 bytes, so the raw request target round-trips unchanged.
 *
 * @param query        the query string without '?', or null
 * @param attributes   extra request attributes for the webapp ({@code request.getAttribute}), e.g. AJP_LOCAL_ADDR
 * @param ssl          the client's TLS details when {@code secure}, else null
 */
public record AjpRequestHead(String method, String protocol, String uri, String query, String remoteAddr,
                             String remoteHost, int remotePort, String serverName, int serverPort, boolean secure,
                             List<Map.Entry<String, String>> headers, String secret, String route,
                             Map<String, String> attributes, Ssl ssl) {

    /** What the webapp sees as {@code jakarta.servlet.request.cipher_suite}, key size, session and certificate. */
    public record Ssl(String cipher, Integer keySize, String sessionId, String clientCertPem) {
    }

    public AjpRequestHead {
        Objects.requireNonNull(method);
        Objects.requireNonNull(uri);
        headers = List.copyOf(headers);
        attributes = Map.copyOf(attributes);
    }
}
