package io.herdcat.admin;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;

/**
 * Answers the whole requests of one admin connection, one at a time: checks the {@code Host} header
 * (see {@link AllowedHosts}; probes are exempt), answers {@code /health/live} on the I/O thread itself,
 * and hands everything else to the admin workers, so that no route, however slow, can keep a probe
 * from being answered. Every response says {@code nosniff} and {@code no-store}.
 */
final class AdminHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final String LIVE = "{\"status\":\"UP\"}";

    private final AdminConnection connection;
    private final AllowedHosts hosts;
    private final Executor workers;
    private final Function<AdminRequest, AdminResponse> routes;

    AdminHandler(AdminConnection connection, AllowedHosts hosts, Executor workers,
                 Function<AdminRequest, AdminResponse> routes) {
        this.connection = connection;
        this.hosts = hosts;
        this.workers = workers;
        this.routes = routes;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        connection.answering();
        if (request.decoderResult().isFailure()) {
            String why = request.decoderResult().cause().getMessage();
            respond(ctx, AdminResponse.json(400, "{\"error\":" + JsonWriter.write("bad request: " + why) + "}"), false, true);
            return;
        }
        AdminRequest r = AdminRequest.of(request, (InetSocketAddress) ctx.channel().remoteAddress());
        boolean head = r.isHead();
        AdminResponse refused = checkHost(request, r.path(), hosts);
        if (refused != null) {
            respond(ctx, refused, head, true);
            return;
        }
        if ("/health/live".equals(r.path()) && ("GET".equals(r.method()) || head)) {
            respond(ctx, AdminResponse.json(200, LIVE), head, false);
            return;
        }
        ctx.channel().config().setAutoRead(false); // one request at a time: a pipelined flood waits in the socket
        try {
            workers.execute(() -> respond(ctx, routes.apply(r), head, false));
        } catch (RejectedExecutionException e) {
            respond(ctx, AdminResponse.json(503, "{\"error\":\"the node is stopping\"}"), head, true);
        }
    }

    /** A refusal when the Host header is missing (HTTP/1.1), repeated, or names a foreign host; else null. */
    static AdminResponse checkHost(HttpRequest request, String path, AllowedHosts hosts) {
        List<String> given = request.headers().getAll(HttpHeaderNames.HOST);
        if (given.size() > 1) {
            return AdminResponse.json(400, "{\"error\":\"more than one Host header\"}");
        }
        if (given.isEmpty()) {
            return request.protocolVersion().equals(HttpVersion.HTTP_1_0) ? null
                    : AdminResponse.json(400, "{\"error\":\"HTTP/1.1 requests need a Host header\"}");
        }
        if (path.equals("/health") || path.startsWith("/health/") || hosts.allows(given.get(0))) {
            return null;
        }
        return AdminResponse.json(421, "{\"error\":" + JsonWriter.write("this node does not answer to the host name '"
                + given.get(0) + "'; use its own name or address, or add the name to admin.allowed.hosts") + "}");
    }

    private static void respond(ChannelHandlerContext ctx, AdminResponse r, boolean head, boolean close) {
        ctx.writeAndFlush(http(r, head, close)).addListener(f -> {
            if (close || !f.isSuccess()) {
                ctx.close();
            } else {
                ctx.channel().config().setAutoRead(true);
            }
        });
    }

    /** {@code r} as an HTTP response, with the headers every admin response carries. */
    static FullHttpResponse http(AdminResponse r, boolean head, boolean close) {
        byte[] body = r.body().getBytes(StandardCharsets.UTF_8);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(r.status()),
                head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, r.contentType() + "; charset=utf-8");
        response.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        response.headers().set("X-Content-Type-Options", "nosniff");
        for (Map.Entry<String, String> h : r.headers().entrySet()) {
            response.headers().set(h.getKey(), h.getValue());
        }
        HttpUtil.setContentLength(response, body.length);
        if (close) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        return response;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
