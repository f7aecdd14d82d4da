package io.herdcat.config;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The default of {@code cluster.size}: with a static {@code peers} list of three or more members, the
 * members it names plus this node when the list leaves it out (so the same list can be given to every
 * node, with or without itself); with fewer, or without peers, 0 (no majority rule: with two nodes a
 * majority is both, so the rule would trade every failover for partition safety — the operator chooses
 * that with an explicit {@code cluster.size=2}). A peer is this node when it has
 * this node's JGroups port and its address is this node's cluster address (or, when that is the
 * wildcard, an address of this host).
 */
final class ClusterSize {
    /** The smallest cluster where a majority survives the loss of one member. */
    private static final int SMALLEST_MAJORITY_RULE = 3;

    private ClusterSize() {
    }

    static int fromPeers(List<String> peers, InetAddress clusterAddress, int jgroupsPort) {
        if (peers.isEmpty()) {
            return 0;
        }
        Set<String> members = new LinkedHashSet<>();
        boolean selfListed = false;
        for (String peer : peers) {
            int colon = peer.lastIndexOf(':');
            String host = peer.substring(0, colon);
            int port = Integer.parseInt(peer.substring(colon + 1));
            InetAddress address = resolve(host);
            members.add((address == null ? host : address.getHostAddress()) + ":" + port);
            selfListed |= port == jgroupsPort && address != null && isSelf(address, clusterAddress);
        }
        int size = members.size() + (selfListed ? 0 : 1);
        return size >= SMALLEST_MAJORITY_RULE ? size : 0;
    }

    private static boolean isSelf(InetAddress peer, InetAddress clusterAddress) {
        if (peer.equals(clusterAddress)) {
            return true;
        }
        if (!clusterAddress.isAnyLocalAddress()) {
            return false;
        }
        try {
            return peer.isLoopbackAddress() || NetworkInterface.getByInetAddress(peer) != null;
        } catch (SocketException e) {
            return false;
        }
    }

    private static InetAddress resolve(String host) {
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        try {
            return InetAddress.getByName(h);
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
