package io.herdcat.cluster;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.TimeUnit;
import org.jgroups.Address;

/**
 * The node that ran the front has left this node's view, but may not have closed its front: a majority
 * can notice a cut fast (a connection that fails at once), while the cut-off node gives the front up
 * only when the majority's view beats have been missing for {@link QuorumWatch}'s window. So no node
 * opens the front until the departed one has surely closed it: once its last beat here is older than
 * that window plus a beat interval (the beats it got from this side stopped at most one interval later),
 * or at once when a connection to its AJP port is refused — its host answers and its process is gone,
 * as after {@code kill -9}, so failover after a crash is not held back. A departed node that comes back
 * into the view ends the hold.
 */
final class DepartedFront {
    private static final int PROBE_TIMEOUT_MILLIS = 1000;
    private final Address address;
    private final String name;
    private final long notBeforeNanos;
    private volatile boolean gone;

    DepartedFront(Address address, String name, long notBeforeNanos) {
        this.address = address;
        this.name = name;
        this.notBeforeNanos = notBeforeNanos;
    }

    Address address() {
        return address;
    }

    /** Why the front may not open yet, or null when it may. */
    String hold(long nowNanos) {
        if (gone || nowNanos - notBeforeNanos >= 0) {
            return null;
        }
        return "waiting up to " + TimeUnit.NANOSECONDS.toMillis(notBeforeNanos - nowNanos) + " ms for " + name
                + ", which ran the front and left the view, to have closed it";
    }

    /** Tries its AJP port in the background; when the connection is refused, ends the hold and runs {@code then}. */
    void probe(String host, int port, Runnable then) {
        if (host == null || host.isEmpty() || port <= 0) {
            return;
        }
        Thread t = new Thread(() -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(host, port), PROBE_TIMEOUT_MILLIS);
            } catch (ConnectException e) {
                if (String.valueOf(e.getMessage()).contains("refused")) {
                    gone = true;
                    then.run();
                }
            } catch (IOException | RuntimeException e) {
                // unreachable or silent: it may still run; wait out the hold
            }
        }, "front-probe-" + name);
        t.setDaemon(true);
        t.start();
    }
}
