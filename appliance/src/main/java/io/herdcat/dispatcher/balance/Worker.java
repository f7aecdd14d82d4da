package io.herdcat.dispatcher.balance;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * A node as the balancer sees it: its current spec, whether it is usable (OK, or in ERROR until a
 * health probe succeeds), and the counters the balance methods and the status page use.
 */
public final class Worker {
    /** Health of a worker. */
    public enum State { OK, ERROR }

    private volatile WorkerSpec spec;
    private volatile State state = State.OK;
    private volatile long errorSinceMillis;
    private volatile String lastError;
    private volatile long lastErrorAtMillis;
    private final AtomicLong inFlight = new AtomicLong();
    private final LongAdder requests = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final LongAdder bytesIn = new LongAdder();
    private final LongAdder bytesOut = new LongAdder();
    /** Smooth weighted round-robin accumulator; guarded by the balancer. */
    long current;

    Worker(WorkerSpec spec) {
        this.spec = spec;
    }

    public WorkerSpec spec() {
        return spec;
    }

    void spec(WorkerSpec newSpec) {
        this.spec = newSpec;
    }

    public String route() {
        return spec.route();
    }

    public State state() {
        return state;
    }

    public long errorSinceMillis() {
        return errorSinceMillis;
    }

    /** What went wrong last, or null if nothing has. */
    public String lastError() {
        return lastError;
    }

    public long lastErrorAtMillis() {
        return lastErrorAtMillis;
    }

    /** The node failed (connect refused, CPing unanswered, died mid-request): no new requests until it recovers. */
    public void markError(long nowMillis, String why) {
        if (state != State.ERROR) {
            errorSinceMillis = nowMillis;
        }
        lastError = why;
        lastErrorAtMillis = nowMillis;
        state = State.ERROR;
        errors.increment();
    }

    /** A health probe succeeded: back in rotation. */
    public void markOk() {
        state = State.OK;
    }

    public void started() {
        inFlight.incrementAndGet();
        requests.increment();
    }

    /** @param in request body bytes sent to the node; @param out response body bytes it sent back */
    public void finished(long in, long out) {
        inFlight.decrementAndGet();
        bytesIn.add(in);
        bytesOut.add(out);
    }

    /** Zeroes requests, errors, bytes and the last error; requests in flight stay counted. */
    public void resetCounters() {
        requests.reset();
        errors.reset();
        bytesIn.reset();
        bytesOut.reset();
        lastError = null;
        lastErrorAtMillis = 0;
    }

    public long inFlight() {
        return inFlight.get();
    }

    public long requests() {
        return requests.sum();
    }

    public long errors() {
        return errors.sum();
    }

    public long bytesIn() {
        return bytesIn.sum();
    }

    public long bytesOut() {
        return bytesOut.sum();
    }

    /** Moved bytes in both directions: what the traffic balance method compares. */
    public long bytes() {
        return bytesIn.sum() + bytesOut.sum();
    }
}
