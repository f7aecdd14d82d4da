package io.herdcat.dispatcher;

import io.netty.util.concurrent.EventExecutor;
import java.net.InetAddress;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What each client address holds on the front: its open connections (capped at
 * {@code maxConnections}; more are refused) and its requests at the nodes (capped at
 * {@code maxRequests}; more wait here, in arrival order, holding nothing of the nodes). Many slow
 * clients from one address can then take at most {@code maxRequests} node threads, whatever they do.
 * An address's entry exists only while it holds something. Used from every event loop.
 */
final class ClientAddresses {
    private static final Logger LOG = LoggerFactory.getLogger(ClientAddresses.class);
    private static final long LOG_EVERY_NANOS = 10_000_000_000L;

    /** A request waiting for a slot: {@code granted} runs on {@code loop} once it has one. */
    private record Waiter(EventExecutor loop, Runnable granted) {
    }

    private static final class Entry {
        int connections;
        int requests;
        final Deque<Waiter> waiting = new ArrayDeque<>();

        boolean unused() {
            return connections == 0 && requests == 0 && waiting.isEmpty();
        }
    }

    private final int maxConnections;
    private final int maxRequests;
    private final ConcurrentHashMap<InetAddress, Entry> entries = new ConcurrentHashMap<>();
    private final LongAdder refusedConnections = new LongAdder();
    private final LongAdder delayedRequests = new LongAdder();
    private final AtomicLong lastLog = new AtomicLong(System.nanoTime() - LOG_EVERY_NANOS);

    /** @param maxConnections 0 for no limit; @param maxRequests 0 for no limit */
    ClientAddresses(int maxConnections, int maxRequests) {
        this.maxConnections = maxConnections;
        this.maxRequests = maxRequests;
    }

    /** Counts a new connection from {@code address}; false (not counted) when the address holds its maximum. */
    boolean connectionOpened(InetAddress address) {
        boolean[] ok = new boolean[1];
        entries.compute(address, (a, e) -> {
            Entry entry = e == null ? new Entry() : e;
            ok[0] = maxConnections == 0 || entry.connections < maxConnections;
            if (ok[0]) {
                entry.connections++;
            }
            return entry.unused() ? null : entry;
        });
        if (!ok[0]) {
            refusedConnections.increment();
            logRateLimited("Client {} holds {} connections (front.client.max.connections): refusing more ({} refused so far)",
                    address.getHostAddress(), maxConnections, refusedConnections.sum());
        }
        return ok[0];
    }

    void connectionClosed(InetAddress address) {
        entries.computeIfPresent(address, (a, e) -> {
            e.connections--;
            return e.unused() ? null : e;
        });
    }

    /**
     * Runs {@code granted} on {@code loop} once the address has a free request slot: at once (on the
     * caller's thread) when it has one now. The slot is the caller's until {@link #requestDone}.
     */
    void whenRequestSlotFree(InetAddress address, EventExecutor loop, Runnable granted) {
        if (maxRequests == 0) {
            granted.run();
            return;
        }
        boolean[] now = new boolean[1];
        entries.compute(address, (a, e) -> {
            Entry entry = e == null ? new Entry() : e;
            if (entry.requests < maxRequests) {
                entry.requests++;
                now[0] = true;
            } else {
                entry.waiting.addLast(new Waiter(loop, granted));
            }
            return entry;
        });
        if (now[0]) {
            granted.run();
        } else {
            delayedRequests.increment();
            logRateLimited("Client {} has {} requests at the nodes (front.client.max.requests): the next ones wait "
                    + "({} waited so far)", address.getHostAddress(), maxRequests, delayedRequests.sum());
        }
    }

    /** The request that held a slot is done with the nodes: the slot goes to the next waiting request, if any. */
    void requestDone(InetAddress address) {
        if (maxRequests == 0) {
            return;
        }
        Waiter[] next = new Waiter[1];
        entries.computeIfPresent(address, (a, e) -> {
            next[0] = e.waiting.pollFirst();
            if (next[0] == null) {
                e.requests--;
            }
            return e.unused() ? null : e;
        });
        if (next[0] != null) {
            next[0].loop().execute(next[0].granted());
        }
    }

    /** Connections refused because their address held its maximum, since the front started. */
    long refusedConnections() {
        return refusedConnections.sum();
    }

    /** Requests that had to wait for a slot of their address, since the front started. */
    long delayedRequests() {
        return delayedRequests.sum();
    }

    /** Addresses that hold anything now. */
    int addresses() {
        return entries.size();
    }

    private void logRateLimited(String format, Object... args) {
        long last = lastLog.get();
        long now = System.nanoTime();
        if (now - last >= LOG_EVERY_NANOS && lastLog.compareAndSet(last, now)) {
            LOG.warn(format, args);
        }
    }
}
