package io.herdcat.dispatcher.balance;

import io.herdcat.config.Activation;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Chooses the node for a request, like mod_jk's lb worker: the node of the request's session first
 * (sticky), unless it is stopped or in error; otherwise an active, healthy node not yet tried for this
 * request, by the configured method and weights. Disabled nodes get only their own sessions' requests;
 * stopped nodes get nothing. With {@code stickyForce}, a session whose node is unavailable gets no node
 * at all (the front answers 503) instead of another node.
 */
public final class Balancer {
    private final BalanceMethod method;
    private final boolean stickyForce;
    private volatile Map<String, Worker> workers = Map.of();

    public Balancer(BalanceMethod method, boolean stickyForce) {
        this.method = method;
        this.stickyForce = stickyForce;
    }

    /** Replaces the set of nodes, keeping each known node's counters and health. */
    public synchronized void update(Collection<WorkerSpec> specs) {
        Map<String, Worker> next = new LinkedHashMap<>();
        for (WorkerSpec spec : specs) {
            Worker w = workers.get(spec.route());
            if (w == null) {
                w = new Worker(spec);
            } else {
                w.spec(spec);
            }
            next.put(spec.route(), w);
        }
        workers = Map.copyOf(next);
    }

    /** A snapshot of every node, for health checks and the status page. */
    public List<Worker> workers() {
        return List.copyOf(workers.values());
    }

    public Optional<Worker> worker(String route) {
        return Optional.ofNullable(workers.get(route));
    }

    /**
     * The node for a request whose session route is {@code route} (null without a session), skipping
     * the nodes in {@code tried}; empty when no node can take it.
     */
    public Optional<Worker> choose(String route, Set<String> tried) {
        Map<String, Worker> snapshot = workers;
        if (route != null) {
            Worker sticky = snapshot.get(route);
            if (sticky != null && !tried.contains(route) && sticky.state() == Worker.State.OK
                    && sticky.spec().activation() != Activation.STOPPED) {
                return Optional.of(sticky);
            }
            if (stickyForce && sticky != null) {
                return Optional.empty();
            }
        }
        List<Worker> candidates = new ArrayList<>(snapshot.size());
        for (Worker w : snapshot.values()) {
            if (w.state() == Worker.State.OK && w.spec().activation() == Activation.ACTIVE
                    && !tried.contains(w.route())) {
                candidates.add(w);
            }
        }
        if (candidates.isEmpty()) {
            return forcedRecovery(snapshot, tried);
        }
        return Optional.of(switch (method) {
            case REQUESTS -> smoothWeightedRoundRobin(candidates);
            case BUSYNESS -> leastBy(candidates, w -> (double) w.inFlight() / w.spec().weight());
            case TRAFFIC -> leastBy(candidates, w -> (double) w.bytes() / w.spec().weight());
        });
    }

    /**
     * When every active node is in error (mod_jk's forced recovery), the one longest in error that this
     * request has not tried yet: a moment of overload that made every node miss a CPing deadline must
     * not turn into 503s for everyone until the health checks pass; a node that is really down refuses
     * at once and the next one is tried.
     */
    private static Optional<Worker> forcedRecovery(Map<String, Worker> snapshot, Set<String> tried) {
        Worker oldest = null;
        for (Worker w : snapshot.values()) {
            if (w.spec().activation() != Activation.ACTIVE) {
                continue;
            }
            if (w.state() == Worker.State.OK) {
                return Optional.empty(); // a working node was tried (or is busy): not a forced recovery
            }
            if (!tried.contains(w.route()) && (oldest == null || w.errorSinceMillis() < oldest.errorSinceMillis())) {
                oldest = w;
            }
        }
        return Optional.ofNullable(oldest);
    }

    /**
     * Each pick adds every candidate's weight to its counter and takes the largest, which then gives
     * back the total: over any run of picks the shares follow the weights closely, and equal
     * weights alternate.
     */
    private synchronized Worker smoothWeightedRoundRobin(List<Worker> candidates) {
        Worker best = null;
        long total = 0;
        for (Worker w : candidates) {
            int weight = w.spec().weight();
            w.current += weight;
            total += weight;
            if (best == null || w.current > best.current) {
                best = w;
            }
        }
        best.current -= total;
        return best;
    }

    private Worker leastBy(List<Worker> candidates, java.util.function.ToDoubleFunction<Worker> load) {
        double min = Double.MAX_VALUE;
        List<Worker> least = new ArrayList<>();
        for (Worker w : candidates) {
            double l = load.applyAsDouble(w);
            if (l < min) {
                min = l;
                least.clear();
            }
            if (l == min) {
                least.add(w);
            }
        }
        return least.size() == 1 ? least.get(0) : smoothWeightedRoundRobin(least);
    }
}
