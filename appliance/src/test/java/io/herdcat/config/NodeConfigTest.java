package io.herdcat.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeConfigTest {
    @TempDir
    Path dir;

    @BeforeEach
    void webappsFolder() throws IOException {
        Files.createDirectories(dir.resolve("webapps"));
    }

    private NodeConfig config(Map<Setting, String> flags, Map<String, String> env) {
        return NodeConfig.from(ConfigSources.gather(flags, env, dir), "web01.example.org", dir);
    }

    private static Map<Setting, String> flags(Object... pairs) {
        Map<Setting, String> m = new EnumMap<>(Setting.class);
        for (int i = 0; i < pairs.length; i += 2) {
            m.put((Setting) pairs[i], (String) pairs[i + 1]);
        }
        return m;
    }

    @Test
    void flagBeatsEnvironmentBeatsFileBeatsDefault() throws IOException {
        Files.writeString(dir.resolve("herdcat.properties"), "http.port=1001\najp.port=1002\nadmin.port=1003\n");
        NodeConfig c = config(flags(Setting.HTTP_PORT, "3001"),
                Map.of("HERDCAT_HTTP_PORT", "2001", "HERDCAT_AJP_PORT", "2002"));
        assertEquals(3001, c.http().port());
        assertEquals(2002, c.ajp().port());
        assertEquals(1003, c.admin().port());
        assertEquals(Duration.ofSeconds(30), c.shutdownTimeout());
    }

    @Test
    void configFlagChoosesTheFile() throws IOException {
        Files.writeString(dir.resolve("other.properties"), "name=alpha\n");
        assertEquals("alpha", config(flags(Setting.CONFIG, "other.properties"), Map.of()).name());
    }

    @Test
    void missingConfigFileNamesTheSetting() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> config(flags(Setting.CONFIG, "nope.properties"), Map.of()));
        assertTrue(e.getMessage().startsWith("config (flag --config): file "), e.getMessage());
    }

    @Test
    void unknownKeyInFileIsRefusedByName() throws IOException {
        Files.writeString(dir.resolve("herdcat.properties"), "htp.port=8080\n");
        ConfigException e = assertThrows(ConfigException.class, () -> config(flags(), Map.of()));
        assertTrue(e.getMessage().startsWith("unknown key 'htp.port' in "), e.getMessage());
    }

    @Test
    void unknownHerdcatEnvironmentVariableIsRefused() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> config(flags(), Map.of("HERDCAT_HTTP_PROT", "1")));
        assertTrue(e.getMessage().contains("HERDCAT_HTTP_PROT"), e.getMessage());
    }

    @Test
    void portOffsetShiftsEveryNodePortButNeitherTheFrontPortNorPortZero() {
        NodeConfig c = config(flags(Setting.PORT_OFFSET, "1", Setting.ADMIN_PORT, "0"), Map.of());
        assertEquals(8081, c.http().port());
        assertEquals(8010, c.ajp().port());
        assertEquals(0, c.admin().port());
        assertEquals(4001, c.cluster().tribesPort());
        assertEquals(7801, c.cluster().jgroupsPort());
        assertEquals(80, c.front().port());
    }

    @Test
    void outOfRangePortNamesTheKeyAndWhereItCameFrom() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> config(flags(), Map.of("HERDCAT_AJP_PORT", "70000")));
        assertEquals("ajp.port (environment HERDCAT_AJP_PORT): 70000 is out of range; use 0-65535", e.getMessage());
    }

    @Test
    void portShiftedPastTheEndIsRefused() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> config(flags(Setting.ADMIN_PORT, "65000", Setting.PORT_OFFSET, "600"), Map.of()));
        assertTrue(e.getMessage().startsWith("admin.port (flag --admin-port): 65000 + port.offset 600 = 65600"),
                e.getMessage());
    }

    @Test
    void missingWebappsFolderIsRefused() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> config(flags(Setting.WEBAPPS, "missing"), Map.of()));
        assertTrue(e.getMessage().startsWith("webapps (flag --webapps): folder "), e.getMessage());
    }

    @Test
    void durationsReadLikeOperatorsWriteThem() {
        NodeConfig c = config(flags(Setting.SHUTDOWN_TIMEOUT, "1500ms", Setting.DEPLOY_SCAN_INTERVAL, "2m"), Map.of());
        assertEquals(Duration.ofMillis(1500), c.shutdownTimeout());
        assertEquals(Duration.ofMinutes(2), c.deployScanInterval());
        ConfigException e = assertThrows(ConfigException.class,
                () -> config(flags(Setting.SHUTDOWN_TIMEOUT, "soon"), Map.of()));
        assertTrue(e.getMessage().startsWith("shutdown.timeout (flag --shutdown-timeout): 'soon' is not a duration"));
    }

    @Test
    void defaultNameIsTheShortHostNameWithTheOffset() {
        assertEquals("web01", config(flags(), Map.of()).name());
        assertEquals("web01-2", config(flags(Setting.PORT_OFFSET, "2"), Map.of()).name());
        assertEquals(dir.resolve("work").resolve("web01"), config(flags(), Map.of()).workDir());
    }

    @Test
    void nameThatCannotEndASessionIdIsRefused() {
        ConfigException e = assertThrows(ConfigException.class, () -> config(flags(Setting.NAME, "a.b"), Map.of()));
        assertTrue(e.getMessage().startsWith("name (flag --name): 'a.b' is not a usable name"), e.getMessage());
    }

    @Test
    void dispatcherModeMustBeOneOfTheChoices() {
        assertEquals(DispatcherMode.NEVER, config(flags(Setting.DISPATCHER, "never"), Map.of()).dispatcher());
        assertThrows(ConfigException.class, () -> config(flags(Setting.DISPATCHER, "sometimes"), Map.of()));
    }

    @Test
    void ajpSecretIsDerivedFromTheClusterSecretTheSameOnEveryNode() throws IOException {
        Files.writeString(dir.resolve("cluster.secret"), "0123456789abcdef0123456789abcdef\n");
        NodeConfig a = config(flags(Setting.SECRET_FILE, "cluster.secret", Setting.NAME, "a"), Map.of());
        NodeConfig b = config(flags(Setting.SECRET_FILE, "cluster.secret", Setting.NAME, "b"), Map.of());
        assertEquals(AjpSecret.Source.DERIVED, a.ajpSecret().source());
        assertEquals(a.ajpSecret().value(), b.ajpSecret().value());
        assertNotEquals("0123456789abcdef0123456789abcdef", a.ajpSecret().value());
    }

    @Test
    void explicitAjpSecretWinsAndNoneMeansGeneratedPerStart() {
        assertEquals(new AjpSecret("s3cret", AjpSecret.Source.CONFIGURED),
                config(flags(Setting.AJP_SECRET, "s3cret"), Map.of()).ajpSecret());
        AjpSecret one = config(flags(), Map.of()).ajpSecret();
        AjpSecret two = config(flags(), Map.of()).ajpSecret();
        assertEquals(AjpSecret.Source.GENERATED, one.source());
        assertNotEquals(one.value(), two.value());
    }

    @Test
    void shortClusterSecretIsRefused() throws IOException {
        Files.writeString(dir.resolve("cluster.secret"), "short");
        ConfigException e = assertThrows(ConfigException.class,
                () -> config(flags(Setting.SECRET_FILE, "cluster.secret"), Map.of()));
        assertTrue(e.getMessage().contains("shorter than 16 characters"), e.getMessage());
    }

    @Test
    void withoutASecretOnlyLoopbackClusterAddressesAreAccepted() throws IOException {
        assertTrue(config(flags(), Map.of()).cluster().address().isLoopbackAddress());
        ConfigException e = assertThrows(ConfigException.class,
                () -> config(flags(Setting.CLUSTER_ADDRESS, "198.51.100.7"), Map.of()));
        assertTrue(e.getMessage().startsWith("cluster.address (flag --cluster-address): 198.51.100.7 is not a loopback "
                + "address and no cluster secret is set"), e.getMessage());
        Files.writeString(dir.resolve("cluster.secret"), "0123456789abcdef0123456789abcdef\n");
        assertEquals("198.51.100.7", config(flags(Setting.CLUSTER_ADDRESS, "198.51.100.7",
                Setting.SECRET_FILE, "cluster.secret"), Map.of()).cluster().address().getHostAddress());
    }

    @Test
    void peersMustBeHostColonPort() {
        assertEquals(2, config(flags(Setting.PEERS, "198.51.100.2:7800, h3:7800"), Map.of()).cluster().peers().size());
        assertThrows(ConfigException.class, () -> config(flags(Setting.PEERS, "h2"), Map.of()));
    }

    @Test
    void clusterSizeDefaultsToThePeersWithThisNodeFromThreeOn() {
        assertEquals(0, config(flags(), Map.of()).cluster().size(), "no peers: no majority rule");
        assertEquals(3, config(flags(Setting.PEERS, "127.0.0.1:7800,127.0.0.1:7801,127.0.0.1:7802"), Map.of())
                .cluster().size(), "this node (127.0.0.1:7800) is listed");
        assertEquals(3, config(flags(Setting.PEERS, "127.0.0.1:7801, 127.0.0.1:7802"), Map.of()).cluster().size(),
                "this node is not listed: it counts too");
        assertEquals(3, config(flags(Setting.PEERS, "localhost:7800,127.0.0.1:7801,127.0.0.1:7801,127.0.0.1:7802"),
                Map.of()).cluster().size(), "listed by name, and a peer listed twice counts once");
        assertEquals(0, config(flags(Setting.PEERS, "127.0.0.1:7800,127.0.0.1:7801"), Map.of()).cluster().size(),
                "two nodes: no majority rule unless cluster.size asks for one");
        assertEquals(3, config(flags(Setting.PEERS, "127.0.0.1:7800,127.0.0.1:7801", Setting.PORT_OFFSET, "5"),
                Map.of()).cluster().size(), "with port.offset 5 this node is 127.0.0.1:7805");
    }

    @Test
    void clusterSizeIsAWholeNumberAndBeatsThePeers() {
        assertEquals(2, config(flags(Setting.PEERS, "127.0.0.1:7801,127.0.0.1:7802", Setting.CLUSTER_SIZE, "2"),
                Map.of()).cluster().size());
        assertEquals(5, config(flags(Setting.CLUSTER_SIZE, "5"), Map.of()).cluster().size());
        ConfigException zero = assertThrows(ConfigException.class,
                () -> config(flags(Setting.CLUSTER_SIZE, "0"), Map.of()));
        assertTrue(zero.getMessage().startsWith("cluster.size (flag --cluster-size): 0 is out of range"),
                zero.getMessage());
        assertThrows(ConfigException.class, () -> config(flags(Setting.CLUSTER_SIZE, "three"), Map.of()));
    }

    @Test
    void frontSettingsParseSizesNodesAndTls() throws IOException {
        Files.writeString(dir.resolve("front.crt"), "-----BEGIN CERTIFICATE-----\n...\n");
        Files.writeString(dir.resolve("front.key"), "-----BEGIN PRIVATE KEY-----\n...\n");
        NodeConfig c = config(flags(Setting.FRONT_MAX_BODY, "2g", Setting.FRONT_RETRY_BODY, "128k",
                Setting.AJP_PACKET_SIZE, "65536", Setting.AJP_SECRET, "s3cret-for-plain-tomcats",
                Setting.FRONT_NODES, "tc1=10.0.0.5:8009, tc2=10.0.0.6:8010",
                Setting.FRONT_TLS_CERT, "front.crt", Setting.FRONT_TLS_KEY, "front.key"), Map.of());
        assertEquals(2L << 30, c.frontSettings().maxBody());
        assertEquals(128 * 1024, c.frontSettings().retryBody());
        assertEquals(65536, c.ajpPacketSize());
        assertEquals(java.util.List.of(new NodeConfig.StaticNode("tc1", "10.0.0.5", 8009),
                new NodeConfig.StaticNode("tc2", "10.0.0.6", 8010)), c.frontSettings().staticNodes());
        assertEquals(dir.resolve("front.key"), c.frontSettings().tls().key());
    }

    @Test
    void theFrontRunsOnIoUringUnlessTurnedOffAndAnythingButABooleanIsRefused() throws IOException {
        assertTrue(config(flags(), Map.of()).frontSettings().ioUring());
        assertFalse(config(flags(Setting.FRONT_IO_URING, "false"), Map.of()).frontSettings().ioUring());
        assertFalse(config(flags(), Map.of("HERDCAT_FRONT_IO_URING", "false")).frontSettings().ioUring());
        ConfigException e = assertThrows(ConfigException.class,
                () -> config(flags(Setting.FRONT_IO_URING, "epoll"), Map.of()));
        assertTrue(e.getMessage().startsWith("front.io.uring (flag --front-io-uring): 'epoll' is not true or false"),
                e.getMessage());
    }

    @Test
    void http2SettingsDefaultParseAndRefuseH2cWithTls() throws IOException {
        assertEquals(NodeConfig.Http2Limits.defaults(), config(flags(), Map.of()).frontSettings().http2());
        NodeConfig.Http2Limits h = config(flags(Setting.FRONT_H2C, "true", Setting.FRONT_H2_MAX_STREAMS, "250",
                Setting.FRONT_H2_MAX_HEADER_LIST, "32k", Setting.FRONT_H2_MAX_RESETS, "50"), Map.of()).frontSettings().http2();
        assertEquals(new NodeConfig.Http2Limits(true, true, 250, 32 * 1024, 50), h);
        assertFalse(config(flags(Setting.FRONT_H2, "false"), Map.of()).frontSettings().http2().h2());
        Files.writeString(dir.resolve("front.crt"), "-----BEGIN CERTIFICATE-----\n...\n");
        Files.writeString(dir.resolve("front.key"), "-----BEGIN PRIVATE KEY-----\n...\n");
        Map<String, Map<Setting, String>> cases = Map.of(
                "front.h2c (flag --front-h2c): cannot be used with front.tls.cert", flags(Setting.FRONT_H2C, "true",
                        Setting.FRONT_TLS_CERT, "front.crt", Setting.FRONT_TLS_KEY, "front.key"),
                "front.h2.max.streams (flag --front-h2-max-streams): 0 is out of range",
                flags(Setting.FRONT_H2_MAX_STREAMS, "0"),
                "front.h2.max.header.list (flag --front-h2-max-header-list): 1024 bytes is out of range",
                flags(Setting.FRONT_H2_MAX_HEADER_LIST, "1k"),
                "front.h2c (flag --front-h2c): 'maybe' is not true or false", flags(Setting.FRONT_H2C, "maybe"));
        cases.forEach((expected, given) -> {
            ConfigException e = assertThrows(ConfigException.class, () -> config(given, Map.of()));
            assertTrue(e.getMessage().startsWith(expected), e.getMessage());
        });
    }

    @Test
    void upgradeMaxWarDefaultsTo512MibAndTakesSizes() {
        assertEquals(512L << 20, config(flags(), Map.of()).upgradeMaxWar());
        assertEquals(2L << 30, config(flags(Setting.UPGRADE_MAX_WAR, "2g"), Map.of()).upgradeMaxWar());
        ConfigException e = assertThrows(ConfigException.class,
                () -> config(flags(Setting.UPGRADE_MAX_WAR, "0"), Map.of()));
        assertTrue(e.getMessage().startsWith("upgrade.max.war (flag --upgrade-max-war): 0 bytes is out of range"),
                e.getMessage());
    }

    @Test
    void webSocketLimitsDefaultAndParse() throws IOException {
        NodeConfig.WebSocketLimits d = config(flags(), Map.of()).frontSettings().webSockets();
        assertEquals(new NodeConfig.WebSocketLimits(Duration.ofMinutes(10), 10_000), d);
        assertEquals(NodeConfig.WebSocketLimits.defaults(), d);
        NodeConfig.WebSocketLimits c = config(flags(Setting.FRONT_WS_IDLE_TIMEOUT, "90s", Setting.FRONT_WS_MAX, "0"),
                Map.of()).frontSettings().webSockets();
        assertEquals(new NodeConfig.WebSocketLimits(Duration.ofSeconds(90), 0), c);
        ConfigException e = assertThrows(ConfigException.class,
                () -> config(flags(Setting.FRONT_WS_MAX, "-1"), Map.of()));
        assertTrue(e.getMessage().contains("front.ws.max"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> config(flags(Setting.FRONT_WS_IDLE_TIMEOUT, "0s"), Map.of()));
        assertTrue(e.getMessage().contains("front.ws.idle.timeout"), e.getMessage());
    }

    @Test
    void slowClientLimitsDefaultToModReqtimeoutsAndParse() throws IOException {
        NodeConfig.ClientLimits d = config(flags(), Map.of()).frontSettings().clients();
        assertEquals(NodeConfig.ClientLimits.defaults(), d);
        assertEquals(Duration.ofSeconds(10), d.bodyTimeout());
        assertEquals(500, d.bodyMinRate());
        assertEquals(Duration.ofSeconds(120), config(flags(), Map.of()).ajpConnectionTimeout());
        NodeConfig.ClientLimits c = config(flags(Setting.FRONT_BODY_TIMEOUT, "20s", Setting.FRONT_BODY_MIN_RATE, "1k",
                Setting.FRONT_SEND_TIMEOUT, "30s", Setting.FRONT_CLIENT_MAX_CONNECTIONS, "0",
                Setting.FRONT_CLIENT_MAX_REQUESTS, "8", Setting.FRONT_TRUSTED_PROXIES, "10.0.0.5, 192.168.0.0/16,fd00::/8"),
                Map.of()).frontSettings().clients();
        assertEquals(Duration.ofSeconds(20), c.bodyTimeout());
        assertEquals(1024, c.bodyMinRate());
        assertEquals(0, c.maxConnections());
        assertEquals(8, c.maxRequests());
        assertEquals(3, c.trustedProxies().size());
        assertTrue(c.trustedProxies().get(1).contains(java.net.InetAddress.getByName("192.168.7.1")));
        assertTrue(!c.trustedProxies().get(1).contains(java.net.InetAddress.getByName("192.169.0.1")));
        assertTrue(c.trustedProxies().get(0).contains(java.net.InetAddress.getByName("10.0.0.5")));
        assertTrue(!c.trustedProxies().get(0).contains(java.net.InetAddress.getByName("10.0.0.6")));
    }

    @Test
    void trustedProxiesMustBeAddressesAndTheAjpTimeoutMustOutlastPooledConnections() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> config(flags(Setting.FRONT_TRUSTED_PROXIES, "proxy.example.org"), Map.of()));
        assertTrue(e.getMessage().startsWith("front.trusted.proxies (flag --front-trusted-proxies): 'proxy.example.org'"),
                e.getMessage());
        assertThrows(ConfigException.class, () -> config(flags(Setting.FRONT_TRUSTED_PROXIES, "10.0.0.0/33"), Map.of()));
        e = assertThrows(ConfigException.class, () -> config(flags(Setting.AJP_CONNECTION_TIMEOUT, "60s"), Map.of()));
        assertTrue(e.getMessage().contains("front.pool.idle.timeout"), e.getMessage());
    }

    @Test
    void badFrontSettingsNameTheirKey() throws IOException {
        Files.writeString(dir.resolve("rsa.key"), "-----BEGIN RSA PRIVATE KEY-----\n...\n");
        Files.writeString(dir.resolve("front.crt"), "-----BEGIN CERTIFICATE-----\n...\n");
        Map<String, Map<Setting, String>> cases = Map.of(
                "front.tls.key (flag --front-tls-key): ", flags(Setting.FRONT_TLS_CERT, "front.crt",
                        Setting.FRONT_TLS_KEY, "rsa.key"),
                "front.tls.cert (flag --front-tls-cert): is set but front.tls.key", flags(Setting.FRONT_TLS_CERT, "front.crt"),
                "front.nodes (flag --front-nodes): needs ajp.secret", flags(Setting.FRONT_NODES, "tc1=h:8009"),
                "front.nodes (flag --front-nodes): 'tc1' is not ROUTE=HOST:PORT",
                flags(Setting.FRONT_NODES, "tc1", Setting.AJP_SECRET, "s3cret-for-plain-tomcats"),
                "ajp.packet.size (flag --ajp-packet-size): 100000 bytes is out of range",
                flags(Setting.AJP_PACKET_SIZE, "100000"),
                "front.max.body (flag --front-max-body): '10 MB' is not a size", flags(Setting.FRONT_MAX_BODY, "10 MB"));
        cases.forEach((expected, given) -> {
            ConfigException e = assertThrows(ConfigException.class, () -> config(given, Map.of()));
            assertTrue(e.getMessage().startsWith(expected), e.getMessage());
        });
    }
}
