package io.herdcat.lifecycle;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts a node's parts in the order they were added and stops them in reverse. A part that fails to
 * start stops the parts started before it (in reverse) before the failure reaches the caller, so a
 * failed start leaves nothing running. A stop runs every part's stop even when one fails, all within
 * one time budget: each stop is given what is left of it.
 *
 * <p>Parts belong to a {@link Phase} and must be added in phase order, so the order "bind, drop root,
 * join, serve" is a property of the structure, not of careful reading.
 */
public final class LifeCycle {
    private static final Logger LOG = LoggerFactory.getLogger(LifeCycle.class);

    /** Starts a part. */
    @FunctionalInterface
    public interface Start {
        void start() throws Exception;
    }

    /** Stops a part; {@code left} is what remains of the stop's time budget (never negative). */
    @FunctionalInterface
    public interface Stop {
        void stop(Duration left) throws Exception;
    }

    /** A part failed to start; what it is and why. The parts started before it were stopped. */
    public static final class StartFailure extends Exception {
        private final String part;

        StartFailure(String part, Exception cause) {
            super(part + ": " + cause, cause);
            this.part = part;
        }

        /** The part that failed. */
        public String part() {
            return part;
        }

        @Override
        public synchronized Exception getCause() {
            return (Exception) super.getCause();
        }
    }

    private record Part(Phase phase, String name, Start start, Stop stop) {
    }

    private final String owner;
    private final List<Part> parts = new ArrayList<>();
    private final Deque<Part> started = new ArrayDeque<>();
    private Phase phase = Phase.BIND;
    private boolean begun;

    /** @param owner who the parts belong to, for the log (the node's name) */
    public LifeCycle(String owner) {
        this.owner = owner;
    }

    /**
     * Adds a part that starts after every part added before it and stops before them.
     *
     * @throws IllegalStateException when {@code phase} comes before a phase already added, or after start
     */
    public synchronized LifeCycle add(Phase phase, String name, Start start, Stop stop) {
        Objects.requireNonNull(phase);
        if (begun) {
            throw new IllegalStateException("cannot add " + name + ": already started");
        }
        if (phase.compareTo(this.phase) < 0) {
            throw new IllegalStateException("cannot add " + name + " to phase " + phase + " after phase " + this.phase);
        }
        this.phase = phase;
        parts.add(new Part(phase, name, start, stop));
        return this;
    }

    /** A part with nothing to undo. */
    public LifeCycle add(Phase phase, String name, Start start) {
        return add(phase, name, start, left -> { });
    }

    /**
     * Starts every part in order. On a failure, stops the parts already started (in reverse, within
     * {@code unwindBudget}) and throws.
     */
    public void start(Duration unwindBudget) throws StartFailure {
        List<Part> toStart;
        synchronized (this) {
            if (begun) {
                throw new IllegalStateException("already started");
            }
            begun = true;
            toStart = List.copyOf(parts);
        }
        for (Part p : toStart) {
            try {
                LOG.debug("Node {}: {} ({})", owner, p.name(), p.phase());
                p.start().start();
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                stop(unwindBudget);
                throw new StartFailure(p.name(), e);
            }
            synchronized (this) {
                started.push(p);
            }
        }
    }

    /** Stops the started parts, newest first, each given what is left of {@code budget}; runs once. */
    public void stop(Duration budget) {
        long deadline = System.nanoTime() + budget.toNanos();
        while (true) {
            Part p;
            synchronized (this) {
                p = started.poll();
            }
            if (p == null) {
                return;
            }
            try {
                p.stop().stop(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                LOG.warn("Node {}: stopping {} was interrupted", owner, p.name());
            } catch (Exception e) {
                LOG.warn("Node {}: stopping {} failed", owner, p.name(), e);
            }
        }
    }

    /** The names of the started parts, oldest first. */
    public synchronized List<String> startedParts() {
        List<String> names = new ArrayList<>();
        started.descendingIterator().forEachRemaining(p -> names.add(p.name()));
        return names;
    }
}
