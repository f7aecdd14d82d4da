package io.herdcat.upgrade;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Clients that keep state in their sessions, through the front, until stopped: each has its own session
 * and asks {@code /app/counter.jsp} (which counts the session's requests) and {@code /app/} by turns,
 * checking every answer — a counter that is not the one before plus one is a lost or reset session,
 * anything but 200 a failed request.
 */
final class SessionClients implements AutoCloseable {
    private final String base;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong answered = new AtomicLong();
    private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    private final List<Thread> threads = new ArrayList<>();
    private final List<AtomicLong> counters = new ArrayList<>();

    SessionClients(String base, int clients) {
        this.base = base;
        for (int i = 0; i < clients; i++) {
            AtomicLong counter = new AtomicLong();
            counters.add(counter);
            int id = i;
            Thread t = new Thread(() -> run(id, counter), "session-client-" + i);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
    }

    private void run(int id, AtomicLong counter) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        String session = null;
        long n = 0;
        boolean page = false;
        while (running.get()) {
            String path = page ? "/app/" : "/app/counter.jsp";
            try {
                HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
                if (session != null) {
                    b.header("Cookie", "JSESSIONID=" + session);
                }
                HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
                // like a browser, from every response: a node that takes a session over renames it
                String cookie = r.headers().firstValue("Set-Cookie").orElse(null);
                if (cookie != null && cookie.startsWith("JSESSIONID=")) {
                    session = cookie.substring("JSESSIONID=".length(), cookie.indexOf(';'));
                }
                if (r.statusCode() != 200) {
                    failures.add("client " + id + " " + path + ": " + r.statusCode() + " " + r.body().strip());
                } else if (!page) {
                    long got = Long.parseLong(r.body().replaceAll("(?s).*n=(\\d+).*", "$1"));
                    if (got != n + 1) {
                        failures.add("client " + id + ": counter " + got + " after " + n + " (" + r.body().strip() + ")");
                    }
                    n = got;
                    counter.set(n);
                }
                answered.incrementAndGet();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                failures.add("client " + id + " " + path + ": " + e);
            }
            page = !page;
        }
    }

    long answered() {
        return answered.get();
    }

    /** The smallest counter of all clients: every client has made at least this many counted requests. */
    long leastCounter() {
        return counters.stream().mapToLong(AtomicLong::get).min().orElse(0);
    }

    List<String> failures() {
        return List.copyOf(failures);
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        for (Thread t : threads) {
            t.join(35_000);
        }
    }
}
