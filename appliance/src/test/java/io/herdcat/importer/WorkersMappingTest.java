package io.herdcat.importer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.herdcat.config.Activation;
import io.herdcat.config.ConfigException;
import io.herdcat.config.NodeConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One test per workers.properties mapping; every generated file is loaded through NodeConfig. */
class WorkersMappingTest {
    private static final String TWO = """
            worker.list=lb
            worker.a.host=10.0.0.5
            worker.a.port=8109
            worker.b.port=8209
            worker.lb.type=lb
            worker.lb.balance_workers=a,b
            """;

    @TempDir
    Path dir;
    private ImportFixture fx;

    @BeforeEach
    void fixture() throws IOException {
        fx = new ImportFixture(dir);
    }

    private ConfigImport.Result run(String workers) throws IOException {
        ConfigImport.Result r = fx.importWorkers(workers);
        fx.loadsAll(r);
        return r;
    }

    @Test
    void lbMembersBecomeNodesNamedByRouteWithTheirAjpPort() throws IOException {
        ConfigImport.Result r = run(TWO + "worker.b.route=bee\n");
        assertEquals(List.of("a.properties", "bee.properties"), List.copyOf(r.files().keySet()));
        NodeConfig a = fx.load(r, "a");
        assertEquals("a", a.name());
        assertEquals(8109, a.ajp().port());
        assertTrue(r.files().get("a.properties").contains("mod_jk reached this Tomcat at 10.0.0.5:8109"));
        assertEquals(8209, fx.load(r, "bee").ajp().port());
    }

    @Test
    void keepingTheTomcatsListsThemInFrontNodes() throws IOException {
        Path workers = fx.write("workers.properties", TWO + "worker.a.secret=abc123\nworker.b.secret=abc123\n"
                + "worker.b.lbfactor=3\n");
        ConfigImport.Result r = ConfigImport.run(workers, null, null, true);
        NodeConfig front = fx.load(r, "herdcat");
        assertEquals(List.of(new NodeConfig.StaticNode("a", "10.0.0.5", 8109),
                new NodeConfig.StaticNode("b", "localhost", 8209)), front.frontSettings().staticNodes());
        assertEquals("abc123", front.ajpSecret().value());
        assertTrue(ImportFixture.listed(r, "b weight=3"), r.notImported().toString());
    }

    @Test
    void keepingTheTomcatsWithoutASecretLeavesFrontNodesCommentedOut() throws IOException {
        Path workers = fx.write("workers.properties", TWO);
        ConfigImport.Result r = ConfigImport.run(workers, null, null, true);
        assertFalse(ImportFixture.props(r, "herdcat").containsKey("front.nodes"));
        assertTrue(r.files().get("herdcat.properties").contains("# front.nodes=a=10.0.0.5:8109,b=localhost:8209"));
        assertTrue(fx.load(r, "herdcat").frontSettings().staticNodes().isEmpty());
    }

    @Test
    void lbfactorBecomesWeightAndIsScaledWhenAboveHundred() throws IOException {
        ConfigImport.Result r = run(TWO + "worker.a.lbfactor=3\n");
        assertEquals(3, fx.load(r, "a").weight());
        assertEquals(1, fx.load(r, "b").weight());

        r = run(TWO + "worker.a.lbfactor=1000\nworker.b.lbfactor=250\n");
        assertEquals(100, fx.load(r, "a").weight());
        assertEquals(25, fx.load(r, "b").weight());
        assertTrue(r.files().get("b.properties").contains("lbfactor 250 scaled"));
    }

    @Test
    void activationAndTheOlderDisabledAndStopped() throws IOException {
        ConfigImport.Result r = run(TWO + "worker.a.activation=D\nworker.b.activation=s\n");
        assertEquals(Activation.DISABLED, fx.load(r, "a").activation());
        assertEquals(Activation.STOPPED, fx.load(r, "b").activation());

        r = run(TWO + "worker.a.disabled=true\nworker.b.stopped=1\n");
        assertEquals(Activation.DISABLED, fx.load(r, "a").activation());
        assertEquals(Activation.STOPPED, fx.load(r, "b").activation());
    }

    @Test
    void stickySessionForceMapsAndStickySessionOffIsListed() throws IOException {
        ConfigImport.Result r = run(TWO + "worker.lb.sticky_session_force=True\n");
        assertTrue(fx.load(r, "a").frontSettings().stickyForce());
        assertFalse(ImportFixture.listed(r, "sticky_session"));

        r = run(TWO + "worker.lb.sticky_session=false\n");
        assertFalse(fx.load(r, "a").frontSettings().stickyForce());
        assertTrue(ImportFixture.listed(r, "worker.lb.sticky_session=false -- the front always sends a session's requests"));
    }

