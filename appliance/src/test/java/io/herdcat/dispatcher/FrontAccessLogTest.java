package io.herdcat.dispatcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The front's access log lines: Apache's combined format, escaped as httpd escapes, appended. */
class FrontAccessLogTest {
    @TempDir
    Path dir;

    @Test
    void writesCombinedLinesEscapingQuotesControlsAndNonAscii() throws Exception {
        Path file = dir.resolve("access.log");
        Files.writeString(file, "earlier line\n");
        FrontAccessLog log = FrontAccessLog.open(file);
        HttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/shop/cart?id=\"7\"");
        request.headers().set(HttpHeaderNames.USER_AGENT, "agent\\x \"q\"\t\u00e9\u20ac");
        log.log(InetAddress.getByName("192.0.2.7"), request, false, 201, 1234);
        log.log(InetAddress.getByName("2001:db8::1"), new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/"),
                true, 503, 0);
        log.close();

        List<String> lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
        assertEquals(3, lines.size(), lines.toString());
        assertEquals("earlier line", lines.get(0), "appends, never truncates");
        String first = lines.get(1);
        assertTrue(first.matches("192\\.0\\.2\\.7 - - \\[\\d{2}/[A-Z][a-z]{2}/\\d{4}:\\d{2}:\\d{2}:\\d{2} [+-]\\d{4}] .*"),
                first);
        assertTrue(first.endsWith("] \"POST /shop/cart?id=\\\"7\\\" HTTP/1.1\" 201 1234 \"-\" "
                + "\"agent\\\\x \\\"q\\\"\\x09\\xe9\\xe2\\x82\\xac\""), first);
        assertTrue(lines.get(2).startsWith("2001:db8:0:0:0:0:0:1 - - ["), lines.get(2));
        assertTrue(lines.get(2).endsWith("] \"GET / HTTP/2.0\" 503 - \"-\" \"-\""), lines.get(2));
    }

    @Test
    void offWritesNothingAndAnUnopenableFileTurnsItOff() {
        assertFalse(FrontAccessLog.OFF.enabled());
        assertFalse(FrontAccessLog.open(null).enabled());
        assertFalse(FrontAccessLog.open(dir.resolve("no-such-folder").resolve("access.log")).enabled());
    }
}
