package io.herdcat.cluster;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * The cluster join, run on a thread of its own so that Tomcat deploys the webapps meanwhile: a lone
 * node's join waits out JGroups' discovery window for a coordinator that may still be starting, and
 * that wait no longer delays the deploy. What needs the view waits for the join's end: the session
 * managers' first state transfer ({@link #awaitEnd()}) and the node's readiness ({@link #await()}).
 */
final class BackgroundJoin {
    /** A join: {@link ClusterMembership#join()}. */
    @FunctionalInterface
    interface Join {
        void join() throws Exception;
    }

    private final String nodeName;
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private volatile boolean started;

    BackgroundJoin(String nodeName) {
        this.nodeName = nodeName;
    }

    /** Starts the join on its own thread; at most once. */
    synchronized void start(Join join) {
        if (started) {
            throw new IllegalStateException("the join of " + nodeName + " has started already");
        }
        started = true;
        Thread t = new Thread(() -> {
            try {
                join.join();
                done.complete(null);
            } catch (InterruptedException e) {
                done.completeExceptionally(e);
                Thread.currentThread().interrupt();
            } catch (Exception | Error e) {
                done.completeExceptionally(e);
            }
        }, "cluster-join-" + nodeName);
        t.setDaemon(true);
        t.start();
    }

    /** Waits for the join to end and throws what made it fail: a {@link SecurityException} when refused. */
    void await() throws Exception {
        requireStarted();
        try {
            done.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Exception failure) {
                throw failure;
            }
            throw (Error) cause;
        }
    }

    /** Waits for the join to end, however it ended; true when it succeeded. */
    boolean awaitEnd() throws InterruptedException {
        requireStarted();
        try {
            done.get();
            return true;
        } catch (ExecutionException e) {
            return false;
        }
    }

    /** Why the join failed; null while it runs and when it succeeded. */
    Exception failure() {
        if (!done.isCompletedExceptionally()) {
            return null;
        }
        try {
            done.getNow(null);
            return null;
        } catch (java.util.concurrent.CompletionException e) {
            return e.getCause() instanceof Exception failure ? failure : e;
        }
    }

    private void requireStarted() {
        if (!started) {
            throw new IllegalStateException("the join of " + nodeName + " has not started");
        }
    }
}
