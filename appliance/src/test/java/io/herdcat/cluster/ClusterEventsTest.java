package io.herdcat.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ClusterEventsTest {
    @Test
    void receivedMessagesBeyondTheBoundAreDroppedAndCountedAndTheRestHandledInOrder() throws Exception {
        RejectedMessages rejected = new RejectedMessages("a");
        CountDownLatch busy = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger handled = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(1);
        try (ClusterEvents events = new ClusterEvents(rejected)) {
            events.start();
            events.submit(() -> {
                busy.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            assertTrue(busy.await(10, TimeUnit.SECONDS));
            for (int i = 0; i < ClusterEvents.CAPACITY + 5; i++) {
                events.offer(handled::incrementAndGet);
            }
            assertEquals(5, rejected.count(RejectedMessages.Reason.QUEUE_FULL));
            release.countDown();
            events.submit(done::countDown);
            assertTrue(done.await(10, TimeUnit.SECONDS), "a view waits for room and is handled");
            assertEquals(ClusterEvents.CAPACITY, handled.get());
        }
    }
}
