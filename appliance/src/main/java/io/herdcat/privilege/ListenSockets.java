package io.herdcat.privilege;

import com.sun.jna.LastErrorException;
import java.io.IOException;
import java.net.BindException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Opens listening TCP sockets on the {@link PrivilegedExecutor}'s thread, so a node that has dropped
 * root can still open the front on port 80 when it is elected. The socket is non-blocking and
 * close-on-exec, with {@code SO_REUSEADDR} and {@code SO_REUSEPORT} (so the next front on the same
 * host can bind the port while this one still listens, as at a handover); its file descriptor is
 * handed to the caller, who owns it from then on. Only system calls run on that thread: the caller
 * wraps the descriptor in its own channel.
 */
public final class ListenSockets {
    private final PrivilegedExecutor privileged;

    public ListenSockets(PrivilegedExecutor privileged) {
        this.privileged = privileged;
    }

    /** A listening socket bound to {@code address}: its file descriptor. */
    public int open(InetSocketAddress address, int backlog) throws IOException {
        byte[] sockaddr = sockaddr(address);
        int family = address.getAddress() instanceof Inet6Address ? Libc.AF_INET6 : Libc.AF_INET;
        try {
            return privileged.call(() -> openHere(family, sockaddr, backlog, address));
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while opening " + address, e);
        } catch (Exception e) {
            throw new IOException("cannot open " + address + ": " + e, e);
        }
    }

    private static int openHere(int family, byte[] sockaddr, int backlog, InetSocketAddress address)
            throws IOException {
        int fd;
        try {
            fd = Libc.C.socket(family, Libc.SOCK_STREAM | Libc.SOCK_NONBLOCK | Libc.SOCK_CLOEXEC, 0);
        } catch (LastErrorException e) {
            throw new IOException("socket() failed: " + e.getMessage(), e);
        }
        try {
            int[] on = {1};
            Libc.C.setsockopt(fd, Libc.SOL_SOCKET, Libc.SO_REUSEADDR, on, 4);
            Libc.C.setsockopt(fd, Libc.SOL_SOCKET, Libc.SO_REUSEPORT, on, 4);
            Libc.C.bind(fd, sockaddr, sockaddr.length);
            Libc.C.listen(fd, backlog);
            return fd;
        } catch (LastErrorException e) {
            closeQuietly(fd);
            int errno = e.getErrorCode();
            String what = address.getAddress().getHostAddress() + ":" + address.getPort();
            if (errno == Libc.EADDRINUSE || errno == Libc.EACCES || errno == Libc.EADDRNOTAVAIL) {
                BindException bind = new BindException(errnoText(errno) + " (" + what + ")");
                bind.initCause(e);
                throw bind;
            }
            throw new IOException("cannot listen on " + what + ": " + e.getMessage(), e);
        }
    }

    private static String errnoText(int errno) {
        return switch (errno) {
            case Libc.EADDRINUSE -> "Address already in use";
            case Libc.EACCES -> "Permission denied";
            default -> "Cannot assign requested address";
        };
    }

    private static void closeQuietly(int fd) {
        try {
            Libc.C.close(fd);
        } catch (LastErrorException ignored) {
            // nothing more to release
        }
    }

    /** {@code struct sockaddr_in} or {@code sockaddr_in6}: family in host order, port in network order. */
    static byte[] sockaddr(InetSocketAddress address) {
        byte[] ip = address.getAddress().getAddress();
        boolean v6 = ip.length == 16;
        ByteBuffer b = ByteBuffer.allocate(v6 ? 28 : 16).order(ByteOrder.nativeOrder());
        b.putShort((short) (v6 ? Libc.AF_INET6 : Libc.AF_INET));
        b.order(ByteOrder.BIG_ENDIAN).putShort((short) address.getPort()).order(ByteOrder.nativeOrder());
        if (v6) {
            b.putInt(0).put(ip).putInt(((Inet6Address) address.getAddress()).getScopeId());
        } else {
            b.put(ip);
        }
        return b.array();
    }
}
