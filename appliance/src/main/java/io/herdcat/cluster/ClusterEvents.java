package io.herdcat.cluster;

import io.herdcat.cluster.RejectedMessages.Reason;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that handles membership views and cluster messages, in arrival order, and its queue,
 * bounded at {@value #CAPACITY}: a message that finds it full is dropped and counted (members repeat
 * what matters every second), while views and this node's own changes wait for room, never dropped.
 */
final class ClusterEvents implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterEvents.class);
    static final int CAPACITY = 10_000;
    private final BlockingQueue<Runnable> queue = new ArrayBlockingQueue<>(CAPACITY);
    private final RejectedMessages rejected;
    private final Thread thread;

    ClusterEvents(RejectedMessages rejected) {
        this.rejected = rejected;
        this.thread = new Thread(this::run, "cluster-events");
        thread.setDaemon(true);
    }

    /** Starts handling the events queued so far and from now on. */
    void start() {
        thread.start();
    }

    /** Queues a received message's handling; drops (and counts) it when the queue is full. */
    void offer(Runnable task) {
        if (!queue.offer(task)) {
            rejected.reject(Reason.QUEUE_FULL, "the cluster", "more than " + CAPACITY + " cluster events waiting");
        }
    }

    /** Queues a view or a change of this node's own, waiting for room if need be. */
    void submit(Runnable task) {
        try {
            queue.put(task);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    int waiting() {
        return queue.size();
    }

    private void run() {
        while (!Thread.currentThread().isInterrupted()) {
            Runnable task;
            try {
                task = queue.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.warn("Cluster event failed", e);
            }
        }
    }

    @Override
    public void close() {
        thread.interrupt();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
