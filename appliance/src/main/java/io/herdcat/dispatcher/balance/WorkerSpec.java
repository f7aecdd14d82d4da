package io.herdcat.dispatcher.balance;

import io.herdcat.config.Activation;
import java.util.Objects;

/** What the balancer needs to know of a node: its route (jvmRoute), where its AJP port is, its weight and activation. */
public record WorkerSpec(String route, String host, int port, int weight, Activation activation) {
    public WorkerSpec {
        Objects.requireNonNull(route);
        Objects.requireNonNull(host);
        Objects.requireNonNull(activation);
        if (weight < 1) {
            throw new IllegalArgumentException("weight must be at least 1: " + weight);
        }
    }
}
