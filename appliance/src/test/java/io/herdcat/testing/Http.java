package io.herdcat.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/** Plain HTTP GETs for tests. */
public final class Http {
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private Http() {
    }

    public record Response(int status, String body, Optional<String> sessionCookie) {
    }

    public static Response get(String url) throws IOException, InterruptedException {
        return get(url, null);
    }

    /** GET with an optional {@code JSESSIONID} cookie value. */
    public static Response get(String url, String sessionId) throws IOException, InterruptedException {
        return get(CLIENT, url, sessionId);
    }

    /** {@link #get(String, String)} with another client (one that trusts a test certificate, say). */
    public static Response get(HttpClient client, String url, String sessionId)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
        if (sessionId != null) {
            b.header("Cookie", "JSESSIONID=" + sessionId);
        }
        HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
        Optional<String> cookie = r.headers().allValues("Set-Cookie").stream()
                .filter(c -> c.startsWith("JSESSIONID="))
                .map(c -> c.substring("JSESSIONID=".length(), c.indexOf(';') > 0 ? c.indexOf(';') : c.length()))
                .findFirst();
        return new Response(r.statusCode(), r.body(), cookie);
    }

    /** True when a new TCP connection to the port on 127.0.0.1 is accepted. */
    public static boolean canConnect(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The status, or -1 when nothing answers. */
    public static int status(String url) {
        return status(CLIENT, url);
    }

    /** {@link #status(String)} with another client. */
    public static int status(HttpClient client, String url) {
        try {
            return get(client, url, null).status();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
