package io.herdcat.admin;

import io.netty.channel.Channel;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every open admin connection and whether it is waiting (for a request head, a body, or the next
 * request) or being answered. At most {@code max} are open: a new connection beyond that closes the one
 * that has waited longest, so clients that open connections and send nothing can never lock out a
 * probe; they only push each other out. Used only on the admin port's single event loop.
 */
final class AdminConnections {
    private static final Logger LOG = LoggerFactory.getLogger(AdminConnections.class);
    private static final long LOG_EVERY_NANOS = Duration.ofSeconds(10).toNanos();

    private final int max;
    private final Set<Channel> waiting = new LinkedHashSet<>();
    private final Set<Channel> busy = new LinkedHashSet<>();
    private final AtomicLong evicted = new AtomicLong();
    private long lastLogNanos = System.nanoTime() - LOG_EVERY_NANOS;
    private long evictedSinceLog;

    AdminConnections(int max) {
        this.max = max;
    }

    void opened(Channel ch) {
        if (waiting.size() + busy.size() >= max) {
            Iterator<Channel> oldest = waiting.iterator();
            if (oldest.hasNext()) {
                Channel victim = oldest.next();
                oldest.remove();
                victim.close();
                evicted(victim);
            } else {
                ch.close(); // every one is being answered: the newcomer waits its turn by retrying
                evicted(ch);
                return;
            }
        }
        waiting.add(ch);
    }

    /** A whole request arrived: it is being answered. */
    void answering(Channel ch) {
        if (waiting.remove(ch)) {
            busy.add(ch);
        }
    }

    /** The response is written: the connection waits for its next request, as the newest waiter. */
    void waitingAgain(Channel ch) {
        if (busy.remove(ch) && ch.isActive()) {
            waiting.add(ch);
        }
    }

    void closed(Channel ch) {
        waiting.remove(ch);
        busy.remove(ch);
    }

    /** Connections closed to make room for newer ones, since start. */
    long evicted() {
        return evicted.get();
    }

    private void evicted(Channel ch) {
        evicted.incrementAndGet();
        evictedSinceLog++;
        long now = System.nanoTime();
        if (now - lastLogNanos >= LOG_EVERY_NANOS) {
            LOG.warn("{} admin connections open, the most allowed: closed {} waiting ones to make room (last from {})",
                    max, evictedSinceLog, ch.remoteAddress());
            lastLogNanos = now;
            evictedSinceLog = 0;
        }
    }
}
