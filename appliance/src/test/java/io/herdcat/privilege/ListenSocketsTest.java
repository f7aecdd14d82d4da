package io.herdcat.privilege;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** The socket addresses handed to bind(2), and what a port that is taken gives. */
class ListenSocketsTest {
    @Test
    void ipv4AddressIsASockaddrIn() throws Exception {
        byte[] b = ListenSockets.sockaddr(new InetSocketAddress(InetAddress.getByName("198.51.100.7"), 80));
        assertEquals(16, b.length);
        boolean little = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;
        assertArrayEquals(little ? new byte[] {2, 0} : new byte[] {0, 2}, new byte[] {b[0], b[1]}, "AF_INET");
        assertArrayEquals(new byte[] {0, 80}, new byte[] {b[2], b[3]}, "port in network order");
        assertArrayEquals(new byte[] {(byte) 198, 51, 100, 7}, new byte[] {b[4], b[5], b[6], b[7]});
    }

    @Test
    void ipv6AddressIsASockaddrIn6() throws Exception {
        byte[] b = ListenSockets.sockaddr(new InetSocketAddress(InetAddress.getByName("::1"), 8443));
        assertEquals(28, b.length);
        assertArrayEquals(new byte[] {0x20, (byte) 0xFB}, new byte[] {b[2], b[3]});
        assertEquals(1, b[23], "::1 ends in 1");
    }

    @Test
    void aPortTakenBySomeoneElseIsABindException() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             PrivilegedExecutor privileged = new PrivilegedExecutor()) {
            BindException e = assertThrows(BindException.class, () -> new ListenSockets(privileged)
                    .open(new InetSocketAddress(InetAddress.getLoopbackAddress(), taken.getLocalPort()), 16));
            assertEquals("Address already in use (127.0.0.1:" + taken.getLocalPort() + ")", e.getMessage());
        }
    }
}
