package io.herdcat.dispatcher.h2;

import io.herdcat.config.NodeConfig;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2Settings;

/**
 * The HTTP/2 frame codec of a front connection, with its limits and abuse defenses: at most
 * {@code front.h2.max.streams} open streams (more are refused with RST_STREAM REFUSED_STREAM), request
 * header lists up to {@code front.h2.max.header.list} (431 beyond, GOAWAY far beyond), and GOAWAY
 * ENHANCE_YOUR_CALM for a connection that resets more than {@code front.h2.max.resets} streams in 30 s
 * (rapid reset, CVE-2023-44487), that splits one header block into more than 16 small CONTINUATION
 * frames (CONTINUATION flood), that sends empty DATA frames in a row, or that makes the front queue
 * 10,000 control frames it does not read (SETTINGS and PING floods). A graceful close (the front's
 * drain) sends GOAWAY and lets the open streams finish; the dispatcher's drain deadline bounds it.
 */
public final class H2Codec {
    /** CONTINUATION frames under 8 KiB one header block may use: a real client needs none or one. */
    static final int MAX_SMALL_CONTINUATIONS = 16;
    /** Control frames (SETTINGS and PING acknowledgements, RST_STREAM) queued for a client that does not read. */
    private static final int MAX_QUEUED_CONTROL_FRAMES = 10_000;

    private H2Codec() {
    }

    public static Http2FrameCodec server(NodeConfig.Http2Limits limits) {
        return Http2FrameCodecBuilder.forServer()
                .initialSettings(Http2Settings.defaultSettings()
                        .maxConcurrentStreams(limits.maxStreams())
                        .maxHeaderListSize(limits.maxHeaderList()))
                .decoderEnforceMaxRstFramesPerWindow(limits.maxResets(), 30)
                .decoderEnforceMaxSmallContinuationFrames(MAX_SMALL_CONTINUATIONS)
                .decoderEnforceMaxConsecutiveEmptyDataFrames(2)
                .encoderEnforceMaxQueuedControlFrames(MAX_QUEUED_CONTROL_FRAMES)
                .gracefulShutdownTimeoutMillis(-1)
                .build();
    }
}
