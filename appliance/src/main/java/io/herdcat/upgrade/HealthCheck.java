package io.herdcat.upgrade;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.IntSupplier;

/**
 * A freshly deployed webapp's health, asked of this node's own HTTP connector (never through the
 * front, so the answer is this node's): a 2xx or 3xx passes. No answer, 404 or 503 (a webapp still
 * starting, or not mapped yet) is asked again until {@code within} has passed; any other answer fails
 * at once. Redirects are not followed.
 */
final class HealthCheck {
    private static final Duration RETRY = Duration.ofMillis(250);

    private final String host;
    private final IntSupplier port;
    private final Duration within;
    /** Made at the first check, not at start: building an HTTP client sets up the JDK's TLS (about 0.3 s). */
    private HttpClient client;

    HealthCheck(String host, IntSupplier port, Duration within) {
        this.host = host;
        this.port = port;
        this.within = within;
    }

    private synchronized HttpClient client() {
        if (client == null) {
            client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
                    .followRedirects(HttpClient.Redirect.NEVER).build();
        }
        return client;
    }

    /** The path checked: the context path, then {@code healthPath} below it. */
    static String path(String contextPath, String healthPath) {
        String base = contextPath.endsWith("/") ? contextPath : contextPath + "/";
        String rest = healthPath == null ? "" : healthPath.startsWith("/") ? healthPath.substring(1) : healthPath;
        return base + rest;
    }

    /** Null when healthy, else one line saying what answered. */
    String check(String contextPath, String healthPath) throws InterruptedException {
        String path = path(contextPath, healthPath);
        URI uri = URI.create("http://" + host + ":" + port.getAsInt() + path);
        long deadline = System.nanoTime() + within.toNanos();
        String last;
        do {
            try {
                HttpResponse<Void> r = client().send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).GET()
                        .build(), HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() >= 200 && r.statusCode() < 400) {
                    return null;
                }
                last = "health check " + path + " answered " + r.statusCode();
                if (r.statusCode() != 404 && r.statusCode() != 503) {
                    return last;
                }
            } catch (IOException e) {
                last = "health check " + path + " got no answer (" + e.getMessage() + ")";
            }
            Thread.sleep(RETRY.toMillis());
        } while (System.nanoTime() < deadline);
        return last;
    }
}
