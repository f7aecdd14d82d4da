package io.herdcat.dispatcher;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Recognises a WebSocket handshake (RFC 6455 4.1: an HTTP/1.1 GET with {@code Upgrade: websocket} and
 * {@code Connection: upgrade}) and builds the request the front sends the node's HTTP connector for
 * it: the client's end-to-end headers ({@code Host}, {@code Origin}, {@code Cookie},
 * {@code Sec-WebSocket-*} among them), the upgrade itself, the forwarded client
 * ({@link ForwardedHeaders}) and the front's token, which lets the node believe them.
 */
final class WebSocketUpgrade {
    /** The header that carries the front's token (the AJP secret) to the node's HTTP connector. */
    static final String TOKEN_HEADER = "X-Herdcat-Front";

    private WebSocketUpgrade() {
    }

    /** A handshake has no body: a request that announces one goes over AJP, without its Upgrade, like any other. */
    static boolean isRequest(HttpRequest request) {
        return HttpMethod.GET.equals(request.method()) && HttpVersion.HTTP_1_1.equals(request.protocolVersion())
                && request.headers().containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true)
                && request.headers().containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true)
                && !HttpUtil.isTransferEncodingChunked(request) && HttpUtil.getContentLength(request, 0L) == 0;
    }

    static FullHttpRequest nodeRequest(HttpRequest clientRequest, BackendRequest.Client client, String secret) {
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, clientRequest.uri(),
                Unpooled.EMPTY_BUFFER);
        Set<String> named = HopByHop.namedByConnection(clientRequest.headers());
        for (Map.Entry<String, String> h : clientRequest.headers()) {
            String name = h.getKey().toLowerCase(Locale.ROOT);
            if (!HopByHop.drop(name, named) && !BackendRequest.SET_HERE.contains(name)) {
                request.headers().add(h.getKey(), h.getValue());
            }
        }
        request.headers().set(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET);
        request.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE);
        request.headers().set("X-Forwarded-For", ForwardedHeaders.forwardedFor(clientRequest, client));
        request.headers().set("X-Forwarded-Proto", ForwardedHeaders.forwardedProto(clientRequest, client));
        request.headers().set(TOKEN_HEADER, secret);
        return request;
    }
}
