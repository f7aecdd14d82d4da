package io.herdcat.cluster;

import java.util.concurrent.TimeUnit;
import org.jgroups.Event;
import org.jgroups.conf.ClassConfigurator;
import org.jgroups.protocols.TCP;
import org.jgroups.stack.Protocol;
import org.jgroups.util.Responses;

/**
 * Ends a node's first discovery early when it has heard nobody at all: right above the multicast or
 * peers discovery, it lets a joining node that has neither a discovery answer nor another node's
 * discovery request after {@code quietMillis} form its cluster at once, instead of waiting out the whole
 * join timeout for a coordinator that does not exist. A node that has heard anyone by then (a running
 * cluster's members, or a node starting at the same moment, whose request counts too) waits the whole
 * join timeout as before, and decides as before: join the coordinator, or let the lowest of the
 * starting nodes form the cluster. A peer whose process took the discovery's TCP connection counts as
 * heard even before it answers: a node starting at the same moment on a busy host, its JVM still cold,
 * can take longer than the window to answer, and must not be left to form a second cluster. Only the
 * first discovery of a start is shortened, not the retries
 * that follow hearing someone. A member that misses the window (all of a running cluster silent for
 * that long) is met by MERGE3 a few seconds later, as after a partition.
 */
final class QuietDiscoveryWindow extends Protocol {
    static {
        ClassConfigurator.addProtocol((short) 1702, QuietDiscoveryWindow.class);
    }

    private final long quietMillis;
    private volatile boolean firstDiscoveryDone;
    private volatile boolean endedEarly;

    QuietDiscoveryWindow(long quietMillis) {
        this.quietMillis = quietMillis;
    }

    @Override
    public void start() throws Exception {
        super.start();
        firstDiscoveryDone = false;
    }

    @Override
    public Object down(Event evt) {
        Object result = down_prot.down(evt);
        if (evt.getType() == Event.FIND_INITIAL_MBRS && !firstDiscoveryDone
                && result instanceof Responses responses) {
            firstDiscoveryDone = true;
            getTransport().getTimer().schedule(() -> endIfNobodyHeard(responses), quietMillis, TimeUnit.MILLISECONDS);
        }
        return result;
    }

    /** Whether this start's first discovery was ended by the window, having heard nobody. */
    boolean endedEarly() {
        return endedEarly;
    }

    private void endIfNobodyHeard(Responses responses) {
        if (responses.isEmpty() && !responses.isDone() && !connectedToAnyone()) {
            log.debug("%s: nobody heard in %d ms of discovery: forming the cluster", local_addr, quietMillis);
            endedEarly = true;
            responses.done();
        }
    }

    /** Whether the transport holds a connection, made or taken: some other node's process is up. */
    private boolean connectedToAnyone() {
        return getTransport() instanceof TCP tcp && tcp.getOpenConnections() > 0;
    }
}
