package io.herdcat.dispatcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.herdcat.dispatcher.balance.BalanceMethod;
import io.herdcat.dispatcher.balance.Balancer;
import io.herdcat.privilege.ListenSockets;
import io.herdcat.privilege.PrivilegedExecutor;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.uring.IoUring;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A front that drains: idle connections close, busy ones get their answer with Connection: close; a successor shares the port. */
@Timeout(value = 1, unit = TimeUnit.MINUTES)
class DispatcherDrainTest {
    private TestBackend node;
    private Dispatcher front;

    @BeforeEach
    void start() throws Exception {
        node = new TestBackend("a").start(0);
        front = TestBackend.front(Dispatcher.Options.defaults(), node.spec());
    }

    @AfterEach
    void stop() throws Exception {
        front.close();
        node.close();
    }

    @Test
    void drainClosesIdleConnectionsAndAnswersBusyOnesWithConnectionClose() throws Exception {
        try (RawHttp idle = new RawHttp(front.port()); RawHttp busy = new RawHttp(front.port())) {
            assertEquals(200, idle.send("GET /who HTTP/1.1\r\nHost: x\r\n\r\n").read().status());
            busy.send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n");
            awaitInFlight(1);

            front.stopAccepting();
            assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", front.port()).close(),
                    "no new connections once the front stops accepting");
            CompletableFuture<Integer> drained = CompletableFuture.supplyAsync(() -> {
                try {
                    return front.drain(System.nanoTime() + TimeUnit.SECONDS.toNanos(20));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return -1;
                }
            });
            assertEquals(-1, idle.in.read(), "the idle keep-alive connection is closed");
            RawHttp.Response answer = busy.read();
            assertEquals(200, answer.status(), "the request in flight is answered");
            assertEquals("close", answer.headers().get("connection"), answer.headers().toString());
            assertEquals(-1, busy.in.read(), "and its connection closed after the answer");
            assertEquals(0, drained.get(20, TimeUnit.SECONDS), "no connection left at the deadline");
        }
    }

    @Test
    void aSecondFrontBindsTheSamePortAndGetsEveryNewConnection() throws Exception {
        Assumptions.assumeTrue(Epoll.isAvailable(), "SO_REUSEPORT with steering needs Linux epoll or io_uring");
        Dispatcher next = new Dispatcher(new InetSocketAddress("127.0.0.1", front.port()),
                new Balancer(BalanceMethod.REQUESTS, false), TestBackend.SECRET, Dispatcher.Options.defaults());
        try {
            next.start();
            next.update(List.of(node.spec()));
            assertTheNewerGetsEveryNewConnection(front, next);
        } finally {
            next.close();
        }
    }

    /** With io_uring loops (where the kernel offers it) and with epoll loops (front.io.uring=false). */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void frontsWhoseSocketsThePrivilegedThreadOpenedShareThePortAndTheNewerGetsEveryNewConnection(boolean ioUring)
            throws Exception {
        Assumptions.assumeTrue(Epoll.isAvailable(), "SO_REUSEPORT with steering needs Linux epoll or io_uring");
        Assumptions.assumeTrue(!ioUring || IoUring.isAvailable(), "this kernel offers no io_uring");
        Dispatcher.Options options = Dispatcher.Options.defaults().withIoUring(ioUring);
        try (PrivilegedExecutor privileged = new PrivilegedExecutor()) {
            ListenSockets sockets = new ListenSockets(privileged);
            Dispatcher old = new Dispatcher(new InetSocketAddress("127.0.0.1", 0),
                    new Balancer(BalanceMethod.REQUESTS, false), TestBackend.SECRET, options, sockets);
            Dispatcher next = null;
            try {
                old.start();
                assertEquals(ioUring ? "io_uring" : "epoll", old.transport());
                old.update(List.of(node.spec()));
                try (RawHttp c = new RawHttp(old.port())) {
                    assertEquals(200, c.send("GET /who HTTP/1.1\r\nHost: x\r\n\r\n").read().status(), "serves");
                }
                next = new Dispatcher(new InetSocketAddress("127.0.0.1", old.port()),
                        new Balancer(BalanceMethod.REQUESTS, false), TestBackend.SECRET, options, sockets);
                next.start();
                next.update(List.of(node.spec()));
                assertTheNewerGetsEveryNewConnection(old, next);
                int port = old.port();
                next.stopAccepting();
                old.stopAccepting();
                assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", port).close(),
                        "both sockets closed");
            } finally {
                old.close();
                if (next != null) {
                    next.close();
                }
            }
        }
    }

    /** Both listen on one port: 50 new connections in a row all go to {@code next}. */
    private static void assertTheNewerGetsEveryNewConnection(Dispatcher old, Dispatcher next) throws Exception {
        assertEquals(old.port(), next.port());
        long before = requests(old);
        for (int i = 0; i < 50; i++) {
            try (RawHttp c = new RawHttp(old.port())) {
                assertEquals(200, c.send("GET /who HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                        .read().status());
            }
        }
        assertEquals(before, requests(old), "the old front got none of the new connections");
        assertEquals(50, requests(next), "the new front got them all");
    }

    private static long requests(Dispatcher d) {
        return d.snapshot().nodes().stream().mapToLong(DispatcherSnapshot.NodeStats::requests).sum();
    }

    private void awaitInFlight(int n) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (front.snapshot().nodes().stream().mapToLong(DispatcherSnapshot.NodeStats::inFlight).sum() < n) {
            assertTrue(System.nanoTime() < until, "request in flight");
            Thread.sleep(10);
        }
    }
}
