package io.herdcat.dispatcher;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands the HTTP front over without failing a request: keep listening until the next elected node
 * listens on the port too (on one host both can, see {@link ReusePort}; on another host, a connection
 * to its address at the port is accepted), so there is no moment without a listener; give the connections already queued at this listener a moment to be accepted; stop
 * accepting; end the client connections gracefully and wait for their requests in flight, up to the
 * deadline; then close.
 */
final class FrontHandover {
    private static final Logger LOG = LoggerFactory.getLogger(FrontHandover.class);
    /** The longest wait for the next front to bind the port. */
    static final Duration SUCCESSOR_WAIT = Duration.ofSeconds(5);
    /** After the next front listens, how long this one still accepts what was queued at it. */
    static final Duration QUEUE_GRACE = Duration.ofMillis(300);
    private static final long POLL_MILLIS = 20;
    private static final int PROBE_TIMEOUT_MILLIS = 200;

    private FrontHandover() {
    }

    /**
     * @param successor the node elected to run the front now: empty when there is none, this node's own
     *                  name while the view does not show the change yet
     * @param deadlineNanos when requests still in flight are cut ({@link System#nanoTime()})
     * @param stoppedAccepting run once the front accepts no more connections
     */
    static void run(Dispatcher front, String self, Supplier<Optional<Successor>> successor, long deadlineNanos,
                    Runnable stoppedAccepting) throws InterruptedException {
        int port = front.port();
        String next = awaitSuccessor(port, self, successor, Math.min(deadlineNanos,
                System.nanoTime() + SUCCESSOR_WAIT.toNanos()));
        if (next != null) {
            Thread.sleep(Math.max(0, Math.min(QUEUE_GRACE.toMillis(), (deadlineNanos - System.nanoTime()) / 1_000_000)));
        }
        front.stopAccepting();
        stoppedAccepting.run();
        LOG.info("HTTP front on port {} stopped accepting{}; finishing the requests in flight", port,
                next == null ? "" : " (" + next + " runs it now)");
        int cut = front.drain(deadlineNanos);
        if (cut > 0) {
            LOG.warn("shutdown.timeout reached with {} front connection(s) still busy: closing them", cut);
        }
        front.close();
        LOG.info("HTTP front on port {} closed", port);
    }

    /** The next front's node once it listens on the port too; null when there is none or the wait ends. */
    private static String awaitSuccessor(int port, String self, Supplier<Optional<Successor>> successor, long untilNanos)
            throws InterruptedException {
        while (true) {
            Optional<Successor> next = successor.get();
            if (next.isEmpty()) {
                return null;
            }
            if (!next.get().name().equals(self)) {
                InetAddress host = next.get().host();
                if (host != null && !isLocal(host)) {
                    if (listens(host, port)) {
                        return next.get().name();
                    }
                } else {
                    int listeners = PortListeners.count(port);
                    if (listeners >= 2) {
                        return next.get().name();
                    }
                    if (listeners < 0) {
                        return null; // cannot tell: close now, the next front's retries bind within a second
                    }
                }
            }
            if (System.nanoTime() >= untilNanos) {
                LOG.warn("The next HTTP front did not open port {} within {} s: closing this one anyway", port,
                        SUCCESSOR_WAIT.toSeconds());
                return null;
            }
            Thread.sleep(POLL_MILLIS);
        }
    }

    /** The node elected to run the front next, and the address of its host (null when not known). */
    record Successor(String name, InetAddress host) {
    }

    private static boolean isLocal(InetAddress address) {
        try {
            return address.isLoopbackAddress() || NetworkInterface.getByInetAddress(address) != null;
        } catch (SocketException e) {
            return true;
        }
    }

    /** True when the next front, on another host, accepts a connection on the port. */
    private static boolean listens(InetAddress host, int port) {
        try (Socket probe = new Socket()) {
            probe.connect(new InetSocketAddress(host, port), PROBE_TIMEOUT_MILLIS);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
