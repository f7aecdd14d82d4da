package io.herdcat.node;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletException;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;

/** Counts every request the Engine serves (HTTP and AJP alike): total, in flight, 5xx, bytes sent. */
final class RequestStatsValve extends ValveBase {
    private final LongAdder requests = new LongAdder();
    private final LongAdder serverErrors = new LongAdder();
    private final LongAdder bytesSent = new LongAdder();
    private final AtomicLong inFlight = new AtomicLong();
    private volatile RequestListener listener = (status, nanos) -> { };

    RequestStatsValve() {
        super(true);
    }

    @Override
    public void invoke(Request request, Response response) throws IOException, ServletException {
        long start = System.nanoTime();
        inFlight.incrementAndGet();
        boolean held = false;
        try {
            getNext().invoke(request, response);
            AsyncContext async = request.getAsyncContextInternal();
            if (request.isAsync() && async != null) {
                // released later (an asynchronous servlet, or a response held for its replication's
                // acknowledgement): counted when it completes
                async.addListener(new Completion(response, start));
                held = true;
            }
        } finally {
            if (!held) {
                served(response, start);
            }
        }
    }

    private void served(Response response, long start) {
        inFlight.decrementAndGet();
        requests.increment();
        if (response.getStatus() >= 500) {
            serverErrors.increment();
        }
        bytesSent.add(response.getContentWritten());
        listener.served(response.getStatus(), System.nanoTime() - start);
    }

    /** Counts a request whose response was released after its thread left the valve. */
    private final class Completion implements AsyncListener {
        private final Response response;
        private final long start;

        Completion(Response response, long start) {
            this.response = response;
            this.start = start;
        }

        @Override
        public void onComplete(AsyncEvent event) {
            served(response, start);
        }

        @Override
        public void onTimeout(AsyncEvent event) {
            // onComplete follows
        }

        @Override
        public void onError(AsyncEvent event) {
            // onComplete follows
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
            // a new cycle of the same request: this listener is dropped, so follow it
            event.getAsyncContext().addListener(this);
        }
    }

    void listener(RequestListener l) {
        this.listener = l;
    }

    long inFlight() {
        return inFlight.get();
    }

    RequestCounts snapshot() {
        return new RequestCounts(requests.sum(), inFlight.get(), serverErrors.sum(), bytesSent.sum());
    }
}
