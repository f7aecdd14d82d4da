package io.herdcat.admin;

import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One whole admin request, read off the connection before any route sees it: method, path, query,
 * headers, the caller's address and the (small) body.
 */
record AdminRequest(String method, String path, String query, HttpHeaders headers, InetSocketAddress remote,
                    byte[] body) {

    static AdminRequest of(FullHttpRequest request, InetSocketAddress remote) {
        byte[] body = new byte[request.content().readableBytes()];
        request.content().getBytes(request.content().readerIndex(), body);
        return of(request, remote, body);
    }

    /** A request whose body is still to come (or streams elsewhere): its head alone. */
    static AdminRequest head(HttpRequest request, InetSocketAddress remote) {
        return of(request, remote, new byte[0]);
    }

    private static AdminRequest of(HttpRequest request, InetSocketAddress remote, byte[] body) {
        String uri = request.uri();
        int q = uri.indexOf('?');
        String path = new QueryStringDecoder(q < 0 ? uri : uri.substring(0, q)).path();
        return new AdminRequest(request.method().name(), path, q < 0 ? null : uri.substring(q + 1), request.headers(),
                remote, body);
    }

    /** The decoded values of query parameter {@code name}, in order (none when absent). */
    List<String> parameter(String name) {
        return query == null ? List.of() : new QueryStringDecoder("?" + query).parameters().getOrDefault(name, List.of());
    }

    String header(String name) {
        return headers.get(name);
    }

    String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    boolean isHead() {
        return "HEAD".equals(method);
    }
}
