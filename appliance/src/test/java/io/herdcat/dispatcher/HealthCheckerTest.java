package io.herdcat.dispatcher;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The CPing probes of nodes in error, and their end when a node leaves the front's nodes. */
@Timeout(value = 1, unit = TimeUnit.MINUTES)
class HealthCheckerTest {
    @Test
    void aNodeInErrorThatLeavesIsNoLongerProbed() throws Exception {
        AtomicInteger probes = new AtomicInteger();
        try (TestBackend good = new TestBackend("a").start(0);
             ServerSocket broken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                while (!broken.isClosed()) {
                    try (Socket s = broken.accept()) {
                        probes.incrementAndGet(); // accepted and closed at once: no CPong, ever
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            try (Dispatcher front = TestBackend.front(Dispatcher.Options.defaults(), good.spec(),
                    TestBackend.spec("gone", broken.getLocalPort()))) {
                await().atMost(Duration.ofSeconds(20)).until(() -> {
                    try (RawHttp c = new RawHttp(front.port())) {
                        c.send("GET /who HTTP/1.1\r\nHost: h\r\n\r\n").read();
                    }
                    return front.snapshot().nodes().get(1).state().equals("error");
                });
                int before = probes.get();
                await().atMost(Duration.ofSeconds(20)).until(() -> probes.get() >= before + 2); // probed each second

                front.update(List.of(good.spec())); // "gone" left the cluster
                Thread.sleep(1500); // a probe already under way may still connect
                int afterLeaving = probes.get();
                Thread.sleep(3000); // three probe intervals: none may come
                assertEquals(afterLeaving, probes.get(), "probes of a node that is no longer one of the front's");
            }
        }
    }
}
