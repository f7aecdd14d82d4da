package io.herdcat.dispatcher;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.herdcat.testing.Http;
import io.herdcat.testing.TestCertificate;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

/**
 * Clients of a front that serves TLS with a test certificate, trusting that certificate only:
 * HTTP/1.1, WebSockets (wss), HTTP/2 by ALPN, and curl.
 */
final class TlsFrontClients {
    /**
     * HTTP/1.1 only, so that neither its requests nor its WebSockets go over h2; without a connect
     * timeout, which would count the TLS handshake too: requests and WebSocket handshakes have their own.
     */
    final HttpClient http1;
    final HttpClient h2;
    private final TestCertificate cert;

    TlsFrontClients(TestCertificate cert) throws Exception {
        this.cert = cert;
        http1 = HttpClient.newBuilder().sslContext(cert.clientContext()).version(HttpClient.Version.HTTP_1_1).build();
        h2 = HttpClient.newBuilder().sslContext(cert.clientContext()).version(HttpClient.Version.HTTP_2)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** An HTTP/1.1 GET with an optional {@code JSESSIONID}. */
    Http.Response get(String url, String session) throws IOException, InterruptedException {
        return Http.get(http1, url, session);
    }

    /** The status of an HTTP/1.1 GET, or -1 when nothing answers. */
    int status(String url) {
        return Http.status(http1, url);
    }

    static HttpRequest request(String url, String session) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60));
        if (session != null) {
            b.header("Cookie", "JSESSIONID=" + session);
        }
        return b.build();
    }

    /** A GET over h2 with an optional {@code JSESSIONID}. */
    HttpResponse<String> h2Get(String url, String session) throws IOException, InterruptedException {
        return h2.send(request(url, session), HttpResponse.BodyHandlers.ofString());
    }

    /** Ten h2 requests whose futures complete when their response headers arrive. */
    List<CompletableFuture<HttpResponse<InputStream>>> started(String url, String session) {
        return IntStream.range(0, 10)
                .mapToObj(i -> h2.sendAsync(request(url, session), HttpResponse.BodyHandlers.ofInputStream()))
                .toList();
    }

    /** The whole body, or what came of it before the stream failed. */
    static String body(HttpResponse<InputStream> r) {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        try (InputStream in = r.body()) {
            byte[] buf = new byte[256];
            for (int n; (n = in.read(buf)) > 0; ) {
                got.write(buf, 0, n);
            }
        } catch (IOException e) {
            return got.toString(StandardCharsets.UTF_8) + " [" + e + "]";
        }
        return got.toString(StandardCharsets.UTF_8);
    }

    /** curl's "HTTP-VERSION STATUS" for a GET with HTTP/2 over TLS. */
    String curl(String url) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("curl", "--http2", "--cacert", cert.cert.toString(), "-sS", "-o", "/dev/null",
                "-w", "%{http_version} %{http_code}", url).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "curl finished");
        return out.trim();
    }
}
