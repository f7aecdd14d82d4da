package io.herdcat.cluster;

import io.herdcat.config.Activation;
import io.herdcat.config.NodeConfig;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.apache.catalina.Cluster;
import org.apache.catalina.ha.ClusterManager;
import org.apache.catalina.ha.tcp.SimpleTcpCluster;
import org.apache.catalina.tribes.Member;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's part in the cluster: its JGroups membership and record, and the Tomcat cluster that
 * replicates its sessions with the members. Order of use: {@link #startJoining()} before Tomcat starts
 * (with {@link #tomcatCluster()} set on the Engine), which then deploys while the node joins: each
 * session manager waits for the view (and the members' records) before its first state transfer, and
 * {@link #awaitJoined()} before Tomcat takes traffic; {@link #ready} once Tomcat serves,
 * {@link #stopping()} before Tomcat stops, {@link #close()} after.
 */
public final class ClusterNode implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterNode.class);
    /** How long a joined node waits for the records of the view's members (normally milliseconds). */
    private static final Duration RECORDS_WAIT = Duration.ofSeconds(5);
    private final ClusterMembership membership;
    private final TribesMembershipBridge bridge;
    private final SimpleTcpCluster tomcatCluster;
    private final ReplicationCounters counters = new ReplicationCounters();
    private final String advertisedHost;
    private final String advertisedHttpHost;
    private final BackgroundJoin join;

    public ClusterNode(NodeConfig config, String herdcatVersion, String tomcatVersion) {
        NodeConfig.ClusterSettings cs = config.cluster();
        InetAddress ajpAddress = config.ajp().address();
        this.advertisedHost = (ajpAddress.isAnyLocalAddress() ? cs.address() : ajpAddress).getHostAddress();
        InetAddress httpAddress = config.http().address();
        this.advertisedHttpHost = (httpAddress.isAnyLocalAddress() ? cs.address() : httpAddress).getHostAddress();
        NodeRecord initial = new NodeRecord(config.name(), 0, NodeRecord.Phase.STARTING, advertisedHost,
                config.ajp().port(), config.http().port(), config.admin().port(), "", 0, new byte[0],
                config.weight(), config.activation(), config.dispatcher(), herdcatVersion, tomcatVersion, List.of(), Instant.now(),
                NodeRecord.REPLICATION_FORMAT, advertisedHttpHost);
        Path discovery = cs.discoveryDir() == null ? Path.of(".") : cs.discoveryDir();
        this.membership = new ClusterMembership(cs, initial, discovery);
        this.bridge = new TribesMembershipBridge(config.name(), initial.sessionFormat(),
                member -> membership.update(r -> r.withTribes(member.getHostname(), member.getPort(), member.getData())));
        membership.addListener(bridge);
        this.join = new BackgroundJoin(config.name());
        this.tomcatCluster = SessionReplication.create(cs, config.name(), bridge, counters, this::awaitView);
        bridge.onServingMemberAdded(this::pullSessionsFrom);
    }

    /** A member that served while this node did may hold sessions this node lacks (fetched in the background). */
    private void pullSessionsFrom(Member member) {
        for (ClusterManager manager : tomcatCluster.getManagers().values()) {
            if (manager instanceof ReplicatingDeltaManager delta) {
                LOG.info("Fetching the sessions of {} from {}: both served while apart", delta.getName(),
                        member.getName());
                delta.pullSessionsFrom(member);
            }
        }
    }

    /** The Tomcat cluster to set on the Engine before Tomcat starts. */
    public Cluster tomcatCluster() {
        return tomcatCluster;
    }

    /** Starts joining the JGroups cluster in the background; {@link #awaitJoined()} waits for the outcome. */
    public void startJoining() {
        join.start(membership::join);
    }

    /**
     * Waits until this node has joined and knows the members' records; throws what made the join fail
     * (a SecurityException when the cluster refused this node).
     */
    public void awaitJoined() throws Exception {
        join.await();
        awaitRecords();
    }

    /** Why the join failed; null while it runs and when it succeeded. */
    public Exception joinFailure() {
        return join.failure();
    }

    /** For a session manager's first state transfer: the view known, or the join over without one. */
    private void awaitView() throws InterruptedException {
        if (join.awaitEnd()) {
            awaitRecords();
        }
    }

    private void awaitRecords() throws InterruptedException {
        if (!membership.awaitRecords(RECORDS_WAIT)) {
            LOG.warn("{}: joined, but the records of {} did not all arrive within {} ms: going on without them",
                    membership.self().name(), membership.view().memberNames(), RECORDS_WAIT.toMillis());
        }
    }

    /** Tomcat serves: publish the actual ports and webapps, and replicate with starting members too. */
    public void ready(int ajpPort, int httpPort, int adminPort, List<NodeRecord.Webapp> webapps) {
        membership.update(r -> r.withEndpoints(advertisedHost, ajpPort, advertisedHttpHost, httpPort, adminPort)
                .withWebapps(webapps).withPhase(NodeRecord.Phase.READY));
        bridge.open();
    }

    /** Publishes the change of the deployed webapps. */
    public void webappsChanged(List<NodeRecord.Webapp> webapps) {
        membership.update(r -> r.withWebapps(webapps));
    }

    public void stopping() {
        membership.update(r -> r.withPhase(NodeRecord.Phase.STOPPING));
    }

    public ClusterView view() {
        return membership.view();
    }

    public NodeRecord self() {
        return membership.self();
    }

    /** Cluster messages this node refused (altered, replayed, foreign, …), by reason. */
    public RejectedMessages rejectedMessages() {
        return membership.rejectedMessages();
    }

    public ReplicationCounters counters() {
        return counters;
    }

    /** Nodes whose sessions this node will not read (another Tomcat version or replication format). */
    public Set<String> incompatibleNodes() {
        return bridge.refusedNodes();
    }

    public boolean requestWeight(String node, int weight) {
        return membership.requestWeight(node, weight);
    }

    public boolean requestActivation(String node, Activation activation) {
        return membership.requestActivation(node, activation);
    }

    public ClusterMembership membership() {
        return membership;
    }

    public boolean requestCountersReset(String node) {
        return membership.requestCountersReset(node);
    }

    public void addListener(ClusterListener listener) {
        membership.addListener(listener);
    }

    @Override
    public void close() {
        membership.close();
    }
}
