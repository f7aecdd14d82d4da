package io.herdcat.dispatcher;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** HTTP/1.1 over a plain socket, byte by byte, for what a ready-made client hides: pipelining, 100-continue, pacing. */
final class RawHttp implements AutoCloseable {
    final Socket socket;
    final OutputStream out;
    final InputStream in;

    /** A response as it came: status line, headers (lower-case names) and the de-chunked body. */
    record Response(String statusLine, Map<String, String> headers, byte[] body) {
        int status() {
            return Integer.parseInt(statusLine.split(" ")[1]);
        }

        String text() {
            return new String(body, StandardCharsets.ISO_8859_1);
        }
    }

    RawHttp(int port) throws IOException {
        this(port, null);
    }

    /** @param from the local address to connect from (another loopback address such as 127.0.0.2), or null */
    RawHttp(int port, java.net.InetAddress from) throws IOException {
        socket = new Socket();
        if (from != null) {
            socket.bind(new java.net.InetSocketAddress(from, 0));
        }
        socket.connect(new java.net.InetSocketAddress("127.0.0.1", port));
        socket.setSoTimeout(20_000);
        out = socket.getOutputStream();
        in = new BufferedInputStream(socket.getInputStream());
    }

    RawHttp send(String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        return this;
    }

    /** Reads one response head, then its body unless {@code headOnly} (a 100 Continue has none). */
    Response read() throws IOException {
        String status = line();
        Map<String, String> headers = new LinkedHashMap<>();
        for (String h = line(); !h.isEmpty(); h = line()) {
            int colon = h.indexOf(':');
            headers.put(h.substring(0, colon).trim().toLowerCase(Locale.ROOT), h.substring(colon + 1).trim());
        }
        if (status.contains(" 100 ")) {
            return new Response(status, headers, new byte[0]);
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            for (int size = Integer.parseInt(line().split(";")[0].trim(), 16); size > 0;
                    size = Integer.parseInt(line().split(";")[0].trim(), 16)) {
                body.write(in.readNBytes(size));
                line();
            }
            line();
        } else if (headers.containsKey("content-length")) {
            body.write(in.readNBytes(Integer.parseInt(headers.get("content-length"))));
        } else if (!status.contains(" 204 ") && !status.contains(" 304 ")) {
            body.write(in.readAllBytes()); // no framing: the body ends with the connection
        }
        return new Response(status, headers, body.toByteArray());
    }

    /** Reads and counts a response body of {@code length} bytes without keeping it. */
    long drain(long length) throws IOException {
        byte[] buf = new byte[65536];
        long total = 0;
        while (total < length) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, length - total));
            if (n < 0) {
                break;
            }
            total += n;
        }
        return total;
    }

    String line() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new IOException("connection closed after '" + sb + "'");
            }
            if (c != '\r') {
                sb.append((char) c);
            }
        }
        return sb.toString();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
