package io.herdcat.dispatcher;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * The deadline of a request body, as httpd's mod_reqtimeout sets it ({@code body=10,minrate=500}):
 * the body must start within {@code timeout}, and every {@code minRate} bytes received extend the
 * deadline by a second. While the front is not reading the body (its node is slower than the client)
 * the clock is given another {@code timeout}: that wait is not the client's. Runs on the client
 * connection's event loop; {@code expired} runs there once, unless cancelled first.
 */
final class BodyDeadline {
    private final EventExecutor loop;
    private final long timeoutNanos;
    private final int minRate;
    private final long startNanos;
    private final LongSupplier received;
    private final BooleanSupplier reading;
    private final Runnable expired;
    private ScheduledFuture<?> timer;

    /**
     * @param received bytes of the body received so far
     * @param reading  whether the front is reading the body now (false while it waits for the node)
     */
    BodyDeadline(EventExecutor loop, Duration timeout, int minRate, long startNanos, LongSupplier received,
                 BooleanSupplier reading, Runnable expired) {
        this.loop = loop;
        this.timeoutNanos = timeout.toNanos();
        this.minRate = minRate;
        this.startNanos = startNanos;
        this.received = received;
        this.reading = reading;
        this.expired = expired;
    }

    void start() {
        arm(timeoutNanos);
    }

    void cancel() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    private void arm(long nanos) {
        timer = loop.schedule(this::fired, Math.max(1, nanos), TimeUnit.NANOSECONDS);
    }

    private void fired() {
        timer = null;
        if (!reading.getAsBoolean()) {
            arm(timeoutNanos);
            return;
        }
        long deadline = startNanos + timeoutNanos + received.getAsLong() * 1_000_000_000L / minRate;
        long left = deadline - System.nanoTime();
        if (left > 0) {
            arm(left);
        } else {
            expired.run();
        }
    }
}
