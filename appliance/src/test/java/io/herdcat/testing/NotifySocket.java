package io.herdcat.testing;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The receiving end of systemd's notification socket ({@code NOTIFY_SOCKET}): a unix datagram socket
 * bound to a path, read with a timeout, as systemd reads what a {@code Type=notify} service sends.
 */
public final class NotifySocket implements AutoCloseable {
    private static final int AF_UNIX = 1;
    private static final int SOCK_DGRAM = 2;
    private static final int SOL_SOCKET = 1;
    private static final int SO_RCVTIMEO = 20;

    interface Libc extends Library {
        int socket(int domain, int type, int protocol) throws LastErrorException;

        int bind(int fd, byte[] address, int length) throws LastErrorException;

        int setsockopt(int fd, int level, int name, byte[] value, int length) throws LastErrorException;

        long recv(int fd, byte[] buffer, long length, int flags) throws LastErrorException;

        int close(int fd) throws LastErrorException;
    }

    private final Libc libc = Native.load("c", Libc.class);
    private final Path path;
    private final int fd;

    public NotifySocket(Path path) {
        this.path = path;
        this.fd = libc.socket(AF_UNIX, SOCK_DGRAM, 0);
        byte[] p = path.toString().getBytes(StandardCharsets.UTF_8);
        byte[] address = new byte[2 + p.length + 1];
        address[0] = AF_UNIX;
        System.arraycopy(p, 0, address, 2, p.length);
        libc.bind(fd, address, address.length);
    }

    public Path path() {
        return path;
    }

    /** The next message, or null when none arrives within {@code atMost}. */
    public String receive(Duration atMost) {
        byte[] timeval = ByteBuffer.allocate(16).order(ByteOrder.nativeOrder())
                .putLong(atMost.toSeconds()).putLong(atMost.toMillisPart() * 1000L).array();
        libc.setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, timeval, timeval.length);
        byte[] buffer = new byte[4096];
        try {
            long n = libc.recv(fd, buffer, buffer.length, 0);
            return new String(buffer, 0, (int) n, StandardCharsets.UTF_8);
        } catch (LastErrorException e) {
            return null; // EAGAIN: nothing within the timeout
        }
    }

    @Override
    public void close() {
        libc.close(fd);
    }
}
