package io.herdcat.dispatcher.ajp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBufAllocator;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.modeler.Registry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The AJP codec against Tomcat's own AJP connector, in this JVM on a free port. */
@Timeout(value = 1, unit = TimeUnit.MINUTES)
class AjpCodecTest {
    private static final String SECRET = "codec-test-secret";
    private static Tomcat tomcat;
    private static int port;

    /** Echoes what the webapp sees of the request; /download?size=N sends N bytes of a pattern. */
    static final class EchoServlet extends HttpServlet {
        @Override
        protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            if (req.getRequestURI().endsWith("/download")) {
                int size = Integer.parseInt(req.getParameter("size"));
                resp.setContentType("application/octet-stream");
                try (OutputStream out = resp.getOutputStream()) {
                    out.write(pattern(size));
                }
                return;
            }
            long count = 0;
            long sum = 0;
            try (InputStream in = req.getInputStream()) {
                for (int b = in.read(); b >= 0; b = in.read()) {
                    count++;
                    sum = (sum * 31 + b) % 1_000_000_007L;
                }
            }
            resp.setContentType("text/plain;charset=UTF-8");
            resp.setHeader("X-Echo", "yes");
            resp.addHeader("Set-Cookie", "a=1");
            resp.addHeader("Set-Cookie", "b=2");
            resp.getWriter().print(String.join("\n",
                    "method=" + req.getMethod(), "uri=" + req.getRequestURI(), "query=" + req.getQueryString(),
                    "param=" + req.getParameter("q"), "x-test=" + req.getHeader("X-Test"),
                    "host=" + req.getHeader("Host"), "remote=" + req.getRemoteAddr() + ":" + req.getRemotePort(),
                    "server=" + req.getServerName() + ":" + req.getServerPort(), "secure=" + req.isSecure(),
                    "cipher=" + req.getAttribute("jakarta.servlet.request.cipher_suite"),
                    "route=" + req.getAttribute("org.apache.catalina.jvmRoute"),
                    "body=" + count + "/" + sum));
        }
    }

    static byte[] pattern(int size) {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = (byte) (i * 7 + i / 251);
        }
        return b;
    }

    static long checksum(byte[] body) {
        long sum = 0;
        for (byte x : body) {
            sum = (sum * 31 + (x & 0xFF)) % 1_000_000_007L;
        }
        return sum;
    }

    @BeforeAll
    static void startTomcat() throws Exception {
        Registry.disableRegistry();
        Path base = Files.createTempDirectory("ajp-codec");
        tomcat = new Tomcat();
        tomcat.setBaseDir(base.toString());
        Connector ajp = new Connector("AJP/1.3");
        ajp.setPort(0);
        ajp.setProperty("address", "127.0.0.1");
        ajp.setProperty("secretRequired", "true");
        ajp.setProperty("secret", SECRET);
        ajp.setProperty("packetSize", Integer.toString(AjpEncoder.MAX_PACKET_SIZE));
        tomcat.getService().addConnector(ajp);
        Context ctx = tomcat.addContext("", base.toString());
        Tomcat.addServlet(ctx, "echo", new EchoServlet());
        ctx.addServletMappingDecoded("/*", "echo");
        tomcat.start();
        port = ajp.getLocalPort();
    }

    @AfterAll
    static void stopTomcat() throws Exception {
        tomcat.stop();
        tomcat.destroy();
    }

    private static AjpRequestHead head(String method, String uri, String query, List<Map.Entry<String, String>> headers,
                                       String secret, AjpRequestHead.Ssl ssl) {
        return new AjpRequestHead(method, "HTTP/1.1", uri, query, "198.51.100.9", "198.51.100.9", 54321,
                "front.example", ssl == null ? 80 : 443, ssl != null, headers, secret, null, Map.of(), ssl);
    }

    private static List<Map.Entry<String, String>> headers(String... nameValues) {
        List<Map.Entry<String, String>> h = new ArrayList<>();
        for (int i = 0; i < nameValues.length; i += 2) {
            h.add(new AbstractMap.SimpleImmutableEntry<>(nameValues[i], nameValues[i + 1]));
        }
        return h;
    }

    @Test
    void headersQueryAndClientAddressReachTheWebappAndTheResponseComesBack() throws Exception {
        try (AjpTestConnection c = new AjpTestConnection(port, AjpEncoder.DEFAULT_PACKET_SIZE)) {
            AjpTestConnection.Exchange r = c.exchange(head("GET", "/echo/%C3%A9t%C3%A9",
                    "q=a%20b%26c&x=%E2%82%AC&empty=", headers("Host", "front.example", "X-Test", "tab\tand ünï",
                            "Accept", "*/*"), SECRET, null), new byte[0], false);
            assertEquals(200, r.status());
            assertEquals("yes", r.header("X-Echo"));
            assertEquals(2, r.headers().stream().filter(h -> h.getKey().equals("Set-Cookie")).count());
            String text = r.text();
            assertTrue(text.contains("method=GET\n"), text);
            assertTrue(text.contains("uri=/echo/%C3%A9t%C3%A9\n"), text);
            assertTrue(text.contains("query=q=a%20b%26c&x=%E2%82%AC&empty=\n"), text);
            assertTrue(text.contains("param=a b&c\n"), text);
            assertTrue(text.contains("host=front.example\n"), text);
            assertTrue(text.contains("remote=198.51.100.9:54321\n"), text);
            assertTrue(text.contains("server=front.example:80\n"), text);
            assertTrue(text.contains("secure=false\n"), text);
            assertTrue(r.reuse(), "the connection can carry the next request");
        }
    }

    @Test
    void methodsWithoutACodeAndTlsDetailsAreForwarded() throws Exception {
        try (AjpTestConnection c = new AjpTestConnection(port, AjpEncoder.DEFAULT_PACKET_SIZE)) {
            AjpTestConnection.Exchange r = c.exchange(head("PATCH", "/echo", null, headers("Host", "h"), SECRET,
                    new AjpRequestHead.Ssl("TLS_AES_128_GCM_SHA256", 128, "abcd", null)), new byte[0], false);
            assertTrue(r.text().contains("method=PATCH\n"), r.text());
            assertTrue(r.text().contains("secure=true\n"), r.text());
            assertTrue(r.text().contains("server=h:443\n"), "server name from the Host header: " + r.text());
            assertTrue(r.text().contains("cipher=TLS_AES_128_GCM_SHA256\n"), r.text());
        }
    }

    @Test
    void oneMegabyteUploadWithContentLengthAndChunkedBothArriveWhole() throws Exception {
        byte[] body = pattern(1 << 20);
        String expected = "body=" + body.length + "/" + checksum(body);
        try (AjpTestConnection c = new AjpTestConnection(port, AjpEncoder.DEFAULT_PACKET_SIZE)) {
            AjpTestConnection.Exchange fixed = c.exchange(head("POST", "/echo", null,
                    headers("Host", "h", "Content-Length", Integer.toString(body.length),
                            "Content-Type", "application/octet-stream"), SECRET, null), body, false);
            assertTrue(fixed.text().endsWith(expected), fixed.text());
            AjpTestConnection.Exchange chunked = c.exchange(head("POST", "/echo", null,
                    headers("Host", "h", "Transfer-Encoding", "chunked", "Content-Type", "application/octet-stream"),
                    SECRET, null), body, true);
            assertTrue(chunked.text().endsWith(expected), chunked.text());
        }
    }

    @Test
    void oneMegabyteDownloadArrivesWholeInLargePacketsToo() throws Exception {
        for (int packetSize : new int[] {AjpEncoder.DEFAULT_PACKET_SIZE, AjpEncoder.MAX_PACKET_SIZE}) {
            try (AjpTestConnection c = new AjpTestConnection(port, packetSize)) {
                AjpTestConnection.Exchange r = c.exchange(head("GET", "/download", "size=1048576",
                        headers("Host", "h"), SECRET, null), new byte[0], false);
                assertEquals(200, r.status());
                assertArrayEquals(pattern(1 << 20), r.body());
            }
        }
    }

    @Test
    void secretIsRequired() throws Exception {
        try (AjpTestConnection c = new AjpTestConnection(port, AjpEncoder.DEFAULT_PACKET_SIZE)) {
            assertEquals(403, c.exchange(head("GET", "/echo", null, headers("Host", "h"), "wrong", null),
                    new byte[0], false).status());
        }
        try (AjpTestConnection c = new AjpTestConnection(port, AjpEncoder.DEFAULT_PACKET_SIZE)) {
            assertEquals(403, c.exchange(head("GET", "/echo", null, headers("Host", "h"), null, null),
                    new byte[0], false).status());
        }
    }

    @Test
    void cpingIsAnsweredAndTheConnectionIsReusedForManyRequests() throws Exception {
        try (AjpTestConnection c = new AjpTestConnection(port, AjpEncoder.DEFAULT_PACKET_SIZE)) {
            assertTrue(c.cping());
            for (int i = 0; i < 50; i++) {
                AjpTestConnection.Exchange r = c.exchange(head("GET", "/echo", "q=" + i, headers("Host", "h"),
                        SECRET, null), new byte[0], false);
                assertTrue(r.text().contains("param=" + i + "\n"), r.text());
                assertTrue(r.reuse());
            }
            assertTrue(c.cping());
        }
    }

    @Test
    void requestHeadLargerThanAPacketIsRefusedBeforeItIsSent() {
        String big = String.join("", Collections.nCopies(9000, "x"));
        assertThrows(AjpPacketTooLargeException.class, () -> AjpEncoder.forwardRequest(ByteBufAllocator.DEFAULT,
                head("GET", "/echo", null, headers("Host", "h", "X-Big", big), SECRET, null),
                AjpEncoder.DEFAULT_PACKET_SIZE));
    }
}
