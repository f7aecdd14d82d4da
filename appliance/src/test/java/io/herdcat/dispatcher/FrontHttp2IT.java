package io.herdcat.dispatcher;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.herdcat.testing.Cluster;
import io.herdcat.testing.DumpOutputOnFailure;
import io.herdcat.testing.FreePorts;
import io.herdcat.testing.Http;
import io.herdcat.testing.NodeProcess;
import io.herdcat.testing.TestCertificate;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTP/2 over TLS through the front of a real two-node cluster: the JDK's client and curl get h2
 * responses, one connection carries 100 concurrent streams, and a node killed with kill -9 in the
 * middle of its responses fails only its own streams while the same connection goes on serving.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
@ExtendWith(DumpOutputOnFailure.class)
class FrontHttp2IT {
    @TempDir
    Path dir;

    @Test
    void h2ClientsStreamsAndAKilledNodeFailingOnlyItsStreams() throws Exception {
        Cluster.prepare(dir);
        TestCertificate cert = TestCertificate.create(dir);
        int frontPort = FreePorts.offsetWhereFree(1, 0);
        List<String> args = new ArrayList<>(List.of(Cluster.frontArgs(dir, frontPort)));
        args.addAll(List.of("--front-tls-cert", cert.cert.toString(), "--front-tls-key", cert.key.toString()));
        try (NodeProcess a = Cluster.start("a", dir, args.toArray(String[]::new)).awaitReady();
             NodeProcess b = Cluster.start("b", dir, args.toArray(String[]::new)).awaitReady()) {
            Cluster.awaitReadyNodes(a, 2);
            String base = "https://127.0.0.1:" + frontPort + "/session-demo/";
            HttpClient h2 = HttpClient.newBuilder().sslContext(cert.clientContext()).version(HttpClient.Version.HTTP_2)
                    .connectTimeout(Duration.ofSeconds(5)).build();
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                    .until(() -> get(h2, base + "hello", null).statusCode() == 200);

            HttpResponse<String> hello = get(h2, base + "hello", null);
            assertEquals(HttpClient.Version.HTTP_2, hello.version(), "the JDK client got h2 by ALPN");
            assertEquals("2 200", curl(cert, base + "hello"), "curl --http2 too");

            List<CompletableFuture<HttpResponse<String>>> hundred = IntStream.range(0, 100)
                    .mapToObj(i -> h2.sendAsync(request(base + "sleep?ms=200", null), HttpResponse.BodyHandlers.ofString()))
                    .toList();
            for (CompletableFuture<HttpResponse<String>> f : hundred) {
                HttpResponse<String> r = f.get(60, TimeUnit.SECONDS);
                assertEquals(200, r.statusCode());
                assertEquals(HttpClient.Version.HTTP_2, r.version());
            }
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertTrue(
                    Cluster.status(a).contains("\"http2\":{\"connections\":1,"), "one connection carried them all"));
            assertTrue(Http.get(a.adminUrl("/metrics")).body().contains("herdcat_front_h2_connections 1.0"));

            // streams whose responses have started on b (sticky by the session id's route) and on a
            List<CompletableFuture<HttpResponse<InputStream>>> onB = started(h2, base + "sleep?ms=30000&flush=1", "X.b");
            List<CompletableFuture<HttpResponse<InputStream>>> onA = started(h2, base + "sleep?ms=4000&flush=1", "X.a");
            for (CompletableFuture<HttpResponse<InputStream>> f : onB) {
                assertEquals(200, f.get(30, TimeUnit.SECONDS).statusCode(), "b's response has started");
            }
            for (CompletableFuture<HttpResponse<InputStream>> f : onA) {
                assertEquals(200, f.get(30, TimeUnit.SECONDS).statusCode());
            }
            ProcessHandle.of(b.pid()).orElseThrow().destroyForcibly();
            for (CompletableFuture<HttpResponse<InputStream>> f : onA) {
                assertEquals("Sleeping 4000 ms on a\nSlept 4000 ms on a\n", body(f.get()), "a's streams are whole");
            }
            for (CompletableFuture<HttpResponse<InputStream>> f : onB) {
                String got = body(f.get());
                assertTrue(!got.contains("Slept"), "b's streams fail, never a second answer: " + got);
            }
            HttpResponse<String> after = get(h2, base + "hello", null);
            assertEquals(200, after.statusCode(), "the same connection goes on serving");
            assertTrue(Cluster.status(a).contains("\"http2\":{\"connections\":1,"), Cluster.status(a));
        }
    }

    private static HttpRequest request(String url, String session) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60));
        if (session != null) {
            b.header("Cookie", "JSESSIONID=" + session);
        }
        return b.build();
    }

    private static HttpResponse<String> get(HttpClient client, String url, String session)
            throws IOException, InterruptedException {
        return client.send(request(url, session), HttpResponse.BodyHandlers.ofString());
    }

    /** Ten requests whose futures complete when their response headers arrive. */
    private static List<CompletableFuture<HttpResponse<InputStream>>> started(HttpClient client, String url, String session) {
        return IntStream.range(0, 10)
                .mapToObj(i -> client.sendAsync(request(url, session), HttpResponse.BodyHandlers.ofInputStream()))
                .toList();
    }

    /** The whole body, or what came of it before the stream failed. */
    private static String body(HttpResponse<InputStream> r) {
        java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
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
    private static String curl(TestCertificate cert, String url) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("curl", "--http2", "--cacert", cert.cert.toString(), "-sS", "-o", "/dev/null",
                "-w", "%{http_version} %{http_code}", url).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "curl finished");
        return out.trim();
    }
}
