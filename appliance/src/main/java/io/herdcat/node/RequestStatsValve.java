package io.herdcat.node;

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
        try {
            getNext().invoke(request, response);
        } finally {
            inFlight.decrementAndGet();
            requests.increment();
            if (response.getStatus() >= 500) {
                serverErrors.increment();
            }
            bytesSent.add(response.getContentWritten());
            listener.served(response.getStatus(), System.nanoTime() - start);
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
