package io.herdcat.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder;
import io.netty.handler.codec.http2.DefaultHttp2HeadersEncoder;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Headers;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * An HTTP/2 client that writes frames by hand, for tests that need exact control of what a client
 * sends (floods, resets, a stream that is never read): frames go out as asked, and a reader thread
 * records what comes back per stream (status, body, RST_STREAM code) and for the connection (GOAWAY
 * code, closed). It acknowledges SETTINGS and PING, and gives back flow-control credit for every DATA
 * frame, except on the streams told to {@link #holdWindow hold} theirs. A connection is handed out
 * once the server's SETTINGS came and were acknowledged, so no acknowledgement can fall into the
 * middle of a header block the test writes.
 */
public final class RawH2 implements AutoCloseable {
    public static final int DATA = 0, HEADERS = 1, RST_STREAM = 3, SETTINGS = 4, PING = 6, GOAWAY = 7,
            WINDOW_UPDATE = 8, CONTINUATION = 9;
    public static final int END_STREAM = 0x1, ACK = 0x1, END_HEADERS = 0x4;
    public static final long CANCEL = 0x8, REFUSED_STREAM = 0x7, ENHANCE_YOUR_CALM = 0xb;
    private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);

    /** What came back on one stream so far. */
    public static final class Stream {
        public volatile int status;
        /** The last interim (1xx) status, 0 when none came. */
        public volatile int interim;
        public volatile boolean ended;
        public volatile long resetCode = -1;
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();
        private final AtomicInteger bodyBytes = new AtomicInteger();
        private final AtomicLong windowGranted = new AtomicLong();

        public String text() {
            synchronized (body) {
                return body.toString(StandardCharsets.UTF_8);
            }
        }

        public int bodyBytes() {
            return bodyBytes.get();
        }

        /** The sum of the WINDOW_UPDATE increments the server sent for this stream: more body it may take. */
        public long windowGranted() {
            return windowGranted.get();
        }

        /** The response is complete (END_STREAM) or the stream was reset. */
        public boolean finished() {
            return ended || resetCode >= 0;
        }
    }

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final DefaultHttp2HeadersEncoder encoder = new DefaultHttp2HeadersEncoder();
    private final DefaultHttp2HeadersDecoder decoder = new DefaultHttp2HeadersDecoder(false);
    private final Map<Integer, Stream> streams = new ConcurrentHashMap<>();
    private final Set<Integer> held = ConcurrentHashMap.newKeySet();
    private final String authority;
    public volatile long goAwayCode = -1;
    public volatile boolean closed;
    private volatile boolean settingsReceived;
    private final CountDownLatch serverSettings = new CountDownLatch(1);
    private ByteArrayOutputStream headerBlock;
    private int headerStream;
    private boolean headerEndStream;

    private RawH2(Socket socket, String authority) throws IOException {
        this.socket = socket;
        this.authority = authority;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = new BufferedOutputStream(socket.getOutputStream(), 1 << 16);
        Thread reader = new Thread(this::readLoop, "raw-h2-reader");
        reader.setDaemon(true);
        reader.start();
    }

    /** Cleartext HTTP/2 with prior knowledge; the preface and an empty SETTINGS are sent. */
    public static RawH2 h2c(int port) throws IOException {
        RawH2 c = new RawH2(new Socket(InetAddress.getLoopbackAddress(), port), "127.0.0.1:" + port);
        c.preface();
        return c;
    }

    /** HTTP/2 over TLS, {@code h2} chosen by ALPN; the preface and an empty SETTINGS are sent. */
    public static RawH2 tls(int port, SSLContext context) throws IOException {
        SSLSocket s = (SSLSocket) context.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), port);
        SSLParameters p = s.getSSLParameters();
        p.setApplicationProtocols(new String[] {"h2"});
        s.setSSLParameters(p);
        s.startHandshake();
        if (!"h2".equals(s.getApplicationProtocol())) {
            s.close();
            throw new IOException("ALPN chose '" + s.getApplicationProtocol() + "', not h2");
        }
        RawH2 c = new RawH2(s, "127.0.0.1:" + port);
        c.preface();
        return c;
    }

    /** Sends the preface and SETTINGS, then waits for the server's SETTINGS (acknowledged before any other frame). */
    private void preface() throws IOException {
        synchronized (out) {
            out.write(PREFACE);
        }
        frame(SETTINGS, 0, 0, new byte[0], true);
        try {
            if (!serverSettings.await(10, TimeUnit.SECONDS)) {
                throw new IOException("no SETTINGS from the server");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    /** The stream's state (created on first use). */
    public Stream stream(int id) {
        return streams.computeIfAbsent(id, k -> new Stream());
    }

    /** No flow-control credit is given back for this stream's DATA (the connection's still is). */
    public void holdWindow(int stream) {
        held.add(stream);
    }

    /** An HPACK block for a request; {@code extra} are name, value pairs. */
    public byte[] block(String method, String path, String... extra) {
        Http2Headers h = new DefaultHttp2Headers().method(method).path(path).scheme("https").authority(authority);
        for (int i = 0; i < extra.length; i += 2) {
            h.add(extra[i], extra[i + 1]);
        }
        ByteBuf buf = Unpooled.buffer();
        try {
            encoder.encodeHeaders(0, h, buf);
            byte[] b = new byte[buf.readableBytes()];
            buf.readBytes(b);
            return b;
        } catch (Http2Exception e) {
            throw new IllegalArgumentException(e);
        } finally {
            buf.release();
        }
    }

    /** A GET without body, flushed. */
    public void get(int stream, String path, String... extra) throws IOException {
        stream(stream);
        frame(HEADERS, END_HEADERS | END_STREAM, stream, block("GET", path, extra), true);
    }

    public void headers(int stream, byte[] block, int flags, boolean flush) throws IOException {
        stream(stream);
        frame(HEADERS, flags, stream, block, flush);
    }

    public void continuation(int stream, byte[] fragment, boolean endHeaders, boolean flush) throws IOException {
        frame(CONTINUATION, endHeaders ? END_HEADERS : 0, stream, fragment, flush);
    }

    public void data(int stream, byte[] bytes, boolean endStream) throws IOException {
        frame(DATA, endStream ? END_STREAM : 0, stream, bytes, true);
    }

    public void rst(int stream, long code, boolean flush) throws IOException {
        frame(RST_STREAM, 0, stream, int32(code), flush);
    }

    public void windowUpdate(int stream, int increment) throws IOException {
        frame(WINDOW_UPDATE, 0, stream, int32(increment), true);
    }

    public void flush() throws IOException {
        synchronized (out) {
            out.flush();
        }
    }

    /** Writes one frame: the 9-byte header (length, type, flags, stream) and the payload. */
    public void frame(int type, int flags, int stream, byte[] payload, boolean flush) throws IOException {
        synchronized (out) {
            int n = payload.length;
            out.write(new byte[] {(byte) (n >>> 16), (byte) (n >>> 8), (byte) n, (byte) type, (byte) flags,
                    (byte) (stream >>> 24), (byte) (stream >>> 16), (byte) (stream >>> 8), (byte) stream});
            out.write(payload);
            if (flush) {
                out.flush();
            }
        }
    }

    private static byte[] int32(long v) {
        return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
    }

    private void readLoop() {
        try {
            byte[] head = new byte[9];
            while (true) {
                in.readFully(head);
                int length = (head[0] & 0xff) << 16 | (head[1] & 0xff) << 8 | head[2] & 0xff;
                int type = head[3];
                int flags = head[4];
                int stream = ((head[5] & 0x7f) << 24 | (head[6] & 0xff) << 16 | (head[7] & 0xff) << 8 | head[8] & 0xff);
                byte[] payload = new byte[length];
                in.readFully(payload);
                onFrame(type, flags, stream, payload);
            }
        } catch (IOException | RuntimeException e) {
            closed = true;
        }
    }

    private void onFrame(int type, int flags, int stream, byte[] payload) throws IOException {
        switch (type) {
            case DATA -> {
                Stream s = stream(stream);
                int pad = (flags & 0x8) != 0 ? (payload[0] & 0xff) + 1 : 0;
                synchronized (s.body) {
                    s.body.write(payload, pad == 0 ? 0 : 1, payload.length - pad);
                }
                s.bodyBytes.addAndGet(payload.length - pad);
                if (payload.length > 0) {
                    windowUpdate(0, payload.length);
                    if (!held.contains(stream) && (flags & END_STREAM) == 0) {
                        windowUpdate(stream, payload.length);
                    }
                }
                if ((flags & END_STREAM) != 0) {
                    s.ended = true;
                }
            }
            case HEADERS, CONTINUATION -> {
                if (type == HEADERS) {
                    headerBlock = new ByteArrayOutputStream();
                    headerStream = stream;
                    headerEndStream = (flags & END_STREAM) != 0;
                    int offset = (flags & 0x8) != 0 ? 1 : 0;
                    int pad = offset == 1 ? payload[0] & 0xff : 0;
                    if ((flags & 0x20) != 0) {
                        offset += 5;
                    }
                    headerBlock.write(payload, offset, payload.length - offset - pad);
                } else {
                    headerBlock.write(payload);
                }
                if ((flags & END_HEADERS) != 0) {
                    headersDone();
                }
            }
            case RST_STREAM -> stream(stream).resetCode = ((long) (payload[0] & 0xff) << 24) | (payload[1] & 0xff) << 16
                    | (payload[2] & 0xff) << 8 | payload[3] & 0xff;
            case SETTINGS -> {
                if ((flags & ACK) == 0) {
                    frame(SETTINGS, ACK, 0, new byte[0], true);
                    settingsReceived = true;
                    serverSettings.countDown();
                }
            }
            case PING -> {
                if ((flags & ACK) == 0) {
                    frame(PING, ACK, 0, payload, true);
                }
            }
            case WINDOW_UPDATE -> {
                if (stream != 0) {
                    stream(stream).windowGranted.addAndGet(((long) (payload[0] & 0x7f) << 24) | (payload[1] & 0xff) << 16
                            | (payload[2] & 0xff) << 8 | payload[3] & 0xff);
                }
            }
            case GOAWAY -> goAwayCode = ((long) (payload[4] & 0xff) << 24) | (payload[5] & 0xff) << 16
                    | (payload[6] & 0xff) << 8 | payload[7] & 0xff;
            default -> {
            }
        }
    }

    private void headersDone() {
        Stream s = stream(headerStream);
        try {
            Http2Headers h = decoder.decodeHeaders(headerStream, Unpooled.wrappedBuffer(headerBlock.toByteArray()));
            if (h.status() != null) {
                int code = Integer.parseInt(h.status().toString());
                if (code < 200) {
                    s.interim = code;
                } else {
                    s.status = code;
                }
            }
        } catch (Http2Exception e) {
            throw new IllegalStateException(e);
        }
        if (headerEndStream) {
            s.ended = true;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
