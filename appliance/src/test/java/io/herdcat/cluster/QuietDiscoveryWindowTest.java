package io.herdcat.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.herdcat.config.ClusterSecret;
import io.herdcat.config.NodeConfig.ClusterSettings;
import io.herdcat.config.NodeConfig.SessionManagerKind;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jgroups.JChannel;
import org.jgroups.protocols.MPING;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Real JGroups channels on loopback: a node that hears nobody has its first discovery ended by the
 * window; a node that hears a running cluster is not cut short and joins it.
 */
@Timeout(value = 1, unit = TimeUnit.MINUTES)
class QuietDiscoveryWindowTest {

    @Test
    void aLoneNodeFormsItsClusterWhenTheWindowHasHeardNobodyAndTheNextOneJoinsIt() throws Exception {
        int portA = freePort();
        int portB = freePort();
        List<String> peers = List.of("127.0.0.1:" + portA, "127.0.0.1:" + portB);
        try (JChannel a = channel("a", portA, peers)) {
            a.connect("quiet-window");
            assertEquals(1, a.getView().size(), "a formed its own cluster");
            assertTrue(window(a).endedEarly(), "nobody was there to hear: the window ended a's discovery");

            try (JChannel b = channel("b", portB, peers)) {
                b.connect("quiet-window");
                assertEquals(2, b.getView().size(), "b joined a's cluster");
                assertEquals(a.getAddress(), b.getView().getCoord(), "a stays coordinator: a join, not a merge");
                assertFalse(window(b).endedEarly(), "b heard a running cluster: its discovery was not cut short");
            }
        }
    }

    /**
     * A peer whose process is up but slow to answer (a node starting at the same moment on a busy host,
     * its JVM still cold) accepts the discovery's connection and says nothing within the window: the
     * discovery is not cut short, so a peer that answers late is still heard.
     */
    @Test
    void aPeerThatAcceptsTheConnectionButHasNotAnsweredYetKeepsTheDiscoveryOpen() throws Exception {
        try (ServerSocket slowPeer = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            int portA = freePort();
            List<String> peers = List.of("127.0.0.1:" + portA, "127.0.0.1:" + slowPeer.getLocalPort());
            try (JChannel a = channel("a", portA, peers)) {
                a.connect("quiet-window");
                assertFalse(window(a).endedEarly(), "a peer took the connection: a waited for its answer");
                assertEquals(1, a.getView().size(), "the peer never answered: a formed its own cluster after all");
            }
        }
    }

    /**
     * Multicast discovery with JGroups' scan for default addresses skipped: the stack names the
     * multicast group itself (without it, MPING has none and the channel cannot start).
     */
    @Test
    void aLoneMulticastNodeUsesJGroupsDefaultGroupAndFormsItsCluster() throws Exception {
        try (JChannel lone = channel("m", freePort(), List.of())) {
            lone.connect("quiet-window-multicast-" + ProcessHandle.current().pid());
            assertEquals(1, lone.getView().size());
            MPING mping = lone.getProtocolStack().findProtocol(MPING.class);
            assertEquals(InetAddress.getByName("232.5.6.7"), mping.getMcastAddr());
            assertTrue(window(lone).endedEarly(), "nobody answered: the window ended the discovery");
        }
    }

    private static JChannel channel(String name, int port, List<String> peers) throws Exception {
        ClusterSettings cs = new ClusterSettings("quiet-window", InetAddress.getLoopbackAddress(), peers, null, 0, port,
                new ClusterSecret("quiet-window-test-secret-0123456789abcdef"), SessionManagerKind.DELTA,
                Duration.ofSeconds(5), Duration.ofSeconds(2), Duration.ofSeconds(10), 0);
        JChannel ch = new JChannel(JGroupsStack.build(cs, null, name, new RejectedMessages(name)));
        ch.name(name);
        return ch;
    }

    private static QuietDiscoveryWindow window(JChannel ch) {
        return ch.getProtocolStack().findProtocol(QuietDiscoveryWindow.class);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
