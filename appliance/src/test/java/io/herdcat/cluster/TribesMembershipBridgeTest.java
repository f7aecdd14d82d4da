package io.herdcat.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.herdcat.config.Activation;
import io.herdcat.config.DispatcherMode;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.catalina.tribes.Member;
import org.apache.catalina.tribes.MembershipService;
import org.apache.catalina.tribes.membership.MemberImpl;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TribesMembershipBridgeTest {
    private final List<MemberImpl> published = new ArrayList<>();
    private TribesMembershipBridge bridge;

    @BeforeEach
    void localMember() {
        bridge = new TribesMembershipBridge("a", NodeRecord.sessionFormat("11.0.21", 1), published::add);
        bridge.setLocalMemberProperties("127.0.0.1", 4000, -1, -1);
        bridge.start(MembershipService.MBR_RX);
    }

    private static NodeRecord record(String name, String version, NodeRecord.Phase phase, int tribesPort)
            throws IOException {
        return record(name, version, "11.0.21", 1, phase, tribesPort);
    }

    private static NodeRecord record(String name, String herdcat, String tomcat, int replicationFormat,
                                     NodeRecord.Phase phase, int tribesPort) throws IOException {
        MemberImpl m = new MemberImpl("127.0.0.1", tribesPort, 0);
        m.setUniqueId(new byte[] {(byte) tribesPort, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15});
        return new NodeRecord(name, 1, phase, "127.0.0.1", 8009, 8080, 9080, "127.0.0.1", tribesPort, m.getData(),
                1, Activation.ACTIVE, DispatcherMode.AUTO, herdcat, tomcat, List.of(), Instant.EPOCH, replicationFormat);
    }

    private void view(NodeRecord... others) {
        List<String> names = new ArrayList<>(List.of("a"));
        for (NodeRecord r : others) {
            names.add(r.name());
        }
        bridge.clusterChanged(new ClusterView(1, names, List.of(others), false));
    }

    @Test
    void publishesItsOwnTribesMemberWhenReplicationStarts() {
        assertEquals(1, published.size());
        assertEquals(4000, published.get(0).getPort());
    }

    @Test
    void anotherHerdcatVersionWithTheSameTomcatAndReplicationFormatExchangesSessions() throws IOException {
        view(record("b", "1.0", NodeRecord.Phase.READY, 4001), record("c", "2.0", NodeRecord.Phase.READY, 4002));
        assertEquals(2, bridge.getMembers().length, "a rolling restart to a new Herdcat keeps replication");
        assertEquals(Set.of(), bridge.refusedNodes());
    }

    @Test
    void aNodeWithAnotherTomcatOrReplicationFormatIsNeverAReplicationMemberAndIsListed() throws IOException {
        view(record("b", "1.0", "11.0.21", 1, NodeRecord.Phase.READY, 4001),
                record("c", "1.0", "11.0.22", 1, NodeRecord.Phase.READY, 4002),
                record("d", "1.0", "11.0.21", 2, NodeRecord.Phase.READY, 4003));
        assertEquals(1, bridge.getMembers().length);
        assertEquals(4001, bridge.getMembers()[0].getPort());
        assertEquals(Set.of("c", "d"), bridge.refusedNodes());
    }

    @Test
    void whileStartingOnlyReadyNodesCountAndOnceOpenStartingOnesDoToo() throws IOException {
        NodeRecord starting = record("b", "1.0", NodeRecord.Phase.STARTING, 4001);
        view(starting);
        assertEquals(0, bridge.getMembers().length, "a starting node never waits for another starting node");
        bridge.open();
        assertEquals(1, bridge.getMembers().length, "a running node replicates to a starting one");
    }

    @Test
    void afterAMergeItFetchesTheSessionsOfEachMemberThatServedApartOnce() throws IOException {
        List<Member> pulls = new ArrayList<>();
        bridge.onServingMemberAdded(pulls::add);
        bridge.open();
        NodeRecord b = record("b", "1.0", NodeRecord.Phase.READY, 4001);
        view(b);
        assertEquals(List.of(), pulls, "a member that joins normally has nothing this node lacks");
        bridge.clusterChanged(new ClusterView(2, List.of("a", "b"), List.of(b), true));
        assertEquals(1, pulls.size());
        assertEquals(4001, pulls.get(0).getPort());
        view(b);
        assertEquals(1, pulls.size(), "once per merge");
    }

    @Test
    void nodeThatLeavesTheViewStopsBeingAMember() throws IOException {
        view(record("b", "1.0", NodeRecord.Phase.READY, 4001), record("c", "1.0", NodeRecord.Phase.READY, 4002));
        assertEquals(2, bridge.getMembers().length);
        view(record("c", "1.0", NodeRecord.Phase.READY, 4002));
        assertEquals(1, bridge.getMembers().length);
        assertEquals(4002, bridge.getMembers()[0].getPort());
    }
}
