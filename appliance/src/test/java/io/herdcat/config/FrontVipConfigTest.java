package io.herdcat.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The settings that move the front between hosts: front.vip, its interface, the hooks and their timeout. */
class FrontVipConfigTest {
    @TempDir
    Path dir;

    @BeforeEach
    void webappsFolder() throws IOException {
        Files.createDirectories(dir.resolve("webapps"));
    }

    private NodeConfig config(Object... pairs) {
        Map<Setting, String> flags = new EnumMap<>(Setting.class);
        for (int i = 0; i < pairs.length; i += 2) {
            flags.put((Setting) pairs[i], (String) pairs[i + 1]);
        }
        return NodeConfig.from(ConfigSources.gather(flags, Map.of(), dir), "web01.example.org", dir);
    }

    private String refusal(Object... pairs) {
        return assertThrows(ConfigException.class, () -> config(pairs)).getMessage();
    }

    @Test
    void withoutAVipNothingMovesAndHooksDefaultToNone() {
        NodeConfig.FrontMove m = config().frontMove();
        assertNull(m.vip());
        assertNull(m.onElected());
        assertNull(m.onDemoted());
        assertEquals(Duration.ofSeconds(10), m.hookTimeout());
    }

    @Test
    void ipv4VipLandsOnTheInterfaceHoldingTheClusterAddress() throws Exception {
        NodeConfig.Vip vip = config(Setting.FRONT_VIP, "198.51.100.100/24").frontMove().vip();
        assertEquals(InetAddress.getByName("198.51.100.100"), vip.address());
        assertEquals(24, vip.prefix());
        assertEquals("lo", vip.device(), "the default cluster address 127.0.0.1 is on lo");
        assertEquals("198.51.100.100/24", vip.cidr());
    }

    @Test
    void ipv6VipParsesAndTheInterfaceMayBeNamed() throws Exception {
        NodeConfig.Vip vip = config(Setting.FRONT_VIP, "2001:db8::64/64", Setting.FRONT_VIP_INTERFACE, "lo")
                .frontMove().vip();
        assertEquals(InetAddress.getByName("2001:db8::64"), vip.address());
        assertEquals(64, vip.prefix());
        assertEquals("2001:db8:0:0:0:0:0:64/64", vip.cidr());
    }

    @Test
    void badVipsAreRefusedNamingTheKey() {
        for (String bad : new String[] {"198.51.100.100", "198.51.100.100/33", "198.51.100.100/0", "2001:db8::1/129",
            "vip.example.org/24", "198.51.100/24", "198.51.100.100/x", "/24"}) {
            String message = refusal(Setting.FRONT_VIP, bad);
            assertTrue(message.startsWith("front.vip (flag --front-vip): '" + bad + "' is not ADDR/PREFIX"), message);
        }
    }

    @Test
    void unknownInterfaceIsRefusedNamingTheKey() {
        String message = refusal(Setting.FRONT_VIP, "198.51.100.100/24", Setting.FRONT_VIP_INTERFACE, "nosuchnic0");
        assertTrue(message.startsWith("front.vip.interface (flag --front-vip-interface): no interface nosuchnic0"),
                message);
    }

    @Test
    void noInterfaceHoldingTheClusterAddressIsRefusedNamingTheInterfaceKey() throws IOException {
        Path secret = Files.writeString(dir.resolve("secret"), "front-vip-test-secret-0123456789");
        String message = refusal(Setting.FRONT_VIP, "198.51.100.100/24", Setting.SECRET_FILE, secret.toString(),
                Setting.CLUSTER_ADDRESS, "203.0.113.251");
        assertTrue(message.startsWith("front.vip.interface"), message);
        assertTrue(message.contains("203.0.113.251"), message);
    }

    @Test
    void anInterfaceWithoutAVipIsRefused() {
        String message = refusal(Setting.FRONT_VIP_INTERFACE, "lo");
        assertTrue(message.startsWith("front.vip.interface (flag --front-vip-interface): is set but front.vip is not"),
                message);
    }

    @Test
    void hooksAndTheirTimeoutParse() {
        NodeConfig.FrontMove m = config(Setting.FRONT_ON_ELECTED, "/usr/local/bin/dns-update up",
                Setting.FRONT_ON_DEMOTED, "logger demoted", Setting.FRONT_HOOK_TIMEOUT, "3s").frontMove();
        assertEquals("/usr/local/bin/dns-update up", m.onElected());
        assertEquals("logger demoted", m.onDemoted());
        assertEquals(Duration.ofSeconds(3), m.hookTimeout());
        assertTrue(refusal(Setting.FRONT_HOOK_TIMEOUT, "soon").startsWith("front.hook.timeout"));
        assertTrue(refusal(Setting.FRONT_HOOK_TIMEOUT, "0s").startsWith("front.hook.timeout"));
    }
}
