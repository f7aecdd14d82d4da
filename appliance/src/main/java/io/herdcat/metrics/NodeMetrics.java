package io.herdcat.metrics;

import io.herdcat.cluster.ClusterNode;
import io.herdcat.dispatcher.FrontService;
import io.herdcat.node.TomcatNode;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's meters for Prometheus, served as text on the admin port's {@code GET /metrics}. Setting
 * them up (Micrometer's registry and JVM binders, a few hundred milliseconds of class loading) runs
 * in the background, so it delays neither the node nor the HTTP front; the first scrape waits for it.
 */
public final class NodeMetrics {
    private static final Logger LOG = LoggerFactory.getLogger(NodeMetrics.class);
    private final TomcatNode node;
    private final ClusterNode cluster;
    private final FrontService front;
    private volatile CompletableFuture<NodeMeterSet> meters;

    public NodeMetrics(TomcatNode node, ClusterNode cluster, FrontService front) {
        this.node = node;
        this.cluster = cluster;
        this.front = front;
    }

    /** Sets the meters up in the background. */
    public void start() {
        this.meters = CompletableFuture.supplyAsync(() -> new NodeMeterSet(node, cluster, front), task -> {
            Thread t = new Thread(task, "metrics-setup");
            t.setDaemon(true);
            t.start();
        });
        meters.exceptionally(e -> {
            LOG.error("Metrics could not be set up: /metrics will fail", e);
            return null;
        });
    }

    /** Every meter now, in Prometheus' text format (0.0.4). */
    public String scrape() {
        CompletableFuture<NodeMeterSet> m = meters;
        if (m == null) {
            throw new IllegalStateException("metrics not started");
        }
        return m.join().scrape();
    }
}
