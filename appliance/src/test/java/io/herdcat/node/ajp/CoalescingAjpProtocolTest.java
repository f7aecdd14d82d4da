package io.herdcat.node.ajp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.herdcat.testing.AjpTestClient;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.modeler.Registry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A real Tomcat with the node's AJP connector, read by a raw AJP client packet by packet. */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class CoalescingAjpProtocolTest {
    private static final String SECRET = "coalescing-test-secret";
    private static final int SEND_BODY_CHUNK = 3;
    private static final int SEND_HEADERS = 4;
    private static final int END_RESPONSE = 5;
    private static final int LARGE = 200_000;
    /** A response buffer of a full AJP body chunk (8 KiB less the packet's head) and 1,000 bytes more. */
    private static final int UNFLUSHED = 8192 - 8 + 1000;
    /** The servlet has written (and flushed, for /flushed) the start of its response. */
    private static final Semaphore WRITTEN = new Semaphore(0);
    /** The servlet may write the rest and end the response. */
    private static final Semaphore GO_ON = new Semaphore(0);
    private static Tomcat tomcat;
    private static int port;

    /** /small: "hello"; /unflushed and /flushed: a start, then "end" once the test says so; /large: LARGE bytes. */
    static final class Servlet extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            resp.setContentType("text/plain");
            switch (req.getRequestURI()) {
                case "/small" -> resp.getWriter().write("hello");
                case "/unflushed" -> {
                    // one byte more than the response buffer: the buffer goes to the connector as a full chunk
                    // and a short one, without a flush
                    resp.setBufferSize(UNFLUSHED);
                    resp.getOutputStream().write("x".repeat(UNFLUSHED + 1).getBytes(StandardCharsets.US_ASCII));
                    startWritten();
                    resp.getOutputStream().write("end".getBytes(StandardCharsets.US_ASCII));
                }
                case "/flushed" -> {
                    resp.getWriter().write("start");
                    resp.flushBuffer();
                    startWritten();
                    resp.getWriter().write("end");
                }
                case "/large" -> {
                    PrintWriter out = resp.getWriter();
                    for (int i = 0; i < LARGE; i++) {
                        out.write('a' + i % 26);
                    }
                }
                default -> resp.sendError(404);
            }
        }

        private static void startWritten() throws IOException {
            WRITTEN.release();
            try {
                if (!GO_ON.tryAcquire(60, TimeUnit.SECONDS)) {
                    throw new IOException("the test never let the response end");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
        }
    }

    @BeforeAll
    static void start() throws Exception {
        Registry.disableRegistry();
        Path base = Files.createTempDirectory("coalescing-ajp");
        tomcat = new Tomcat();
        tomcat.setBaseDir(base.toString());
        Connector ajp = new Connector(new CoalescingAjpProtocol());
        ajp.setPort(0);
        ajp.setProperty("address", "127.0.0.1");
        ajp.setProperty("secretRequired", "true");
        ajp.setProperty("secret", SECRET);
        tomcat.getService().addConnector(ajp);
        Context ctx = tomcat.addContext("", base.toString());
        Tomcat.addServlet(ctx, "test", new Servlet());
        ctx.addServletMappingDecoded("/*", "test");
        tomcat.start();
        port = ajp.getLocalPort();
    }

    @AfterAll
    static void stop() throws Exception {
        tomcat.stop();
        tomcat.destroy();
    }

    @Test
    void aSmallResponseArrivesInOnePiece() throws IOException {
        try (AjpTestClient ajp = new AjpTestClient(port)) {
            for (int i = 0; i < 3; i++) { // the same on a kept-alive connection
                ajp.sendGet("/small", null, SECRET);
                byte[] headers = ajp.readPacket();
                assertEquals(SEND_HEADERS, headers[0]);
                int rest = ajp.available();
                byte[] body = ajp.readPacket();
                byte[] end = ajp.readPacket();
                assertEquals(SEND_BODY_CHUNK, body[0]);
                assertEquals("hello", new String(body, 3, 5, StandardCharsets.US_ASCII));
                assertEquals(END_RESPONSE, end[0]);
                assertEquals(4 + body.length + 4 + end.length, rest,
                        "the body and the END came with the headers, so they were sent in one write");
            }
        }
    }

    @Test
    void unflushedOutputShorterThanAPacketWaitsForMoreOrTheEnd() throws Exception {
        WRITTEN.drainPermits();
        try (AjpTestClient ajp = new AjpTestClient(port)) {
            ajp.sendGet("/unflushed", null, SECRET);
            assertTrue(WRITTEN.tryAcquire(30, TimeUnit.SECONDS));
            assertEquals(SEND_HEADERS, ajp.readPacket()[0]);
            byte[] full = ajp.readPacket();
            assertEquals(SEND_BODY_CHUNK, full[0]);
            int fullLength = (full[1] & 0xff) << 8 | (full[2] & 0xff);
            assertEquals(0, ajp.available(), "the short chunk is held: less than a packet, and no flush or END yet");
            GO_ON.release();
            AjpTestClient.Response rest = ajp.readResponse();
            assertEquals("x".repeat(UNFLUSHED + 1 - fullLength) + "end", rest.body());
        }
    }

    @Test
    void aServletsFlushGoesOutAtOnce() throws Exception {
        WRITTEN.drainPermits();
        try (AjpTestClient ajp = new AjpTestClient(port)) {
            ajp.sendGet("/flushed", null, SECRET);
            assertEquals(SEND_HEADERS, ajp.readPacket()[0], "the headers arrive while the servlet still holds the rest");
            byte[] start = ajp.readPacket();
            assertEquals(SEND_BODY_CHUNK, start[0]);
            assertEquals("start", new String(start, 3, 5, StandardCharsets.US_ASCII));
            assertTrue(WRITTEN.tryAcquire(30, TimeUnit.SECONDS));
            GO_ON.release();
            AjpTestClient.Response rest = ajp.readResponse();
            assertEquals("end", rest.body());
        }
    }

    @Test
    void aResponseLargerThanAPacketArrivesWhole() throws IOException {
        StringBuilder expected = new StringBuilder(LARGE);
        for (int i = 0; i < LARGE; i++) {
            expected.append((char) ('a' + i % 26));
        }
        try (AjpTestClient ajp = new AjpTestClient(port)) {
            for (int i = 0; i < 2; i++) {
                AjpTestClient.Response r = ajp.get("/large", null, SECRET);
                assertEquals(200, r.status());
                assertEquals(expected.toString(), r.body());
            }
            assertTrue(ajp.cping(), "a CPong after the responses on the same connection");
        }
    }

    @Test
    void aCPingIsAnsweredAtOnce() throws IOException {
        try (AjpTestClient ajp = new AjpTestClient(port)) {
            assertTrue(ajp.cping());
            assertEquals(404, ajp.get("/missing", null, SECRET).status());
        }
    }
}
