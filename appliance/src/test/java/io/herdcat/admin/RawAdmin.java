package io.herdcat.admin;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** One request to the admin port over a plain socket, exactly as written, and the response as it came. */
final class RawAdmin {
    /** A response: status, headers (lower-case names) and body. */
    record Response(int status, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private RawAdmin() {
    }

    /** Sends {@code head} (request line and headers, without the blank line) and reads the reply to its end. */
    static Response request(int port, String head) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(30_000);
            s.getOutputStream().write((head + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            return parse(new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1));
        }
    }

    /** {@code GET path} with this Host header (none when null). */
    static Response get(int port, String path, String host) throws IOException {
        return request(port, "GET " + path + " HTTP/1.1" + (host == null ? "" : "\r\nHost: " + host));
    }

    static Response parse(String raw) {
        int end = raw.indexOf("\r\n\r\n");
        if (end < 0) {
            throw new AssertionError("no complete response head in: " + raw);
        }
        String[] lines = raw.substring(0, end).split("\r\n");
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
        }
        return new Response(Integer.parseInt(lines[0].split(" ")[1]), headers, raw.substring(end + 4));
    }

    /**
     * True while the server keeps {@code socket} open and silent: a read neither ends, fails nor gets
     * anything within a moment.
     */
    static boolean stillOpen(Socket socket) {
        try {
            socket.setSoTimeout(1);
            InputStream in = socket.getInputStream();
            in.read(new byte[1]);
            return false;
        } catch (SocketTimeoutException e) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Reads what is left on {@code socket} until the server closes it. */
    static String readToEnd(Socket socket) throws IOException {
        socket.setSoTimeout(120_000);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            socket.getInputStream().transferTo(out);
        } catch (IOException e) {
            // a reset ends it too
        }
        return out.toString(StandardCharsets.ISO_8859_1);
    }
}
