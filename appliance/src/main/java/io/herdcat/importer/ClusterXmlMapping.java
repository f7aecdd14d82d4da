package io.herdcat.importer;

import io.herdcat.config.Setting;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A Tomcat {@code <Cluster>} on every node: its Manager picks {@code session.manager}, static members
 * become {@code peers} (multicast membership is Herdcat's default too), the Receiver's port and
 * address become {@code tribes.port} and {@code cluster.address}, McastService's dropTime the
 * closest {@code cluster.silence.timeout}, a FarmWarDeployer {@code deploy.cluster}. The rest,
 * {@code channelSendOptions} among it, is listed: Herdcat's replication is not configurable there.
 */
final class ClusterXmlMapping {
    private static final int JGROUPS_PORT = 7800;

    private ClusterXmlMapping() {
    }

    static void apply(XmlElement cluster, List<NodeFile> nodes, List<Unmapped> shared) {
        for (Map.Entry<String, String> a : cluster.attributes().entrySet()) {
            switch (a.getKey()) {
                case "className" -> { }
                case "channelSendOptions" -> shared.add(new Unmapped(cluster.source(), "Cluster channelSendOptions="
                        + a.getValue(), "a node always replicates synchronously with acknowledgement (the "
                        + "\"synchronous,use_ack\" options), so a request's session changes reach the other nodes "
                        + "before its response is sent; there is no asynchronous mode"));
                default -> shared.add(new Unmapped(cluster.source(), "Cluster " + Unmapped.shown(a.getKey(), a.getValue()),
                        "no equivalent"));
            }
        }
        for (XmlElement c : cluster.children()) {
            switch (c.name()) {
                case "Manager" -> manager(c, nodes, shared);
                case "Channel" -> channel(c, nodes, shared);
                case "Deployer" -> deployer(c, nodes, shared);
                case "Valve", "ClusterListener" -> shared.add(new Unmapped(c.source(), "<" + c.name() + " "
                        + c.simpleClassName() + ">", "built in: a node replicates after every request and moves "
                        + "a session's route when it takes the session over"));
                default -> shared.add(new Unmapped(c.source(), "<" + c.name() + ">", "no equivalent"));
            }
        }
    }

    private static void manager(XmlElement m, List<NodeFile> nodes, List<Unmapped> shared) {
        String kind = m.simpleClassName();
        String value = kind.equals("BackupManager") ? "backup" : kind.equals("DeltaManager") ? "delta" : null;
        if (value == null) {
            shared.add(new Unmapped(m.source(), "Manager " + kind, "session.manager is delta or backup"));
        } else {
            nodes.forEach(n -> n.set(Setting.SESSION_MANAGER, value, m.source()));
        }
        m.attributes().forEach((k, v) -> {
            if (!k.equals("className")) {
                shared.add(new Unmapped(m.source(), "Manager " + Unmapped.shown(k, v), "the node sets its manager up itself"));
            }
        });
    }

    private static void channel(XmlElement channel, List<NodeFile> nodes, List<Unmapped> shared) {
        List<XmlElement> members = new ArrayList<>();
        for (XmlElement c : channel.children()) {
            switch (c.name()) {
                case "Membership" -> membership(c, nodes, shared, members);
                case "Receiver" -> receiver(c, nodes, shared);
                case "Interceptor" -> interceptor(c, shared, members);
                default -> shared.add(new Unmapped(c.source(), "<" + c.name() + " " + c.simpleClassName() + ">",
                        "the node's channel is set up by the node"));
            }
        }
        if (!members.isEmpty()) {
            peers(members, nodes, shared);
        }
    }

    private static void membership(XmlElement m, List<NodeFile> nodes, List<Unmapped> shared,
                                   List<XmlElement> members) {
        if (m.simpleClassName().startsWith("StaticMembership")) {
            for (XmlElement c : m.children()) {
                if (c.name().equals("Member")) {
                    members.add(c);
                } else {
                    shared.add(new Unmapped(c.source(), "<" + c.name() + ">", "a node's identity in the cluster is "
                            + "its name; its address is cluster.address"));
                }
            }
            return;
        }
        StringBuilder given = new StringBuilder();
        m.attributes().forEach((k, v) -> {
            if (!k.equals("className") && !k.equals("dropTime")) {
                given.append(' ').append(Unmapped.shown(k, v));
            }
        });
        shared.add(new Unmapped(m.source(), "multicast membership " + m.attribute("address").orElse("228.0.0.4")
                + ":" + m.attribute("port").orElse("45564") + " (" + given.toString().trim() + ")",
                "nodes find each other by JGroups multicast by default, on their own group; only the cluster name "
                + "(setting cluster) separates clusters"));
        m.attribute("dropTime").ifPresent(t -> nodes.forEach(n -> n.set(Setting.SILENCE_TIMEOUT, t + "ms",
                m.source(), "dropTime: a member silent this long is dropped; a node notices within 1.3x")));
    }

    private static void interceptor(XmlElement i, List<Unmapped> shared, List<XmlElement> members) {
        String kind = i.simpleClassName();
        if (kind.equals("StaticMembershipInterceptor")) {
            members.addAll(i.children("Member"));
            return;
        }
        String reason = switch (kind) {
            case "EncryptInterceptor" -> "set secret.file (the same file on every node): cluster traffic is then "
                    + "authenticated and encrypted";
            case "TcpFailureDetector", "TcpPingInterceptor" -> "failures are detected by the membership "
                    + "(cluster.crash.timeout, cluster.silence.timeout)";
            default -> "the node's channel is set up by the node";
        };
        shared.add(new Unmapped(i.source(), "Interceptor " + kind, reason));
    }

    private static void receiver(XmlElement r, List<NodeFile> nodes, List<Unmapped> shared) {
        r.attribute("port").ifPresent(p -> nodes.forEach(n -> n.set(Setting.TRIBES_PORT, p, r.source())));
        String address = r.attribute("address").orElse("auto");
        if (!address.equals("auto")) {
            boolean loopback;
            try {
                loopback = InetAddress.getByName(address).isLoopbackAddress();
            } catch (java.net.UnknownHostException e) {
                loopback = false;
            }
            for (NodeFile n : nodes) {
                if (loopback) {
                    n.set(Setting.CLUSTER_ADDRESS, address, r.source());
                } else {
                    n.suggest(Setting.CLUSTER_ADDRESS, address, r.source(), "set secret.file first: a node sends "
                            + "cluster traffic off the host only authenticated and encrypted");
                }
            }
        }
        r.attributes().forEach((k, v) -> {
            if (!Set.of("className", "port", "address").contains(k)) {
                shared.add(new Unmapped(r.source(), "Receiver " + Unmapped.shown(k, v), "the node sets its receiver up itself"));
            }
        });
    }

    private static void peers(List<XmlElement> members, List<NodeFile> nodes, List<Unmapped> shared) {
        Set<String> hosts = new LinkedHashSet<>();
        boolean repeated = false;
        for (XmlElement m : members) {
            String host = m.attribute("host").orElse("");
            repeated |= !hosts.add(host);
        }
        SourceLine at = members.get(0).source();
        if (repeated || hosts.contains("")) {
            shared.add(new Unmapped(at, "static members " + hosts, "several members on one host: peers lists "
                    + "JGroups ports, which the import cannot know; use discovery.dir, or peers with each node's "
                    + "jgroups.port"));
            return;
        }
        List<String> peers = hosts.stream().map(h -> h + ":" + JGROUPS_PORT).toList();
        nodes.forEach(n -> n.set(Setting.PEERS, String.join(",", peers), at, "the static members' hosts with "
                + "JGroups' port (jgroups.port, " + JGROUPS_PORT + "), not their Tribes ports; list every member's "
                + "host, its own too, on every node"));
    }

    private static void deployer(XmlElement d, List<NodeFile> nodes, List<Unmapped> shared) {
        if (d.simpleClassName().equals("FarmWarDeployer")) {
            nodes.forEach(n -> n.set(Setting.DEPLOY_CLUSTER, "true", d.source(), "a WAR dropped into any node's "
                    + "webapps folder is rolled out to every node; needs a webapps folder per node"));
        } else {
            shared.add(new Unmapped(d.source(), "Deployer " + d.simpleClassName(), "no equivalent"));
        }
    }
}
