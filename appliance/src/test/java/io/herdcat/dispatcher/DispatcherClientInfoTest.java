package io.herdcat.dispatcher;

import io.herdcat.testing.TestCertificate;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** What the webapp sees of the client behind the front, over plain HTTP and over TLS. */
@Timeout(value = 1, unit = TimeUnit.MINUTES)
class DispatcherClientInfoTest {
    @TempDir
    Path dir;
    private TestBackend node;
    private Dispatcher dispatcher;

    @BeforeEach
    void startNode() throws Exception {
        node = new TestBackend("a").start(0);
    }

    private void startFront(Dispatcher.Options options) throws Exception {
        dispatcher = TestBackend.front(options, node.spec());
    }

    @AfterEach
    void stop() throws Exception {
        if (dispatcher != null) {
            dispatcher.close();
        }
        node.close();
    }

    @Test
    void overPlainHttpTheWebappSeesTheClientsAddressAndPortAndTheFrontsName() throws Exception {
        startFront(Dispatcher.Options.defaults());
        try (RawHttp c = new RawHttp(dispatcher.port())) {
            String seen = c.send("GET /client HTTP/1.1\r\nHost: shop.example.org:8443\r\n\r\n").read().text();
            assertEquals("remoteAddr=127.0.0.1 remotePort=" + c.socket.getLocalPort() + " scheme=http secure=false"
                    + " serverName=shop.example.org serverPort=8443 cipher=null keySize=null", seen,
                    "server name and port come from the Host header, as behind httpd");
        }
    }

    @Test
    void overTlsTheWebappSeesHttpsAndTheCipher() throws Exception {
        TestCertificate certificate = TestCertificate.create(dir);
        startFront(Dispatcher.Options.defaults().withTls(FrontTls.serverContext(certificate.cert, certificate.key)));
        HttpClient https = HttpClient.newBuilder().sslContext(certificate.clientContext())
                .version(HttpClient.Version.HTTP_1_1).build();
        HttpResponse<String> r = https.send(HttpRequest.newBuilder(
                URI.create("https://127.0.0.1:" + dispatcher.port() + "/client")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        assertTrue(r.body().contains(" scheme=https secure=true "), r.body());
        assertTrue(r.body().matches(".* cipher=TLS_\\w+ keySize=(128|256)$"), r.body());
    }
}
