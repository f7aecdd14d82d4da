package io.herdcat.dispatcher;

import io.herdcat.dispatcher.balance.WorkerSpec;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoop;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Persistent AJP connections to one node, kept per event loop so a client connection and the node
 * connection serving it share one thread. A connection whose response ended with "reuse" goes back
 * to its loop's pool (at most {@code maxIdle} per loop); any other is closed.
 */
final class AjpPool {
    private final Bootstrap bootstrap;
    private final WorkerSpec spec;
    private final int maxIdle;
    private final Map<EventLoop, Deque<Channel>> idle = new ConcurrentHashMap<>();

    AjpPool(Bootstrap bootstrap, WorkerSpec spec, int maxIdle) {
        this.bootstrap = bootstrap;
        this.spec = spec;
        this.maxIdle = maxIdle;
    }

    WorkerSpec spec() {
        return spec;
    }

    /** An idle connection of the caller's event loop when there is one, else a new one on that loop. */
    ChannelFuture acquire(EventLoop loop) {
        Deque<Channel> mine = idle.computeIfAbsent(loop, l -> new ArrayDeque<>());
        synchronized (mine) {
            while (!mine.isEmpty()) {
                Channel ch = mine.pollLast();
                if (ch.isActive()) {
                    return ch.newSucceededFuture();
                }
            }
        }
        return bootstrap.clone(loop).connect(spec.host(), spec.port());
    }

    void release(Channel ch, boolean reusable) {
        if (reusable && ch.isActive()) {
            Deque<Channel> its = idle.computeIfAbsent(ch.eventLoop(), l -> new ArrayDeque<>());
            synchronized (its) {
                if (its.size() < maxIdle) {
                    its.addLast(ch);
                    return;
                }
            }
        }
        ch.close();
    }

    void close() {
        for (Deque<Channel> d : idle.values()) {
            synchronized (d) {
                d.forEach(Channel::close);
                d.clear();
            }
        }
    }
}