    @Test
    void methodMapsByItsFirstLetterAndSessionsAndNextGetTheClosest() throws IOException {
        for (String[] c : new String[][] {{"Request", "requests"}, {"T", "traffic"}, {"busyness", "busyness"},
                {"Sessions", "requests"}, {"N", "busyness"}}) {
            ConfigImport.Result r = run(TWO + "worker.lb.method=" + c[0] + "\n");
            assertEquals(c[1], fx.load(r, "a").frontSettings().balanceMethod(), c[0]);
        }
        ConfigImport.Result r = run(TWO + "worker.lb.method=S\n");
        assertTrue(r.files().get("a.properties").contains("mod_jk's Sessions counts new sessions"));
    }

    @Test
    void secretOfTheMemberOrHandedDownFromTheLb() throws IOException {
        ConfigImport.Result r = run(TWO + "worker.lb.secret=from-lb\nworker.b.secret=own\n");
        assertEquals("from-lb", fx.load(r, "a").ajpSecret().value());
        assertEquals("own", fx.load(r, "b").ajpSecret().value());
        assertFalse(r.notImported().stream().anyMatch(l -> l.contains("from-lb") || l.contains("own")),
                "secrets are not shown: " + r.notImported());
    }

    @Test
    void connectionPoolSizeAndTimeout() throws IOException {
        ConfigImport.Result r = run(TWO + "worker.a.connection_pool_size=64\nworker.a.connection_pool_timeout=30\n"
                + "worker.b.cachesize=8\nworker.b.connection_pool_timeout=600\n");
        NodeConfig a = fx.load(r, "a");
        assertEquals(64, a.frontSettings().poolSize());
        assertEquals(Duration.ofSeconds(30), a.frontSettings().poolIdleTimeout());
        NodeConfig b = fx.load(r, "b");
        assertEquals(8, b.frontSettings().poolSize());
        assertEquals(Duration.ofSeconds(600), b.frontSettings().poolIdleTimeout());
        assertTrue(b.ajpConnectionTimeout().compareTo(Duration.ofSeconds(600)) > 0, "outlasts the pool");

        r = run(TWO + "worker.a.connection_pool_timeout=0\n");
        assertEquals(Duration.ofSeconds(60), fx.load(r, "a").frontSettings().poolIdleTimeout());
        assertTrue(ImportFixture.listed(r, "worker.a.connection_pool_timeout=0 -- idle connections are never closed"));
    }

    @Test
    void pingModePrepostChecksBeforeEveryRequestAndTheRestIsListed() throws IOException {
        ConfigImport.Result r = run(TWO + "worker.a.ping_mode=CP\nworker.a.ping_timeout=2000\n"
                + "worker.b.ping_mode=I\n");
        assertEquals(Duration.ZERO, fx.load(r, "a").frontSettings().pingAfter());
        assertTrue(ImportFixture.listed(r, "worker.a.ping_timeout=2000 -- the CPing wait is not tunable"));
        assertEquals(Duration.ofSeconds(5), fx.load(r, "b").frontSettings().pingAfter());
        assertTrue(ImportFixture.listed(r, "worker.b.ping_mode=I -- the front does not CPing idle connections"));
        assertThrows(ConfigException.class, () -> fx.importWorkers(TWO + "worker.a.ping_mode=X\n"));
    }

    @Test
    void maxPacketSizeIsAlignedLikeModJk() throws IOException {
        ConfigImport.Result r = run(TWO + "worker.a.max_packet_size=65536\nworker.b.max_packet_size=20000\n");
        assertEquals(65536, fx.load(r, "a").ajpPacketSize());
        assertEquals(20480, fx.load(r, "b").ajpPacketSize());
        assertTrue(r.files().get("b.properties").contains("mod_jk rounds 20000 up"));
    }

    @Test
    void replyTimeoutBecomesTheFrontsWithItsDifferenceSaid() throws IOException {
        ConfigImport.Result r = run(TWO + "worker.a.reply_timeout=90000\n");
        assertEquals(Duration.ofSeconds(90), fx.load(r, "a").frontSettings().replyTimeout());
        assertTrue(r.files().get("a.properties").contains("between any two packets"));
    }

