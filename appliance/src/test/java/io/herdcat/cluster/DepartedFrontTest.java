package io.herdcat.cluster;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jgroups.util.UUID;
import org.junit.jupiter.api.Test;

/** The front stays closed after its node left the view until that node has surely closed it. */
class DepartedFrontTest {
    @Test
    void theHoldLastsUntilTheDepartedNodeHasGivenTheFrontUp() {
        long now = System.nanoTime();
        DepartedFront d = new DepartedFront(UUID.randomUUID(), "a", now + 5_000_000_000L);
        String hold = d.hold(now);
        assertNotNull(hold);
        assertTrue(hold.contains("for a, which ran the front and left the view"), hold);
        assertNull(d.hold(now + 5_000_000_000L));
    }

    @Test
    void aRefusedConnectionToItsAjpPortEndsTheHoldAtOnce() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        long now = System.nanoTime();
        DepartedFront d = new DepartedFront(UUID.randomUUID(), "a", now + 60_000_000_000L);
        AtomicBoolean told = new AtomicBoolean();
        d.probe("127.0.0.1", closedPort, () -> told.set(true));
        await().atMost(Duration.ofSeconds(10)).untilTrue(told);
        assertNull(d.hold(System.nanoTime()), "its process is gone: nothing to wait for");
    }

    @Test
    void aNodeThatStillListensKeepsTheHold() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            long now = System.nanoTime();
            DepartedFront d = new DepartedFront(UUID.randomUUID(), "a", now + 60_000_000_000L);
            AtomicBoolean told = new AtomicBoolean();
            d.probe("127.0.0.1", s.getLocalPort(), () -> told.set(true));
            s.accept().close();
            assertNotNull(d.hold(System.nanoTime()));
        }
    }
}
