package io.herdcat.dispatcher;

import io.herdcat.dispatcher.h2.H2Codec;
import io.herdcat.dispatcher.h2.H2ConnectionGuard;
import io.herdcat.dispatcher.h2.H2Counters;
import io.herdcat.dispatcher.h2.H2RequestAdapter;
import io.herdcat.dispatcher.h2.PriorKnowledge;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.ssl.SslContext;
import java.util.concurrent.atomic.LongAdder;

/**
 * The handlers of a front client connection. Every connection starts with its address's connection
 * cap ({@link ClientGate}), the send timeout and, on HTTPS, TLS; then comes HTTP/1.1, or HTTP/2 when
 * the client chose {@code h2} by ALPN or, with {@code front.h2c}, opened with the HTTP/2 preface. Each
 * HTTP/2 stream is a child channel with the same request handling as an HTTP/1.1 connection (one
 * {@link FrontHandler}, so balancing, stickiness, failover, limits and timeouts are the same); its
 * writability is its flow-control window, so a stream whose client does not read pauses only its own
 * node connection, and the send timeout resets only that stream.
 */
final class FrontPipeline extends ChannelInitializer<SocketChannel> {
    private final Dispatcher dispatcher;
    private final Dispatcher.Options options;
    private final LongAdder sendTimeouts;
    private final ChannelGroup clients;
    private final H2Counters h2;

    FrontPipeline(Dispatcher dispatcher, LongAdder sendTimeouts, ChannelGroup clients, H2Counters h2) {
        this.dispatcher = dispatcher;
        this.options = dispatcher.options();
        this.sendTimeouts = sendTimeouts;
        this.clients = clients;
        this.h2 = h2;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        ChannelPipeline p = ch.pipeline();
        p.addLast(new ClientGate(dispatcher.clientAddresses()),
                new SendTimeout(options.clients().sendTimeout(), sendTimeouts));
        if (options.tls() != null) {
            p.addLast(options.tls().newHandler(ch.alloc()));
            if (offersH2(options.tls())) {
                p.addLast(new FrontProtocols(this));
            } else {
                http1(p);
            }
        } else if (options.http2().h2c()) {
            p.addLast(new PriorKnowledge(this::h2, this::http1, ConnectionDrain.DRAIN, options.idleTimeout(),
                    options.headerTimeout()));
        } else {
            http1(p);
        }
        clients.add(ch);
    }

    private static boolean offersH2(SslContext tls) {
        return tls.applicationProtocolNegotiator() != null
                && !tls.applicationProtocolNegotiator().protocols().isEmpty();
    }

    /** HTTP/1.1: requests one after the other, keep-alive, and the slow-client and drain rules. */
    void http1(ChannelPipeline p) {
        SlowClientGuard guard = new SlowClientGuard(options.headerTimeout(), options.idleTimeout());
        p.addLast(guard, new HttpServerCodec(), new HttpServerKeepAliveHandler(), new ConnectionDrain(),
                new FrontHandler(dispatcher, guard));
    }

    /**
     * HTTP/2: the frame codec with its limits, one child channel per stream, and the connection's guard.
     * The streams' flushes are gathered into one per turn of the event loop, so the responses of several
     * streams leave in one TLS record and one write instead of one each.
     */
    void h2(ChannelPipeline p) {
        p.addLast(new FlushConsolidationHandler(FlushConsolidationHandler.DEFAULT_EXPLICIT_FLUSH_AFTER_FLUSHES, true),
                H2Codec.server(options.http2()), new Http2MultiplexHandler(new ChannelInitializer<Http2StreamChannel>() {
            @Override
            protected void initChannel(Http2StreamChannel ch) {
                stream(ch);
            }
        }), new H2ConnectionGuard(h2, ConnectionDrain.DRAIN, options.headerTimeout(), options.idleTimeout()));
    }

    /** One HTTP/2 stream: converted to HTTP/1.1 messages, then handled as one request of a connection. */
    private void stream(Http2StreamChannel ch) {
        H2ConnectionGuard connection = ch.parent().pipeline().get(H2ConnectionGuard.class);
        connection.streamOpened();
        h2.streamOpened();
        ch.closeFuture().addListener(f -> {
            connection.streamClosed();
            h2.streamClosed();
        });
        ch.pipeline().addLast(new Http2StreamFrameToHttpObjectCodec(true), new H2RequestAdapter(),
                new StreamSendTimeout(options.clients().sendTimeout(), sendTimeouts),
                new FrontHandler(dispatcher, SlowClientGuard.off()));
    }
}
