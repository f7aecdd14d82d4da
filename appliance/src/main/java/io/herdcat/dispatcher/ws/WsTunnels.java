package io.herdcat.dispatcher.ws;

import io.netty.util.concurrent.EventExecutorGroup;
import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WebSockets open through one front, by node: it caps how many may be open ({@code front.ws.max};
 * a handshake reserves a place before it goes to a node), counts the refused ones and why each one
 * closed, and closes a node's WebSockets when the cluster says so. It is the one place that decides
 * the close codes the front sends:
 * <ul>
 * <li>a node that left the view: 1012 (its connections are dropped; see {@link WsRelay} for a node
 *     connection that breaks by itself);</li>
 * <li>a node stopped (activation, or stopping): 1001 after the stop grace, unless it is active again;</li>
 * <li>the front drains (hands over): 1001 at once.</li>
 * </ul>
 * A disabled node keeps its WebSockets. Used from every event loop.
 */
public final class WsTunnels {
    private static final Logger LOG = LoggerFactory.getLogger(WsTunnels.class);

    /** Why a WebSocket through the front ended, as counted on /status and /metrics. */
    public enum Reason {
        /** The client sent Close first, or its connection ended. */
        CLIENT,
        /** The node sent Close first (the webapp closed it, or the node stopped). */
        NODE,
        /** The node's connection broke, or the node left the cluster: the client got 1012. */
        NODE_LOST,
        /** No frame either way for {@code front.ws.idle.timeout}: 1001 both ways. */
        IDLE,
        /** The node was stopped and its stop grace ran out: 1001. */
        STOPPED,
        /** The front handed over (drained): 1001. */
        FRONT;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final int max;
    private final EventExecutorGroup timers;
    private final AtomicInteger held = new AtomicInteger();
    private final LongAdder refused = new LongAdder();
    private final Map<Reason, LongAdder> closes = new EnumMap<>(Reason.class);
    private final ConcurrentHashMap<String, Set<WsRelay>> byRoute = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, ScheduledFuture<?>> stops = new ConcurrentHashMap<>();

    /**
     * @param max    most WebSockets open at once, 0 for no limit
     * @param timers runs the delayed closes of stopped nodes
     */
    public WsTunnels(int max, EventExecutorGroup timers) {
        this.max = max;
        this.timers = timers;
        for (Reason r : Reason.values()) {
            closes.put(r, new LongAdder());
        }
    }

    /** Takes a place for a handshake; false (counted as refused) when {@code max} are open or being opened. */
    public boolean tryReserve() {
        while (true) {
            int now = held.get();
            if (max > 0 && now >= max) {
                refused.increment();
                return false;
            }
            if (held.compareAndSet(now, now + 1)) {
                return true;
            }
        }
    }

    /** Gives back a place whose handshake did not open a WebSocket. */
    public void unreserve() {
        held.decrementAndGet();
    }

    /** A reserved place is now an open WebSocket on {@code relay.route()}; it is given back when it closes. */
    void opened(WsRelay relay) {
        byRoute.computeIfAbsent(relay.route(), r -> ConcurrentHashMap.newKeySet()).add(relay);
    }

    void closed(WsRelay relay, Reason reason) {
        byRoute.computeIfPresent(relay.route(), (r, set) -> {
            set.remove(relay);
            return set.isEmpty() ? null : set;
        });
        held.decrementAndGet();
        closes.get(reason).increment();
    }

    /** The node left the cluster: its WebSockets' node connections are dropped and their clients get 1012. */
    public void nodeGone(String route) {
        cancelScheduled(route);
        Set<WsRelay> relays = byRoute.get(route);
        if (relays != null && !relays.isEmpty()) {
            LOG.info("Node {} is gone: closing its {} WebSocket(s) with 1012", route, relays.size());
            relays.forEach(WsRelay::nodeLost);
        }
    }

    /** The node was stopped: its WebSockets get 1001 after {@code grace}, unless {@link #cancelScheduled} comes first. */
    public void scheduleClose(String route, Duration grace) {
        stops.computeIfAbsent(route, r -> timers.schedule(() -> {
            stops.remove(r);
            Set<WsRelay> relays = byRoute.get(r);
            if (relays != null && !relays.isEmpty()) {
                LOG.info("Node {} is stopped: closing its {} WebSocket(s) with 1001", r, relays.size());
                relays.forEach(relay -> relay.closeFromFront(WsCloseFrame.GOING_AWAY, "node stopped", Reason.STOPPED));
            }
        }, grace.toMillis(), TimeUnit.MILLISECONDS));
    }

    /** The node is active (or disabled) again: its WebSockets stay. */
    public void cancelScheduled(String route) {
        ScheduledFuture<?> pending = stops.remove(route);
        if (pending != null) {
            pending.cancel(false);
        }
    }

    /** The front drains: every WebSocket gets 1001 now. */
    public void closeAll() {
        stops.values().forEach(f -> f.cancel(false));
        stops.clear();
        byRoute.values().forEach(set -> set.forEach(
                relay -> relay.closeFromFront(WsCloseFrame.GOING_AWAY, "front is moving", Reason.FRONT)));
    }

    /** WebSockets open (or being opened) now. */
    public int open() {
        return held.get();
    }

    /** WebSockets open to {@code route} now. */
    public int open(String route) {
        Set<WsRelay> relays = byRoute.get(route);
        return relays == null ? 0 : relays.size();
    }

    public int max() {
        return max;
    }

    /** Handshakes answered 503 because {@code max} were open, since the front started. */
    public long refused() {
        return refused.sum();
    }

    /** WebSockets closed since the front started, by {@link Reason#label()}, every reason present. */
    public Map<String, Long> closes() {
        Map<String, Long> out = new LinkedHashMap<>();
        closes.forEach((r, n) -> out.put(r.label(), n.sum()));
        return out;
    }
}
