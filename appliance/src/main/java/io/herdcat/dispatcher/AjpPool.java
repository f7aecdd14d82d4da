package io.herdcat.dispatcher;

import io.herdcat.dispatcher.ajp.AjpEncoder;
import io.herdcat.dispatcher.balance.WorkerSpec;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.EventLoop;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Persistent AJP connections to one node. Connections are kept per event loop, so a client connection
 * and the node connection serving it share one thread and the pool needs no locks. At most
 * {@code maxConnections} are open to the node (split over the loops); a request that finds them all
 * busy waits up to the connect timeout for one, then the node counts as busy (not failed). A new
 * connection, and one idle longer than {@code pingAfterIdle}, is checked with a CPing before it carries
 * a request (mod_jk's ping_mode "C" and "P"), so a hung node is found in {@code pingTimeout} rather than
 * the reply timeout; a connection idle longer than {@code idleTimeout} is closed.
 */
final class AjpPool {
    /** The CPing a pooled connection is waiting to see answered before it is handed out. */
    static final AttributeKey<Promise<Void>> PING = AttributeKey.valueOf("herdcat.ping");
    private static final AttributeKey<Long> IDLE_SINCE = AttributeKey.valueOf("herdcat.idleSince");

    /** How long and how often the pool waits. */
    record Limits(int maxConnections, Duration idleTimeout, Duration pingAfterIdle, Duration pingTimeout,
                  Duration acquireTimeout) {
    }

    /** All connections to the node are in use: try another node, this one is not broken. */
    static final class BusyException extends Exception {
        BusyException(String message) {
            super(message, null, false, false);
        }
    }

    private final Bootstrap bootstrap;
    private final WorkerSpec spec;
    private final Limits limits;
    private final int maxPerLoop;
    private final Map<EventLoop, LoopPool> loops = new ConcurrentHashMap<>();
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger idle = new AtomicInteger();
    private volatile boolean closed;

    AjpPool(Bootstrap bootstrap, WorkerSpec spec, Limits limits, int loopCount) {
        this.bootstrap = bootstrap;
        this.spec = spec;
        this.limits = limits;
        this.maxPerLoop = Math.max(1, (limits.maxConnections() + loopCount - 1) / loopCount);
    }

    WorkerSpec spec() {
        return spec;
    }

    int openConnections() {
        return open.get();
    }

    int idleConnections() {
        return idle.get();
    }

    /** A ready connection on {@code loop}: idle (checked by CPing when idle long), new, or the next one freed. */
    Future<Channel> acquire(EventLoop loop) {
        Promise<Channel> result = loop.newPromise();
        LoopPool pool = loops.computeIfAbsent(loop, LoopPool::new);
        if (loop.inEventLoop()) {
            pool.acquire(result);
        } else {
            loop.execute(() -> pool.acquire(result));
        }
        return result;
    }

    /** Gives a connection back after an exchange; only one whose response ended with "reuse" is kept. */
    void release(Channel ch, boolean reusable) {
        LoopPool pool = loops.get(ch.eventLoop());
        if (!reusable || closed || pool == null || !ch.isActive()) {
            ch.close();
            return;
        }
        if (ch.eventLoop().inEventLoop()) {
            pool.release(ch);
        } else {
            ch.eventLoop().execute(() -> pool.release(ch));
        }
    }

    void close() {
        closed = true;
        loops.values().forEach(p -> p.loop.execute(p::closeAll));
    }

    /** The connections of one event loop; touched only from that loop. */
    private final class LoopPool {
        private final EventLoop loop;
        private final Deque<Channel> idleChannels = new ArrayDeque<>();
        private final Deque<Promise<Channel>> waiters = new ArrayDeque<>();
        private final ScheduledFuture<?> sweeper;
        private int openHere;

        LoopPool(EventLoop loop) {
            this.loop = loop;
            long every = Math.max(100, limits.idleTimeout().toMillis() / 4);
            this.sweeper = loop.scheduleWithFixedDelay(this::closeIdleTooLong, every, every, TimeUnit.MILLISECONDS);
        }

        void acquire(Promise<Channel> result) {
            while (!idleChannels.isEmpty()) {
                Channel ch = idleChannels.pollLast();
                idle.decrementAndGet();
                if (!ch.isActive()) {
                    continue;
                }
                long idleFor = System.nanoTime() - ch.attr(IDLE_SINCE).get();
                if (idleFor > limits.pingAfterIdle().toNanos()) {
                    ping(ch, result);
                } else {
                    result.trySuccess(ch);
                }
                return;
            }
            if (openHere < maxPerLoop && !closed) {
                connect(result);
                return;
            }
            waiters.addLast(result);
            loop.schedule(() -> {
                if (waiters.remove(result)) {
                    result.tryFailure(new BusyException("all " + limits.maxConnections()
                            + " connections to node " + spec.route() + " are busy"));
                }
            }, limits.acquireTimeout().toMillis(), TimeUnit.MILLISECONDS);
        }

        private void connect(Promise<Channel> result) {
            openHere++;
            open.incrementAndGet();
            ChannelFuture f = bootstrap.clone(loop).connect(spec.host(), spec.port());
            f.channel().closeFuture().addListener(c -> loop.execute(this::connectionClosed));
            f.addListener((ChannelFutureListener) c -> {
                if (c.isSuccess()) {
                    ping(c.channel(), result);
                } else {
                    result.tryFailure(c.cause());
                }
            });
        }

        /** A CPing on a new or long-idle connection: a CPong in time hands it out, else the node failed (hung). */
        private void ping(Channel ch, Promise<Channel> result) {
            Promise<Void> pong = loop.newPromise();
            ch.attr(PING).set(pong);
            ScheduledFuture<?> timeout = loop.schedule(() -> pong.tryFailure(new IOException(
                    "no CPong within " + limits.pingTimeout().toMillis() + " ms")),
                    limits.pingTimeout().toMillis(), TimeUnit.MILLISECONDS);
            pong.addListener(f -> {
                timeout.cancel(false);
                ch.attr(PING).set(null);
                if (f.isSuccess()) {
                    if (!result.trySuccess(ch)) {
                        release(ch); // its waiter gave up meanwhile
                    }
                } else {
                    ch.close();
                    result.tryFailure(f.cause());
                }
            });
            ch.writeAndFlush(AjpEncoder.cping(ch.alloc())).addListener(w -> {
                if (!w.isSuccess()) {
                    pong.tryFailure(w.cause());
                }
            });
        }

        void release(Channel ch) {
            if (!ch.isActive()) {
                return;
            }
            while (!waiters.isEmpty()) {
                if (waiters.pollFirst().trySuccess(ch)) {
                    return;
                }
            }
            ch.attr(IDLE_SINCE).set(System.nanoTime());
            idleChannels.addLast(ch);
            idle.incrementAndGet();
        }

        private void connectionClosed() {
            openHere--;
            open.decrementAndGet();
            for (Iterator<Channel> it = idleChannels.iterator(); it.hasNext(); ) {
                if (!it.next().isActive()) {
                    it.remove();
                    idle.decrementAndGet();
                }
            }
            if (!waiters.isEmpty() && !closed) {
                connect(waiters.pollFirst());
            }
        }

        private void closeIdleTooLong() {
            long limit = System.nanoTime() - limits.idleTimeout().toNanos();
            for (Iterator<Channel> it = idleChannels.iterator(); it.hasNext(); ) {
                Channel ch = it.next();
                if (ch.attr(IDLE_SINCE).get() < limit) {
                    it.remove();
                    idle.decrementAndGet();
                    ch.close();
                }
            }
        }

        void closeAll() {
            sweeper.cancel(false);
            idle.addAndGet(-idleChannels.size());
            idleChannels.forEach(Channel::close);
            idleChannels.clear();
            waiters.forEach(w -> w.tryFailure(new BusyException("the pool is closed")));
            waiters.clear();
        }
    }
}
