package io.herdcat.admin;

import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /upgrade} on one admin connection, right behind the HTTP decoder: the one request whose
 * body is not gathered in memory (every other request passes on untouched, to the 4 KiB aggregator).
 * The head is judged by {@link UploadAdmission} before any byte of the body is taken; a refused
 * client gets its answer at once (and no {@code 100 Continue}), its body is read and thrown away for a
 * moment so it can see that answer, and the connection closes. An admitted body streams in batches to
 * {@link UpgradeUploads} (reading pauses while a batch waits for the disk), must keep arriving (see
 * {@link AdminServer#STALL_LIMIT}) and stay within {@code upgrade.max.war}; the answer comes once the
 * WAR is checked and the upgrade started, and the connection then closes.
 */
final class UpgradeUpload extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(UpgradeUpload.class);
    static final String PATH = "/upgrade";
    /** How long a refused client may go on sending (thrown away) so it reads the refusal rather than a reset. */
    private static final Duration LINGER = Duration.ofSeconds(5);
    /** Bytes gathered before they go to the disk thread; reading pauses while one more batch waits. */
    private static final int BATCH = 256 * 1024;

    private enum State { PASSING, RECEIVING, CHECKING, ENDED }

    private final AdminConnection connection;
    private final UploadAdmission admission;
    private final UpgradeUploads uploads;
    private final long maxWar;
    private State state = State.PASSING;
    private UpgradeUploads.Upload upload;
    private CompositeByteBuf batch;
    private long received;
    private boolean writing;

    UpgradeUpload(AdminConnection connection, UploadAdmission admission, UpgradeUploads uploads, long maxWar) {
        this.connection = connection;
        this.admission = admission;
        this.uploads = uploads;
        this.maxWar = maxWar;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (state == State.PASSING) {
            if (msg instanceof HttpRequest head && isUpload(head)) {
                ReferenceCountUtil.release(msg);
                begin(ctx, head);
            } else {
                ctx.fireChannelRead(msg);
            }
            return;
        }
        try {
            if (state == State.RECEIVING && msg instanceof HttpContent content) {
                receive(ctx, content);
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private static boolean isUpload(HttpRequest head) {
        return head.decoderResult().isSuccess() && HttpMethod.POST.equals(head.method())
                && PATH.equals(new QueryStringDecoder(head.uri()).path());
    }

    private void begin(ChannelHandlerContext ctx, HttpRequest head) {
        InetSocketAddress remote = (InetSocketAddress) ctx.channel().remoteAddress();
        UploadAdmission.Decision decision = admission.decide(head, remote);
        if (decision.refusal() != null) {
            refuse(ctx, decision.refusal());
            return;
        }
        upload = uploads.claim(decision.admitted(), remote);
        if (upload == null) {
            refuse(ctx, UpgradeUploads.error(409, "another WAR is being uploaded to this node; try again when it is in"));
            return;
        }
        state = State.RECEIVING;
        batch = ctx.alloc().compositeBuffer(1024);
        connection.streaming(AdminServer.STALL_LIMIT);
        if (decision.admitted().expectContinue()) {
            ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE,
                    Unpooled.EMPTY_BUFFER));
        }
    }

    private void receive(ChannelHandlerContext ctx, HttpContent content) {
        if (content.decoderResult().isFailure()) {
            fail(ctx, 400, "bad request body: " + content.decoderResult().cause().getMessage());
            return;
        }
        received += content.content().readableBytes();
        if (received > maxWar) {
            fail(ctx, 413, admission.tooLarge());
            return;
        }
        if (content.content().isReadable()) {
            batch.addComponent(true, content.content().retain());
        }
        if (content instanceof LastHttpContent) {
            state = State.CHECKING;
            connection.answering();
            ctx.channel().config().setAutoRead(true); // to see the client leave while the WAR is checked
            store(ctx);
            finish(ctx);
        } else if (batch.readableBytes() >= BATCH) {
            if (writing) {
                ctx.channel().config().setAutoRead(false); // the disk is behind: let the client wait in TCP
            } else {
                store(ctx);
            }
        }
    }

    /** Hands the gathered bytes to the disk thread. */
    private void store(ChannelHandlerContext ctx) {
        if (!batch.isReadable()) {
            return;
        }
        CompositeByteBuf bytes = batch;
        batch = ctx.alloc().compositeBuffer(1024);
        writing = true;
        upload.write(bytes).whenComplete((ok, failure) -> ctx.executor().execute(() -> {
            writing = false;
            if (failure != null) {
                if (state == State.RECEIVING) { // once the body is in, finish() reports the failure
                    LOG.warn("Upload of {} from {} failed: {}", upload.war(), ctx.channel().remoteAddress(),
                            failure.getMessage());
                    fail(ctx, 500, failure.getMessage());
                }
                return;
            }
            if (state != State.RECEIVING) {
                return;
            }
            connection.progress();
            if (batch.readableBytes() >= BATCH) {
                store(ctx);
            }
            ctx.channel().config().setAutoRead(true);
        }));
    }

    /** The whole body is in: checks and starts on the disk thread, then answers and closes. */
    private void finish(ChannelHandlerContext ctx) {
        upload.finish(() -> ctx.channel().isActive()).whenComplete((answer, failure) -> ctx.executor().execute(() -> {
            if (state != State.CHECKING) {
                return;
            }
            state = State.ENDED;
            if (failure != null) {
                LOG.warn("Upload of {} from {} failed", upload.war(), ctx.channel().remoteAddress(), failure);
                answer(ctx, UpgradeUploads.error(500, "the upload failed on this node, see its log"));
            } else if (answer == null) {
                ctx.close();
            } else {
                answer(ctx, answer);
            }
        }));
    }

    /** Ends a received upload with {@code status}: its file is deleted, the client told, and the connection closed. */
    private void fail(ChannelHandlerContext ctx, int status, String message) {
        if (state == State.ENDED) {
            return;
        }
        end("answered " + status + ": " + message);
        refuse(ctx, UpgradeUploads.error(status, message));
    }

    private void refuse(ChannelHandlerContext ctx, AdminResponse response) {
        state = State.ENDED;
        connection.answering();
        ctx.channel().config().setAutoRead(true); // what the client still sends is read and thrown away
        ctx.writeAndFlush(AdminHandler.http(response, false, true)).addListener(f -> {
            if (!f.isSuccess()) {
                ctx.close();
                return;
            }
            ((SocketChannel) ctx.channel()).shutdownOutput();
            connection.lingering(LINGER);
        });
    }

    private void answer(ChannelHandlerContext ctx, AdminResponse response) {
        ctx.writeAndFlush(AdminHandler.http(response, false, true)).addListener(ChannelFutureListener.CLOSE);
    }

    /** Drops the upload (if one is under way): its bytes, its file, its slot. */
    private void end(String why) {
        if (batch != null) {
            batch.release();
            batch = null;
        }
        if (upload != null && state == State.RECEIVING) {
            upload.discard(why);
        }
        state = State.ENDED;
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (state == State.RECEIVING) {
            end("the connection closed after " + received + " bytes of the body (the client left, or sent nothing for "
                    + AdminServer.STALL_LIMIT.toSeconds() + " s)");
        } else if (batch != null) {
            batch.release();
            batch = null;
        }
        ctx.fireChannelInactive();
    }
}
