package io.herdcat.dispatcher.balance;

import io.herdcat.config.Activation;
import java.util.Objects;

/**
 * What the balancer needs to know of a node: its route (jvmRoute), where its AJP port is, its weight and
 * activation, and where its HTTP connector is (WebSocket handshakes go there; {@code httpPort} 0 for a
 * node that publishes none, such as a static {@code front.nodes} entry).
 */
public record WorkerSpec(String route, String host, int port, int weight, Activation activation, String httpHost,
                         int httpPort) {
    public WorkerSpec {
        Objects.requireNonNull(route);
        Objects.requireNonNull(host);
        Objects.requireNonNull(activation);
        Objects.requireNonNull(httpHost);
        if (weight < 1) {
            throw new IllegalArgumentException("weight must be at least 1: " + weight);
        }
    }

    /** A node reached over AJP only. */
    public WorkerSpec(String route, String host, int port, int weight, Activation activation) {
        this(route, host, port, weight, activation, host, 0);
    }

    /** True when the node's HTTP connector is known, so WebSockets can go to it. */
    public boolean servesHttp() {
        return httpPort > 0;
    }
}
