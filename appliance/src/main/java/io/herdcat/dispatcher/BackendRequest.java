package io.herdcat.dispatcher;

import io.herdcat.config.AddressRange;
import io.herdcat.dispatcher.ajp.AjpRequestHead;
import io.netty.channel.Channel;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The AJP forward request for a client's HTTP request: its request line and end-to-end headers, who the
 * client is (address, port, TLS) and how the front was reached, so {@code getRemoteAddr()},
 * {@code getServerName()}, {@code isSecure()} and the SSL attributes are right in the webapp.
 * {@code X-Forwarded-For} and {@code X-Forwarded-Proto} are set for webapps that read them
 * ({@link ForwardedHeaders}); a client's {@code X-Herdcat-Front} (the front's token on HTTP) is dropped.
 */
final class BackendRequest {
    /** Headers the front sets itself (or never passes on): a client's are dropped. */
    static final Set<String> SET_HERE = Set.of("content-length", "expect", "x-forwarded-for",
            "x-forwarded-proto", "x-herdcat-front");

    private BackendRequest() {
    }

    /** Who is at the other end of a client connection and how it reached the front; the same for all its requests. */
    record Client(InetAddress inet, String address, int port, String localHost, int localPort, boolean secure,
                  AjpRequestHead.Ssl ssl, boolean trustedProxy) {
        /** @param channel a client connection, or an HTTP/2 stream of one (its connection is then its parent) */
        static Client of(Channel channel, List<AddressRange> trustedProxies) {
            Channel connection = channel instanceof Http2StreamChannel ? channel.parent() : channel;
            InetSocketAddress remote = (InetSocketAddress) connection.remoteAddress();
            InetSocketAddress local = (InetSocketAddress) connection.localAddress();
            AjpRequestHead.Ssl tls = FrontTls.of(connection);
            boolean trusted = trustedProxies.stream().anyMatch(r -> r.contains(remote.getAddress()));
            return new Client(remote.getAddress(), remote.getAddress().getHostAddress(), remote.getPort(), local.getHostString(),
                    local.getPort(), tls != null, tls, trusted);
        }
    }

    /** @param bodyLength the request's Content-Length, or -1 for a chunked body (the node then asks until an empty chunk) */
    static AjpRequestHead head(HttpRequest request, long bodyLength, Client client, String secret, String route) {
        String rawUri = request.uri();
        int q = rawUri.indexOf('?');
        List<Map.Entry<String, String>> headers = new ArrayList<>(request.headers().size() + 3);
        Set<String> named = HopByHop.namedByConnection(request.headers());
        for (Map.Entry<String, String> h : request.headers()) {
            if (!HopByHop.drop(h.getKey(), named) && !SET_HERE.contains(h.getKey().toLowerCase(Locale.ROOT))) {
                headers.add(h);
            }
        }
        headers.add(new AbstractMap.SimpleImmutableEntry<>("X-Forwarded-For", ForwardedHeaders.forwardedFor(request, client)));
        headers.add(new AbstractMap.SimpleImmutableEntry<>("X-Forwarded-Proto",
                ForwardedHeaders.forwardedProto(request, client)));
        if (bodyLength > 0 || bodyLength == 0 && (HttpMethod.POST.equals(request.method())
                || HttpMethod.PUT.equals(request.method()))) {
            headers.add(new AbstractMap.SimpleImmutableEntry<>("Content-Length", Long.toString(bodyLength)));
        }
        String host = request.headers().get(HttpHeaderNames.HOST);
        String serverName = host == null ? client.localHost() : withoutPort(host);
        return new AjpRequestHead(request.method().name(), request.protocolVersion().text(),
                q < 0 ? rawUri : rawUri.substring(0, q), q < 0 ? null : rawUri.substring(q + 1),
                client.address(), client.address(), client.port(), serverName, client.localPort(), client.secure(),
                headers, secret, route, Map.of(), client.ssl());
    }

    /** "example.org:8080" → "example.org", "[::1]:80" → "[::1]"; a host without a port stays as it is. */
    static String withoutPort(String host) {
        int colon = host.lastIndexOf(':');
        if (colon < 0 || host.indexOf(']', colon) >= 0 || host.indexOf(':') != colon && !host.startsWith("[")) {
            return host;
        }
        for (int i = colon + 1; i < host.length(); i++) {
            if (!Character.isDigit(host.charAt(i))) {
                return host;
            }
        }
        return host.substring(0, colon);
    }
}
