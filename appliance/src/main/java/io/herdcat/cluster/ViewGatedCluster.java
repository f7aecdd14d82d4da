package io.herdcat.cluster;

import org.apache.catalina.Lifecycle;
import org.apache.catalina.Manager;
import org.apache.catalina.ha.tcp.SimpleTcpCluster;

/**
 * Tomcat's cluster, whose session managers take the cluster's sessions only once the node knows its
 * cluster's view. A context creates its manager while it deploys, and the manager's start is where the
 * first state transfer asks a running member for its sessions: it needs the members, which the join
 * (running meanwhile, see {@link BackgroundJoin}) is still finding. The delta manager waits right
 * before its state transfer; another manager (the backup manager, whose replicated map asks the members
 * as it is made) before its start. Everything the deploy does before that — reading the WAR, scanning
 * it, starting its listeners — goes on while the node joins.
 */
class ViewGatedCluster extends SimpleTcpCluster {
    /** Waits until the view is known, or the join is over without one. */
    @FunctionalInterface
    interface ViewGate {
        void await() throws InterruptedException;
    }

    private final ViewGate gate;

    ViewGatedCluster(ViewGate gate) {
        this.gate = gate;
    }

    @Override
    public synchronized Manager createManager(String name) {
        Manager manager = super.createManager(name);
        if (manager instanceof ReplicatingDeltaManager delta) {
            delta.awaitViewBeforeStateTransfer(gate);
        } else if (manager instanceof Lifecycle lifecycle) {
            lifecycle.addLifecycleListener(event -> {
                if (Lifecycle.BEFORE_START_EVENT.equals(event.getType())) {
                    try {
                        gate.await();
                    } catch (InterruptedException e) {
                        // the node is being stopped: the manager starts without members, and nothing serves
                        Thread.currentThread().interrupt();
                    }
                }
            });
        }
        return manager;
    }
}
