package io.herdcat.dispatcher;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The front's access log ({@code front.access.log}): one line per request in Apache's combined format,
 * {@code %h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-agent}i"}, the answers the front gives itself
 * (400, 408, 413, 502, 503, 504…) included, so tools made for httpd's logs read it. Each line is one
 * {@code write} to a file opened with {@code O_APPEND}: lines from several event loops never mix, and
 * logrotate's {@code copytruncate} works. The line is the only allocation per request; the time stamp
 * is formatted once a second. Writing runs on the event loop, as httpd's own logging does; a failed
 * write is logged once and the front goes on.
 */
public final class FrontAccessLog {
    /** No log: {@link #enabled()} is false and the front builds no line. */
    static final FrontAccessLog OFF = new FrontAccessLog(null, null);
    private static final Logger LOG = LoggerFactory.getLogger(FrontAccessLog.class);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT)
            .withZone(ZoneId.systemDefault());
    private final FileChannel file;
    private final Path path;
    private volatile Stamp stamp = new Stamp(-1, "");
    private volatile boolean failed;

    private record Stamp(long second, String text) {
    }

    private FrontAccessLog(FileChannel file, Path path) {
        this.file = file;
        this.path = path;
    }

    /** Opens (creates, appends to) the file; OFF when {@code path} is null or it cannot be opened (logged). */
    public static FrontAccessLog open(Path path) {
        if (path == null) {
            return OFF;
        }
        try {
            return new FrontAccessLog(FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND), path);
        } catch (IOException | RuntimeException e) {
            LOG.error("front.access.log: cannot open {}: {}; the front runs without its access log", path,
                    e.toString());
            return OFF;
        }
    }

    boolean enabled() {
        return file != null && !failed;
    }

    /**
     * Logs one answered request.
     *
     * @param request its head (the request line, Referer and User-Agent are read from it)
     * @param http2   whether it came as an HTTP/2 stream
     * @param bytes   response body bytes sent (0 is written "-")
     */
    void log(InetAddress client, HttpRequest request, boolean http2, int status, long bytes) {
        if (!enabled()) {
            return;
        }
        StringBuilder line = new StringBuilder(160);
        line.append(client == null ? "-" : client.getHostAddress()).append(" - - [").append(now()).append("] \"");
        escape(line, request.method().name()).append(' ');
        escape(line, request.uri()).append(' ').append(http2 ? "HTTP/2.0" : request.protocolVersion().text());
        line.append("\" ").append(status).append(' ');
        if (bytes > 0) {
            line.append(bytes);
        } else {
            line.append('-');
        }
        line.append(" \"");
        quoted(line, request.headers().get(HttpHeaderNames.REFERER)).append("\" \"");
        quoted(line, request.headers().get(HttpHeaderNames.USER_AGENT)).append("\"\n");
        write(line);
    }

    /** Every character of the line is ASCII (the rest was escaped): each is one byte, copied straight. */
    private void write(CharSequence line) {
        byte[] bytes = new byte[line.length()];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) line.charAt(i);
        }
        try {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                file.write(buffer);
            }
        } catch (IOException e) {
            failed = true;
            LOG.error("front.access.log: cannot write to {}: {}; the access log stops", path, e.toString());
        }
    }

    private String now() {
        long second = System.currentTimeMillis() / 1000;
        Stamp s = stamp;
        if (s.second() != second) {
            s = new Stamp(second, TIME.format(Instant.ofEpochSecond(second)));
            stamp = s;
        }
        return s.text();
    }

    private static StringBuilder quoted(StringBuilder line, String value) {
        return value == null ? line.append('-') : escape(line, value);
    }

    /** As httpd does: quotes and backslashes escaped, control and non-ASCII characters as \xhh. */
    private static StringBuilder escape(StringBuilder line, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\') {
                line.append('\\').append(c);
            } else if (c < 0x20 || c >= 0x7f && c <= 0xff) {
                hex(line, c);
            } else if (c > 0xff) {
                // headers arrive as bytes (ISO-8859-1); a wider character is written as its UTF-8 bytes
                for (byte b : String.valueOf(c).getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
                    hex(line, b & 0xff);
                }
            } else {
                line.append(c);
            }
        }
        return line;
    }

    private static void hex(StringBuilder line, int b) {
        line.append("\\x").append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
    }

    /** Closes the file. */
    public void close() {
        if (file != null) {
            try {
                file.close();
            } catch (IOException e) {
                LOG.debug("front.access.log: closing {}: {}", path, e.toString());
            }
        }
    }
}
