package io.herdcat.dispatcher;

import io.herdcat.dispatcher.balance.WorkerSpec;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoop;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Persistent AJP connections to one node. A connection whose response ended with "reuse" goes back to
 * the pool (at most {@code maxIdle} of them); any other is closed.
 */
final class AjpPool {
    private final Bootstrap bootstrap;
    private final WorkerSpec spec;
    private final int maxIdle;
    private final Deque<Channel> idle = new ArrayDeque<>();

    AjpPool(Bootstrap bootstrap, WorkerSpec spec, int maxIdle) {
        this.bootstrap = bootstrap;
        this.spec = spec;
        this.maxIdle = maxIdle;
    }

    WorkerSpec spec() {
        return spec;
    }

    /** An idle connection when there is one, else a new one, preferably on the caller's event loop. */
    ChannelFuture acquire(EventLoop loop) {
        synchronized (idle) {
            while (!idle.isEmpty()) {
                Channel ch = idle.pollLast();
                if (ch.isActive()) {
                    return ch.newSucceededFuture();
                }
            }
        }
        return bootstrap.clone(loop).connect(spec.host(), spec.port());
    }

    void release(Channel ch, boolean reusable) {
        if (reusable && ch.isActive()) {
            synchronized (idle) {
                if (idle.size() < maxIdle) {
                    idle.addLast(ch);
                    return;
                }
            }
        }
        ch.close();
    }

    void close() {
        synchronized (idle) {
            idle.forEach(Channel::close);
            idle.clear();
        }
    }
}
