package io.herdcat.launcher;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells systemd how the node is doing ({@code Type=notify}): {@code READY=1} once every webapp is
 * deployed and the node serves, {@code STOPPING=1} when a stop begins. The messages go as datagrams to
 * the socket systemd names in {@code NOTIFY_SOCKET} (a path, or an abstract name starting with
 * {@code @}); without that variable nothing is sent and no native code is loaded. A failed send is
 * logged, never fatal: systemd then times the start out, which is the right answer to a node that
 * cannot say it is ready.
 */
final class SystemdNotify {
    private static final Logger LOG = LoggerFactory.getLogger(SystemdNotify.class);
    private static final short AF_UNIX = 1;
    private static final int SOCK_DGRAM = 2;
    private static final int SOCK_CLOEXEC = 0x80000;
    private static final int PATH_MAX = 108;

    /** The few libc calls a notification needs. */
    interface Socket extends Library {
        int socket(int domain, int type, int protocol) throws LastErrorException;

        long sendto(int fd, byte[] buffer, long length, int flags, byte[] address, int addressLength)
                throws LastErrorException;

        int close(int fd) throws LastErrorException;
    }

    private final String socket;

    private SystemdNotify(String socket) {
        this.socket = socket;
    }

    /** Notifies the socket in {@code NOTIFY_SOCKET}, or nobody when it is not set. */
    static SystemdNotify fromEnvironment(Map<String, String> env) {
        String s = env.get("NOTIFY_SOCKET");
        return new SystemdNotify(s == null || s.isBlank() ? null : s);
    }

    void ready(String status) {
        send("READY=1\nSTATUS=" + status + "\n");
    }

    void stopping() {
        send("STOPPING=1\n");
    }

    private void send(String state) {
        if (socket == null) {
            return;
        }
        byte[] address = address(socket);
        if (address == null) {
            LOG.warn("NOTIFY_SOCKET {} is not a unix socket path: systemd is not told that the node is ready", socket);
            return;
        }
        try {
            Socket libc = Native.load("c", Socket.class);
            int fd = libc.socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
            try {
                byte[] message = state.getBytes(StandardCharsets.UTF_8);
                libc.sendto(fd, message, message.length, 0, address, address.length);
            } finally {
                libc.close(fd);
            }
        } catch (LastErrorException | UnsatisfiedLinkError e) {
            LOG.warn("Cannot notify systemd at {}: {}", socket, e.toString());
        }
    }

    /** A {@code struct sockaddr_un} for the socket; an abstract name ({@code @name}) starts with a zero byte. */
    static byte[] address(String socket) {
        boolean abstractName = socket.startsWith("@");
        if (!abstractName && !socket.startsWith("/")) {
            return null;
        }
        byte[] path = socket.getBytes(StandardCharsets.UTF_8);
        if (path.length >= PATH_MAX) {
            return null;
        }
        if (abstractName) {
            path[0] = 0;
        }
        byte[] address = new byte[2 + path.length + (abstractName ? 0 : 1)];
        address[0] = (byte) AF_UNIX; // sa_family, little-endian on the platforms this runs on
        System.arraycopy(path, 0, address, 2, path.length);
        return address;
    }
}
