package io.herdcat.dispatcher;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The body of one client request on its way to a node. Bytes that arrived from the client and are not
 * yet sent wait in {@code pending} (the front reads more only when little is pending, so memory stays
 * bounded). Bytes already sent are kept while they total at most {@code replayLimit}, so the request
 * can go to another node if its node fails; past that the body is streamed and cannot be replayed.
 */
final class RequestBody {
    private final long declaredLength;
    private final int replayLimit;
    private final Deque<ByteBuf> pending = new ArrayDeque<>();
    private final List<ByteBuf> sent = new ArrayList<>();
    private int pendingBytes;
    private long receivedBytes;
    private long sentBytes;
    private boolean complete;
    private boolean replayable = true;

    /** @param declaredLength the request's Content-Length, or -1 when it is chunked */
    RequestBody(long declaredLength, int replayLimit) {
        this.declaredLength = declaredLength;
        this.replayLimit = replayLimit;
    }

    long declaredLength() {
        return declaredLength;
    }

    /** Takes ownership of {@code data}. */
    void add(ByteBuf data) {
        if (data.isReadable()) {
            pending.addLast(data);
            pendingBytes += data.readableBytes();
            receivedBytes += data.readableBytes();
        } else {
            data.release();
        }
    }

    void markComplete() {
        complete = true;
    }

    boolean complete() {
        return complete;
    }

    int pendingBytes() {
        return pendingBytes;
    }

    long receivedBytes() {
        return receivedBytes;
    }

    long sentBytes() {
        return sentBytes;
    }

    /** Up to {@code max} pending bytes, in order, for one body chunk; the caller sends (and so releases) them. */
    ByteBuf take(ByteBufAllocator alloc, int max) {
        CompositeByteBuf out = alloc.compositeBuffer();
        while (!pending.isEmpty() && out.readableBytes() < max) {
            ByteBuf first = pending.peekFirst();
            int n = Math.min(max - out.readableBytes(), first.readableBytes());
            out.addComponent(true, first.readRetainedSlice(n));
            if (!first.isReadable()) {
                pending.pollFirst().release();
            }
        }
        pendingBytes -= out.readableBytes();
        sentBytes += out.readableBytes();
        if (replayable) {
            if (sentBytes <= replayLimit) {
                sent.add(out.retainedDuplicate());
            } else {
                replayable = false;
                sent.forEach(ByteBuf::release);
                sent.clear();
            }
        }
        return out;
    }

    /** Makes everything sent pending again, for another node; false when part of it is gone. */
    boolean rewind() {
        if (!replayable) {
            return false;
        }
        for (int i = sent.size() - 1; i >= 0; i--) {
            ByteBuf b = sent.get(i);
            pending.addFirst(b);
            pendingBytes += b.readableBytes();
        }
        sent.clear();
        sentBytes = 0;
        return true;
    }

    void release() {
        pending.forEach(ByteBuf::release);
        pending.clear();
        sent.forEach(ByteBuf::release);
        sent.clear();
        pendingBytes = 0;
    }
}
