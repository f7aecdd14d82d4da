package io.herdcat.dispatcher;

import io.herdcat.dispatcher.ajp.AjpRequestHead;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
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
 */
final class BackendRequest {
    private static final Set<String> NOT_FORWARDED = Set.of("connection", "keep-alive", "proxy-connection",
            "transfer-encoding", "te", "trailer", "upgrade", "content-length", "expect");

    private BackendRequest() {
    }

    /** @param bodyLength the request's Content-Length, or -1 for a chunked body (the node then asks until an empty chunk) */
    static AjpRequestHead head(HttpRequest request, long bodyLength, Channel client, String secret, String route) {
        String rawUri = request.uri();
        int q = rawUri.indexOf('?');
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        for (Map.Entry<String, String> h : request.headers()) {
            if (!NOT_FORWARDED.contains(h.getKey().toLowerCase(Locale.ROOT))) {
                headers.add(h);
            }
        }
        if (bodyLength > 0 || bodyLength == 0 && (HttpMethod.POST.equals(request.method())
                || HttpMethod.PUT.equals(request.method()))) {
            headers.add(new AbstractMap.SimpleImmutableEntry<>("Content-Length", Long.toString(bodyLength)));
        }
        InetSocketAddress remote = (InetSocketAddress) client.remoteAddress();
        InetSocketAddress local = (InetSocketAddress) client.localAddress();
        String host = request.headers().get(HttpHeaderNames.HOST);
        String serverName = host == null ? local.getHostString() : host.replaceFirst(":\\d+$", "");
        FrontTls.ClientTls tls = FrontTls.of(client);
        return new AjpRequestHead(request.method().name(), request.protocolVersion().text(),
                q < 0 ? rawUri : rawUri.substring(0, q), q < 0 ? null : rawUri.substring(q + 1),
                remote.getAddress().getHostAddress(), remote.getAddress().getHostAddress(), remote.getPort(),
                serverName, local.getPort(), tls != null, headers, secret, route, Map.of(),
                tls == null ? null : tls.ssl());
    }
}
