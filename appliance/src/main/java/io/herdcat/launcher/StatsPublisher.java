package io.herdcat.launcher;

import io.netty.util.concurrent.DefaultThreadFactory;
import io.herdcat.cluster.ClusterMembership;
import io.herdcat.dispatcher.FrontService;
import io.herdcat.dispatcher.FrontStatsCodec;
import io.herdcat.node.TomcatNode;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every second, tells the cluster this node's session count and, while it runs the HTTP front, what
 * the front sees of every node — so the status of every node shows the whole cluster.
 */
final class StatsPublisher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StatsPublisher.class);
    private final ScheduledExecutorService timer =
            Executors.newSingleThreadScheduledExecutor(new DefaultThreadFactory("stats-publisher", true));

    private final ClusterMembership membership;
    private final TomcatNode node;
    private final FrontService front;

    StatsPublisher(ClusterMembership membership, TomcatNode node, FrontService front) {
        this.membership = membership;
        this.node = node;
        this.front = front;
    }

    void start() {
        timer.scheduleWithFixedDelay(() -> {
            try {
                membership.publishSessions(node.status().activeSessions());
                front.snapshot().ifPresent(s -> membership.publishFrontStats(FrontStatsCodec.encode(s)));
            } catch (RuntimeException e) {
                LOG.debug("Could not publish statistics: {}", e.toString());
            }
        }, 0, 1, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
