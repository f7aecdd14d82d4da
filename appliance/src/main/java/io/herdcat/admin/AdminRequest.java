package io.herdcat.admin;

import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * One whole admin request, read off the connection before any route sees it: method, path, query,
 * headers, the caller's address and the (small) body.
 */
record AdminRequest(String method, String path, String query, HttpHeaders headers, InetSocketAddress remote,
                    byte[] body) {

    static AdminRequest of(FullHttpRequest request, InetSocketAddress remote) {
        String uri = request.uri();
        int q = uri.indexOf('?');
        String path = new QueryStringDecoder(q < 0 ? uri : uri.substring(0, q)).path();
        byte[] body = new byte[request.content().readableBytes()];
        request.content().getBytes(request.content().readerIndex(), body);
        return new AdminRequest(request.method().name(), path, q < 0 ? null : uri.substring(q + 1), request.headers(),
                remote, body);
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
