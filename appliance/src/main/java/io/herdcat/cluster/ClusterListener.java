package io.herdcat.cluster;

/** Told, on one thread and in order, whenever the members or any of their records change. */
@FunctionalInterface
public interface ClusterListener {
    void clusterChanged(ClusterView view);
}
