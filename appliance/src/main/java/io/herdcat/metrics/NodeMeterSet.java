package io.herdcat.metrics;

import io.herdcat.cluster.ClusterNode;
import io.herdcat.dispatcher.FrontService;
import io.herdcat.node.TomcatNode;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * Every meter of a node in one Prometheus registry: its Tomcat ({@link NodeMeters}, its connectors'
 * threads and connections in {@link ConnectorMeters}), its view of the
 * cluster ({@link ClusterMeters}), the HTTP front while this node runs it ({@link FrontMeters}) and
 * the JVM ({@link JvmMeters}).
 */
final class NodeMeterSet {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final NodeMeters node;
    private final FrontMeters front;

    NodeMeterSet(TomcatNode node, ClusterNode cluster, FrontService front) {
        JvmMeters.register(registry);
        this.node = new NodeMeters(registry, node);
        ConnectorMeters.register(registry, node);
        ClusterMeters.register(registry, cluster);
        this.front = new FrontMeters(registry, front);
    }

    /** Refreshes what follows the node and the front, then writes every meter in the text format 0.0.4. */
    synchronized String scrape() {
        node.refresh();
        front.refresh();
        return registry.scrape();
    }
}
