package io.herdcat.cluster;

import io.herdcat.config.NodeConfig.ClusterSettings;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jgroups.protocols.AUTH;
import org.jgroups.protocols.BARRIER;
import org.jgroups.protocols.FD_ALL3;
import org.jgroups.protocols.FD_SOCK2;
import org.jgroups.protocols.FRAG2;
import org.jgroups.protocols.MERGE3;
import org.jgroups.protocols.MFC;
import org.jgroups.protocols.MPING;
import org.jgroups.protocols.NON_BLOCKING_SENDS;
import org.jgroups.protocols.TCP;
import org.jgroups.protocols.TCPPING;
import org.jgroups.protocols.UFC;
import org.jgroups.protocols.UNICAST3;
import org.jgroups.protocols.VERIFY_SUSPECT2;
import org.jgroups.protocols.pbcast.GMS;
import org.jgroups.protocols.pbcast.NAKACK2;
import org.jgroups.protocols.pbcast.STABLE;
import org.jgroups.stack.Configurator;
import org.jgroups.stack.Protocol;

/**
 * The JGroups protocol stack of a node, bottom (transport) first: JGroups' own tcp.xml, with
 * discovery chosen by configuration, failure detection tuned (a killed process leaves the view in
 * about {@code crash.timeout}, a silent one within 1.3 × {@code silence.timeout}), quick merges after a
 * partition heals, with the larger side first in the merged view ({@link MergeOrder}), every message
 * sealed right above the transport ({@link MessageSeal}: encrypted and authenticated, headers
 * included, replays refused) and joins proven with {@link HmacAuthToken}.
 */
final class JGroupsStack {
    /** A discovery answer from a running cluster on a LAN takes milliseconds; see {@link QuietDiscoveryWindow}. */
    static final long QUIET_DISCOVERY_MILLIS = 200;

    private JGroupsStack() {
    }

    static List<Protocol> build(ClusterSettings cs, Path discoveryRoot, String node, RejectedMessages rejected) {
        // every address the stack uses is set below (the transport's and failure detection's bind address,
        // the multicast group), so JGroups' scan of every protocol's fields and methods for default
        // addresses, reflection over their annotations on the join's path, is skipped
        Configurator.skipSettingDefaultValues(true);
        List<Protocol> stack = new ArrayList<>();
        TCP tcp = new TCP();
        tcp.setBindAddress(cs.address());
        tcp.setBindPort(cs.jgroupsPort());
        tcp.setPortRange(0);
        stack.add(tcp);
        stack.add(new NON_BLOCKING_SENDS());
        stack.add(new MessageSeal(cs.secret(), cs.name(), rejected, new SecretMismatchDetector(node)));
        stack.add(discovery(cs, discoveryRoot));
        if (cs.discovery() != ClusterSettings.Discovery.FOLDER) {
            // a lone node forms its cluster once nobody at all has answered or asked in this time; the folder
            // needs no window: what a node reads there under the folder's join lock is complete
            stack.add(new QuietDiscoveryWindow(QUIET_DISCOVERY_MILLIS));
        }

        MERGE3 merge = new MERGE3();
        // partitions that heal (or nodes that still missed each other) merge within about 3 s
        merge.setMinInterval(500);
        merge.setMaxInterval(1500);
        stack.add(merge);
        FD_SOCK2 fdSock = new FD_SOCK2();
        fdSock.setBindAddress(cs.address());
        stack.add(fdSock);
        long silence = cs.silenceTimeout().toMillis();
        stack.add(new FD_ALL3().setTimeout(silence).setInterval(Math.max(100, silence / 5)));
        stack.add(new VERIFY_SUSPECT2().setTimeout(cs.crashTimeout().toMillis()));
        stack.add(new BARRIER());
        stack.add(new NAKACK2().useMcastXmit(false));
        stack.add(new UNICAST3());
        stack.add(new STABLE());
        AUTH auth = new AUTH();
        HmacAuthToken token = new HmacAuthToken(cs.secret().derive("herdcat/jgroups-auth"), rejected);
        token.setAuth(auth);
        stack.add(auth.setAuthToken(token));
        GMS gms = new GMS();
        // how long a joiner that has heard someone waits for a coordinator's answer, and for its JOIN's
        // (a busy coordinator of a starting host can take a while); nodes that find no coordinator but each
        // other retry every 300 ms until the lowest of them has formed the cluster
        gms.setJoinTimeout(1000);
        gms.setMaxJoinAttempts(10);
        gms.setValue("all_clients_retry_timeout", 300);
        gms.printLocalAddress(false);
        // a healed partition's view lists the larger side first, so its front stays where it was
        gms.setMembershipChangePolicy(new MergeOrder());
        stack.add(gms);
        stack.add(new MFC());
        stack.add(new UFC());
        stack.add(new FRAG2());
        return stack;
    }

    private static Protocol discovery(ClusterSettings cs, Path discoveryRoot) {
        return switch (cs.discovery()) {
            case FOLDER -> {
                FolderDiscovery ping = new FolderDiscovery();
                ping.setLocation(discoveryRoot.toAbsolutePath().toString());
                // a killed coordinator leaves its file behind: the next coordinator clears stale ones
                ping.removeAllDataOnViewChange(true);
                ping.writeDataOnFind(true);
                yield ping;
            }
            case PEERS -> {
                TCPPING ping = new TCPPING();
                ping.setInitialHosts(Arrays.asList(cs.peers().stream().map(JGroupsStack::socketAddress)
                        .toArray(InetSocketAddress[]::new)));
                yield ping;
            }
            case MULTICAST -> {
                MPING ping = new MPING();
                ping.setBindAddr(cs.address());
                // JGroups' default group, named here since its scan for default addresses is skipped
                ping.setMcastAddr(multicastGroup(cs.address()));
                yield ping;
            }
        };
    }

    private static InetAddress multicastGroup(InetAddress bindAddress) {
        try {
            return InetAddress.getByName(bindAddress instanceof Inet6Address ? "ff0e::5:6:7" : "232.5.6.7");
        } catch (UnknownHostException e) {
            throw new IllegalStateException("a literal address did not parse", e);
        }
    }

    private static InetSocketAddress socketAddress(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        return new InetSocketAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
    }
}
