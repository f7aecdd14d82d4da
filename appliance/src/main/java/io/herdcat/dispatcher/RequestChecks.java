package io.herdcat.dispatcher;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.util.List;

/**
 * What the front refuses in a request head that parsed (RFC 9112): a missing {@code Host} in HTTP/1.1
 * or more than one {@code Host} (400: which site is meant is not clear, and a node and a cache might
 * read it differently), and a transfer coding other than {@code chunked} (501: the front cannot tell
 * where such a body ends, and guessing is how requests get smuggled).
 */
final class RequestChecks {
    private RequestChecks() {
    }

    /** The status to refuse {@code request} with, or null when it may go on. */
    static HttpResponseStatus problem(HttpRequest request) {
        List<String> hosts = request.headers().getAll(HttpHeaderNames.HOST);
        if (hosts.size() > 1 || hosts.isEmpty() && HttpVersion.HTTP_1_1.equals(request.protocolVersion())) {
            return HttpResponseStatus.BAD_REQUEST;
        }
        List<String> codings = request.headers().getAll(HttpHeaderNames.TRANSFER_ENCODING);
        if (!codings.isEmpty() && (codings.size() > 1
                || !HttpHeaderValues.CHUNKED.contentEqualsIgnoreCase(codings.get(0).trim()))) {
            return HttpResponseStatus.NOT_IMPLEMENTED;
        }
        return null;
    }
}
