package io.herdcat.vip;

import io.herdcat.config.NodeConfig;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Adds the front's address ({@code front.vip}) to this host's interface and removes it, with the
 * {@code ip} command, and announces an added IPv4 address with one gratuitous ARP ({@code arping -U}) so
 * that clients and switches forget the previous holder's MAC at once. IPv6 addresses are added without
 * duplicate address detection (the previous holder may still have it for a moment during a handover) and
 * are not announced: an unsolicited neighbour advertisement is not sent, so IPv6 clients find the new
 * holder when their neighbour cache entry expires. The commands are started through the given executor,
 * whose thread holds CAP_NET_ADMIN and CAP_NET_RAW when the node runs unprivileged; each is time-limited,
 * and a failure is logged with the command's output and counted.
 */
final class VipHolder {
    private static final Logger LOG = LoggerFactory.getLogger(VipHolder.class);
    static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(5);

    private final NodeConfig.Vip vip;
    private final Executor privileged;
    private final VipCounters counters;

    VipHolder(NodeConfig.Vip vip, Executor privileged, VipCounters counters) {
        this.vip = vip;
        this.privileged = privileged;
        this.counters = counters;
    }

    /** Adds the address (already there counts as added) and announces it. */
    void add() throws InterruptedException {
        List<String> add = new ArrayList<>(List.of("ip", "addr", "add", vip.cidr(), "dev", vip.device()));
        if (!(vip.address() instanceof Inet4Address)) {
            add.add("nodad");
        }
        TimedCommand.Result r = command(add);
        if (r.ok()) {
            LOG.info("Added front address {} to {}", vip.cidr(), vip.device());
        } else if (present()) {
            LOG.info("Front address {} is already on {}", vip.cidr(), vip.device());
        } else {
            failed(add, r);
            return;
        }
        if (vip.address() instanceof Inet4Address) {
            List<String> garp = List.of("arping", "-U", "-c1", "-I", vip.device(), vip.address().getHostAddress());
            TimedCommand.Result g = command(garp);
            if (!g.ok()) {
                failed(garp, g);
            }
        }
    }

    /** Removes the address (already gone counts as removed). */
    void remove(String why) throws InterruptedException {
        List<String> del = List.of("ip", "addr", "del", vip.cidr(), "dev", vip.device());
        TimedCommand.Result r = command(del);
        if (!r.ok() && present()) {
            failed(del, r);
            return;
        }
        if (r.ok()) {
            LOG.info("Removed front address {} from {} ({})", vip.cidr(), vip.device(), why);
        }
    }

    /** True when the interface holds the address now; false also when that cannot be read. */
    boolean present() throws InterruptedException {
        List<String> show = List.of("ip", "-o", "addr", "show", "dev", vip.device());
        TimedCommand.Result r = command(show);
        if (!r.ok()) {
            failed(show, r);
            return false;
        }
        for (String line : r.output()) {
            String[] f = line.trim().split("\\s+");
            for (int i = 0; i + 1 < f.length; i++) {
                if ((f[i].equals("inet") || f[i].equals("inet6")) && holds(f[i + 1])) {
                    return true;
                }
            }
        }
        return false;
    }

    private boolean holds(String cidr) {
        int slash = cidr.indexOf('/');
        if (slash < 0) {
            return false;
        }
        try {
            return InetAddress.getByName(cidr.substring(0, slash)).equals(vip.address())
                    && Integer.parseInt(cidr.substring(slash + 1)) == vip.prefix();
        } catch (UnknownHostException | NumberFormatException e) {
            return false;
        }
    }

    private TimedCommand.Result command(List<String> command) throws InterruptedException {
        return TimedCommand.run(command, Map.of(), COMMAND_TIMEOUT, privileged, line -> { });
    }

    private void failed(List<String> command, TimedCommand.Result r) {
        counters.commandFailed();
        LOG.warn("'{}' failed ({}): {}", String.join(" ", command),
                r.timedOut() ? "killed after " + COMMAND_TIMEOUT.toSeconds() + " s" : "exit status " + r.exitStatus(),
                r.outputLine());
    }
}