    @Test
    void referencesVariablesAndRepeatedListsAreReadLikeModJk() throws IOException {
        ConfigImport.Result r = run("""
                base=81
                worker.list=lb
                worker.tpl.port=$(base)09
                worker.tpl.lbfactor=4
                worker.tpl.socket_keepalive=true
                worker.a.reference=worker.tpl
                worker.b.reference=worker.tpl
                worker.b.port=8209   # own port wins over the template's
                worker.lb.type=lb
                worker.lb.balance_workers=a
                worker.lb.balance_workers=b
                """);
        assertEquals(8109, fx.load(r, "a").ajp().port());
        assertEquals(8209, fx.load(r, "b").ajp().port());
        assertEquals(4, fx.load(r, "b").weight());
        assertTrue(ImportFixture.listed(r, "a: workers.properties:5: worker.a.socket_keepalive=true"), r.notImported().toString());
        assertTrue(ImportFixture.listed(r, "workers.properties:1: base -- not a worker attribute"));
        assertFalse(ImportFixture.listed(r, "worker tpl"), "a template is used, not unused");
    }

    @Test
    void otherWorkersAndGlobalsAreListedWithTheirReason() throws IOException {
        ConfigImport.Result r = run(TWO.replace("worker.list=lb", "worker.list=lb,jk\nworker.list=solo")
                + "worker.jk.type=status\nworker.solo.port=8309\nworker.spare.port=8409\nworker.maintain=30\n"
                + "worker.lb.retries=3\n");
        assertTrue(ImportFixture.listed(r, "workers.properties:1: status worker jk -- use 'herdcat status'"), r.notImported().toString());
        assertTrue(ImportFixture.listed(r, "solo: workers.properties:2: worker solo -- mounted on its own"));
        assertEquals(8309, fx.load(r, "solo").ajp().port());
        assertTrue(ImportFixture.listed(r, "worker spare -- not in worker.list"));
        assertTrue(ImportFixture.listed(r, "worker.maintain -- the front watches nodes"));
        assertTrue(ImportFixture.listed(r, "worker.lb.retries=3 -- the front retries"));
        String a = r.files().get("a.properties");
        assertTrue(a.contains("# Not imported") && a.contains("worker.lb.retries=3"), a);
    }

    @Test
    void mountsToTheLbNeedNothingAndTheRestIsListed() throws IOException {
        Path workers = fx.write("workers.properties", TWO.replace("worker.list=lb", "worker.list=lb,jkstatus")
                + "worker.jkstatus.type=status\nworker.lb.mount=/shop/*\n");
        Path map = fx.write("uriworkermap.properties", """
                /app/*=lb
                !/app/*.png=lb
                -/old/*=lb
                /jkstatus=jkstatus
                """);
        ConfigImport.Result r = ConfigImport.run(workers, map, null, false);
        fx.loadsAll(r);
        assertFalse(ImportFixture.listed(r, "/app/*=lb --"));
        assertFalse(ImportFixture.listed(r, "/shop/*"));
        assertTrue(ImportFixture.listed(r, "uriworkermap.properties:2: mount !/app/*.png=lb -- the front forwards every path"));
        assertTrue(ImportFixture.listed(r, "uriworkermap.properties:3: mount -/old/*=lb -- disabled"));
        assertTrue(ImportFixture.listed(r, "uriworkermap.properties:4: mount /jkstatus=jkstatus -- its worker is not a node"));
    }

    @Test
    void everyListedItemIsInEveryFileAndOnTheList() throws IOException {
        ConfigImport.Result r = run(TWO + "worker.a.socket_timeout=10\n");
        assertTrue(ImportFixture.listed(r, "a: workers.properties:7: worker.a.socket_timeout=10 -- no per-socket timeout"));
        Properties b = ImportFixture.props(r, "b");
        assertFalse(b.toString().contains("socket_timeout"));
        assertFalse(r.files().get("b.properties").contains("socket_timeout"), "a's attribute is a's alone");
    }

    @Test
    void eachLbOfSeveralIsItsOwnCluster() throws IOException {
        ConfigImport.Result r = run(TWO.replace("worker.list=lb", "worker.list=lb,shop")
                + "worker.c.port=8309\nworker.shop.type=lb\nworker.shop.balance_workers=c\n");
        assertEquals("lb", fx.load(r, "a").cluster().name());
        assertEquals("lb", fx.load(r, "b").cluster().name());
        assertEquals("shop", fx.load(r, "c").cluster().name());
        assertEquals("herdcat", fx.load(run(TWO), "a").cluster().name());
    }
}
