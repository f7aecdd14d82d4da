package io.herdcat.node;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Set;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A node trusts X-Forwarded-* on its HTTP connector only from a cluster member that shows the front's token. */
class FrontForwardedValveTest {
    private static final String SECRET = "front-token-0123456789";
    private static final HttpClient CLIENT = HttpClient.newHttpClient();
    private static Tomcat tomcat;
    private static FrontForwardedValve valve;
    private static int port;

    @TempDir
    static Path dir;

    /** Answers "remoteAddr secure scheme serverPort token-header". */
    public static final class Echo extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            resp.getWriter().print(req.getRemoteAddr() + " " + req.isSecure() + " " + req.getScheme() + " "
                    + req.getServerPort() + " " + req.getHeader(FrontForwardedValve.TOKEN_HEADER));
        }
    }

    @BeforeAll
    static void start() throws Exception {
        tomcat = new Tomcat();
        tomcat.setBaseDir(dir.toString());
        Connector http = new Connector("HTTP/1.1");
        http.setPort(0);
        http.setProperty("address", "127.0.0.1");
        tomcat.getService().addConnector(http);
        valve = new FrontForwardedValve(SECRET, http);
        tomcat.getEngine().getPipeline().addValve(valve);
        Context ctx = tomcat.addContext("", dir.toString());
        Tomcat.addServlet(ctx, "echo", new Echo());
        ctx.addServletMappingDecoded("/echo", "echo");
        tomcat.start();
        port = http.getLocalPort();
    }

    @AfterAll
    static void stop() throws Exception {
        tomcat.stop();
        tomcat.destroy();
    }

    @BeforeEach
    void trustLoopback() throws Exception {
        valve.setTrusted(Set.of(InetAddress.getByName("127.0.0.1")));
    }

    private static String get(String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/echo"));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    @Test
    void aMemberWithTheTokenPassesOnTheClientTheFrontSaw() throws Exception {
        // the port stays the one the Host header names (the client's, which the front passes on)
        assertEquals("10.9.9.9 true https " + port + " null", get(FrontForwardedValve.TOKEN_HEADER, SECRET,
                "X-Forwarded-For", "1.2.3.4, 10.9.9.9", "X-Forwarded-Proto", "https"));
        assertEquals("10.9.9.8 false http " + port + " null", get(FrontForwardedValve.TOKEN_HEADER, SECRET,
                "X-Forwarded-For", "10.9.9.8", "X-Forwarded-Proto", "http"));
    }

    @Test
    void withoutTheTokenTheHeadersChangeNothing() throws Exception {
        assertEquals("127.0.0.1 false http " + port + " null",
                get("X-Forwarded-For", "10.9.9.9", "X-Forwarded-Proto", "https"));
    }

    @Test
    void aWrongTokenChangesNothingAndIsNotPassedOn() throws Exception {
        assertEquals("127.0.0.1 false http " + port + " null", get(FrontForwardedValve.TOKEN_HEADER, "guess",
                "X-Forwarded-For", "10.9.9.9", "X-Forwarded-Proto", "https"));
    }

    @Test
    void theTokenFromAnAddressThatIsNoMemberChangesNothing() throws Exception {
        valve.setTrusted(Set.of(InetAddress.getByName("198.51.100.7")));
        assertEquals("127.0.0.1 false http " + port + " null", get(FrontForwardedValve.TOKEN_HEADER, SECRET,
                "X-Forwarded-For", "10.9.9.9", "X-Forwarded-Proto", "https"));
    }
}
