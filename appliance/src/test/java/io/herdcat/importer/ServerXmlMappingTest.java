package io.herdcat.importer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.herdcat.config.NodeConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** server.xml mappings: connectors, jvmRoute, and the Cluster element. */
class ServerXmlMappingTest {
    private static final String WORKERS = """
            worker.list=lb
            worker.n1.port=8009
            worker.n2.port=8010
            worker.lb.type=lb
            worker.lb.balance_workers=n1,n2
            """;

    @TempDir
    Path dir;
    private ImportFixture fx;

    @BeforeEach
    void fixture() throws IOException {
        fx = new ImportFixture(dir);
    }

    private ConfigImport.Result run(String engineAttrs, String connectors, String engineBody) throws IOException {
        Path xml = fx.write("server.xml", "<?xml version=\"1.0\"?>\n<Server port=\"-1\">\n  <Service name=\"C\">\n"
                + connectors + "\n    <Engine name=\"C\" defaultHost=\"localhost\"" + engineAttrs + ">\n"
                + engineBody + "\n    </Engine>\n  </Service>\n</Server>\n");
        ConfigImport.Result r = ConfigImport.run(fx.write("workers.properties", WORKERS), null, xml, false);
        fx.loadsAll(r);
        return r;
    }

    @Test
    void connectorsGoToTheNodeOfTheJvmRoute() throws IOException {
        ConfigImport.Result r = run(" jvmRoute=\"n2\"", """
                    <Connector port="8181" address="127.0.0.1" protocol="HTTP/1.1" redirectPort="8443"
                               keystorePass="hunter2"/>
                    <Connector port="8019" address="127.0.0.2" protocol="AJP/1.3" secret="xyz" packetSize="32768"
                               connectionTimeout="300000"/>
                """, "");
        NodeConfig n2 = fx.load(r, "n2");
        assertEquals(8181, n2.http().port());
        assertEquals(InetAddress.getByName("127.0.0.1"), n2.http().address());
        assertEquals(8019, n2.ajp().port());
        assertEquals(InetAddress.getByName("127.0.0.2"), n2.ajp().address());
        assertEquals("xyz", n2.ajpSecret().value());
        assertEquals(32768, n2.ajpPacketSize());
        assertEquals(Duration.ofMinutes(5), n2.ajpConnectionTimeout());
        assertTrue(r.files().get("n2.properties").contains("the workers file said 8010"));
        NodeConfig n1 = fx.load(r, "n1");
        assertEquals(8009, n1.ajp().port());
        assertEquals(8080, n1.http().port());
        assertTrue(ImportFixture.listed(r, "HTTP Connector redirectPort=8443"));
        assertTrue(ImportFixture.listed(r, "HTTP Connector keystorePass=(hidden)"));
        assertTrue(r.files().values().stream().noneMatch(t -> t.contains("hunter2")), "passwords stay out");
        assertTrue(r.notImported().stream().noneMatch(t -> t.contains("hunter2")), "passwords stay out");
    }

    @Test
    void withoutJvmRouteTheConnectorsGoToEveryNode() throws IOException {
        ConfigImport.Result r = run("", "    <Connector port=\"8282\"/>\n"
                + "    <Connector port=\"8443\" SSLEnabled=\"true\" protocol=\"HTTP/1.1\"/>", "");
        assertEquals(8282, fx.load(r, "n1").http().port());
        assertEquals(8282, fx.load(r, "n2").http().port());
        assertTrue(ImportFixture.listed(r, "TLS Connector port=8443 -- TLS is served by the front"));
    }

    @Test
    void ajpConnectionTimeoutIsRaisedAboveThePoolsIdleTimeout() throws IOException {
        ConfigImport.Result r = run(" jvmRoute=\"n1\"",
                "    <Connector port=\"8009\" protocol=\"AJP/1.3\" secret=\"s\" connectionTimeout=\"20000\"/>", "");
        assertTrue(fx.load(r, "n1").ajpConnectionTimeout().compareTo(Duration.ofSeconds(60)) > 0);
        assertTrue(r.files().get("n1.properties").contains("connectionTimeout=20000 ms; it must outlast"));
    }

    @Test
    void clusterManagerReceiverDropTimeAndChannelSendOptions() throws IOException {
        ConfigImport.Result r = run("", "", """
                  <Cluster className="org.apache.catalina.ha.tcp.SimpleTcpCluster" channelSendOptions="8">
                    <Manager className="org.apache.catalina.ha.session.BackupManager" mapSendOptions="6"/>
                    <Channel className="org.apache.catalina.tribes.group.GroupChannel">
                      <Membership className="org.apache.catalina.tribes.membership.McastService"
                                  address="228.0.0.4" port="45564" frequency="500" dropTime="3000"/>
                      <Receiver className="org.apache.catalina.tribes.transport.nio.NioReceiver"
                                address="127.0.0.1" port="4100"/>
                      <Interceptor className="org.apache.catalina.tribes.group.interceptors.EncryptInterceptor"/>
                    </Channel>
                    <Deployer className="org.apache.catalina.ha.deploy.FarmWarDeployer"/>
                  </Cluster>
                """);
        for (String node : List.of("n1", "n2")) {
            NodeConfig c = fx.load(r, node);
            assertEquals(NodeConfig.SessionManagerKind.BACKUP, c.cluster().sessionManager());
            assertEquals(4100, c.cluster().tribesPort());
            assertEquals(InetAddress.getByName("127.0.0.1"), c.cluster().address());
            assertEquals(Duration.ofSeconds(3), c.cluster().silenceTimeout());
            assertTrue(c.deployCluster());
        }
        assertTrue(ImportFixture.listed(r, "Cluster channelSendOptions=8 -- a node always replicates synchronously"));
        assertTrue(ImportFixture.listed(r, "Manager mapSendOptions=6"));
        assertTrue(ImportFixture.listed(r, "multicast membership 228.0.0.4:45564"));
        assertTrue(ImportFixture.listed(r, "Interceptor EncryptInterceptor -- set secret.file"));
    }

    @Test
    void staticMembersOnDistinctHostsBecomePeersAndAnOffHostReceiverWaitsForTheSecret() throws IOException {
        ConfigImport.Result r = run("", "", """
                  <Cluster className="org.apache.catalina.ha.tcp.SimpleTcpCluster">
                    <Channel className="org.apache.catalina.tribes.group.GroupChannel">
                      <Membership className="org.apache.catalina.tribes.membership.StaticMembershipService">
                        <Member className="org.apache.catalina.tribes.membership.StaticMember" host="10.0.0.6"
                                port="4000" uniqueId="{0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,2}"/>
                        <Member className="org.apache.catalina.tribes.membership.StaticMember" host="10.0.0.7"
                                port="4000" uniqueId="{0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,3}"/>
                      </Membership>
                      <Receiver className="org.apache.catalina.tribes.transport.nio.NioReceiver"
                                address="10.0.0.5" port="4000"/>
                    </Channel>
                  </Cluster>
                """);
        NodeConfig c = fx.load(r, "n1");
        assertEquals(List.of("10.0.0.6:7800", "10.0.0.7:7800"), c.cluster().peers());
        String text = r.files().get("n1.properties");
        assertTrue(text.contains("# cluster.address=10.0.0.5"), text);
        assertFalse(ImportFixture.props(r, "n1").containsKey("cluster.address"));
    }
}
