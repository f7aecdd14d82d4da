package io.herdcat.importer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.herdcat.config.Activation;
import io.herdcat.config.NodeConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real configurations: the ones the benchmarks give httpd + mod_jk and stock Tomcats, a stock Tomcat 11
 * server.xml with its cluster turned on, and the sample files of the mod_jk distribution.
 */
class SampleConfigurationsTest {
    @TempDir
    Path dir;
    private ImportFixture fx;

    @BeforeEach
    void fixture() throws IOException {
        fx = new ImportFixture(dir);
    }

    @Test
    void benchFrontWorkersWithAStockTomcat11ClusterServerXml() throws IOException {
        ConfigImport.Result r = ConfigImport.run(fx.resource("bench-front-workers.properties"), null,
                fx.resource("tomcat11-cluster-server.xml"), false);
        fx.loadsAll(r);
        assertEquals(List.of("node1.properties", "node2.properties"), List.copyOf(r.files().keySet()));
        NodeConfig node1 = fx.load(r, "node1");
        assertEquals(18381, node1.ajp().port());
        assertEquals(InetAddress.getByName("127.0.0.1"), node1.ajp().address());
        assertEquals(8080, node1.http().port());
        assertEquals("s3cret-ajp-value", node1.ajpSecret().value());
        assertEquals(16384, node1.ajpPacketSize());
        assertEquals(Duration.ofMinutes(3), node1.ajpConnectionTimeout());
        assertEquals(4000, node1.cluster().tribesPort());
        assertEquals(NodeConfig.SessionManagerKind.DELTA, node1.cluster().sessionManager());
        assertTrue(node1.deployCluster());
        NodeConfig node2 = fx.load(r, "node2");
        assertEquals(18382, node2.ajp().port());
        assertEquals(4000, node2.cluster().tribesPort());
        assertTrue(ImportFixture.listed(r, "status worker status"));
        assertTrue(ImportFixture.listed(r, "Cluster channelSendOptions=8"));
        assertTrue(ImportFixture.listed(r, "Valve ReplicationValve"));
        assertTrue(ImportFixture.listed(r, "Host localhost appBase=webapps"));
        assertTrue(ImportFixture.listed(r, "<Listener VersionLoggerListener>"));
        assertTrue(ImportFixture.listed(r, "<GlobalNamingResources"));
        assertTrue(ImportFixture.listed(r, "Server port=8005"));
    }

    @Test
    void benchUpgradeWorkersWithItsStaticMembershipServerXml() throws IOException {
        ConfigImport.Result r = ConfigImport.run(fx.resource("bench-workers.properties"), null,
                fx.resource("bench-tomcat1-server.xml"), false);
        fx.loadsAll(r);
        assertEquals(List.of("tomcat1.properties", "tomcat2.properties", "tomcat3.properties"),
                List.copyOf(r.files().keySet()));
        NodeConfig t1 = fx.load(r, "tomcat1");
        assertEquals(17561, t1.http().port());
        assertEquals(17571, t1.ajp().port());
        assertEquals(17581, t1.cluster().tribesPort());
        assertEquals(Activation.DISABLED, fx.load(r, "tomcat2").activation());
        assertEquals(17572, fx.load(r, "tomcat2").ajp().port());
        assertTrue(ImportFixture.listed(r, "Cluster channelSendOptions=6"));
        assertTrue(ImportFixture.listed(r, "several members on one host"));
        assertTrue(ImportFixture.listed(r, "<LocalMember>"));
    }

    @Test
    void modJkDistributionSamples() throws IOException {
        ConfigImport.Result r = ConfigImport.run(fx.resource("mod_jk-workers.properties"),
                fx.resource("mod_jk-uriworkermap.properties"), null, false);
        fx.loadsAll(r);
        assertEquals(List.of("node1.properties", "node2.properties"), List.copyOf(r.files().keySet()));
        NodeConfig node1 = fx.load(r, "node1");
        assertEquals(8109, node1.ajp().port());
        assertEquals(Activation.ACTIVE, node1.activation());
        assertEquals(Duration.ofSeconds(600), node1.frontSettings().poolIdleTimeout());
        assertEquals(Duration.ZERO, node1.frontSettings().pingAfter());
        assertEquals(Duration.ofSeconds(300), node1.frontSettings().replyTimeout());
        assertEquals(8209, fx.load(r, "node2").ajp().port());
        assertTrue(ImportFixture.listed(r, "worker.balancer.max_reply_timeouts=10"));
        assertTrue(ImportFixture.listed(r, "node2: mod_jk-workers.properties:165: worker.node2.recovery_options=3"),
                r.notImported().toString());
        assertTrue(ImportFixture.listed(r, "status worker jk-manager"));
        assertTrue(ImportFixture.listed(r, "mount !/examples/*.jpg=balancer"));
    }

    @Test
    void debianModJkSample() throws IOException {
        ConfigImport.Result r = ConfigImport.run(fx.resource("debian-workers.properties"), null, null, false);
        fx.loadsAll(r);
        assertEquals(List.of("ajp13_worker.properties"), List.copyOf(r.files().keySet()));
        NodeConfig node = fx.load(r, "ajp13_worker");
        assertEquals(8009, node.ajp().port());
        assertEquals(1, node.weight());
        assertTrue(ImportFixture.props(r, "ajp13_worker").containsKey("weight"), "lbfactor is imported");
        assertTrue(ImportFixture.listed(r, "debian-workers.properties:80: worker ajp13_worker -- mounted on its own"),
                r.notImported().toString());
        assertTrue(ImportFixture.listed(r, "debian-workers.properties:118: worker loadbalancer -- not in worker.list"));
        assertTrue(ImportFixture.listed(r, "debian-workers.properties:66: ps -- not a worker attribute"));
    }
}
