package io.herdcat.node.ajp;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import org.apache.tomcat.util.net.NioChannel;
import org.apache.tomcat.util.net.NioEndpoint;
import org.apache.tomcat.util.net.SocketBufferHandler;

/**
 * A node's AJP connection that sends a response in one piece. Tomcat's AJP connector flushes the
 * socket after the headers, after every body chunk and after the END, so a small response costs three
 * {@code write}s here and up to three reads at the front. This channel keeps the headers and body
 * chunks (up to {@code limit} bytes, the AJP packet size) and sends them with whatever must go out at
 * once — the END, an explicit flush by the servlet (the connector's empty body chunk), a request for
 * more of the request body — in one gathering write ({@link AjpPacketScanner} decides). Beyond the
 * limit everything goes out, like the HTTP connector, whose socket buffer of the same size also holds
 * what was written but not flushed.
 */
final class CoalescingNioChannel extends NioChannel {
    private final ByteBuffer held;
    private final ByteBuffer[] pair = new ByteBuffer[2];
    private AjpPacketScanner scanner = new AjpPacketScanner();
    private AjpPacketScanner probe = new AjpPacketScanner();

    /** @param limit most bytes held back (in write mode: position = bytes held) */
    CoalescingNioChannel(SocketBufferHandler bufHandler, int limit) {
        super(bufHandler);
        this.held = ByteBuffer.allocate(limit);
    }

    @Override
    public void reset(SocketChannel channel, NioEndpoint.NioSocketWrapper socketWrapper) throws IOException {
        super.reset(channel, socketWrapper);
        held.clear();
        scanner.reset();
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        checkInterruptStatus();
        int start = src.position();
        int length = src.remaining();
        if (length == 0) {
            return 0;
        }
        probe.copyFrom(scanner);
        if (probe.scan(src, start, src.limit()) && length <= held.remaining()) {
            held.put(src);
            AjpPacketScanner swap = scanner;
            scanner = probe;
            probe = swap;
            return length;
        }
        int written = sendHeldAnd(src);
        scanner.scan(src, start, start + written);
        return written;
    }

    /** What is held, then {@code src}, in one write as far as the socket takes them; the bytes of {@code src} sent. */
    private int sendHeldAnd(ByteBuffer src) throws IOException {
        if (held.position() == 0) {
            return sc.write(src);
        }
        int before = src.position();
        held.flip();
        pair[0] = held;
        pair[1] = src;
        try {
            sc.write(pair);
        } finally {
            held.compact();
            pair[1] = null;
        }
        return src.position() - before;
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        checkInterruptStatus();
        if (held.position() > 0) {
            held.flip();
            try {
                sc.write(held);
            } finally {
                held.compact();
            }
            if (held.position() > 0) {
                return 0; // the socket is full: what is held goes first
            }
        }
        int[] starts = new int[length];
        for (int i = 0; i < length; i++) {
            starts[i] = srcs[offset + i].position();
        }
        long written = sc.write(srcs, offset, length);
        for (int i = 0; i < length; i++) {
            ByteBuffer b = srcs[offset + i];
            scanner.scan(b, starts[i], b.position());
        }
        return written;
    }
}
