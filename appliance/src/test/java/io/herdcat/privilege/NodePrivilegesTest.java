package io.herdcat.privilege;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.herdcat.config.ConfigException;
import io.herdcat.config.ConfigSources;
import io.herdcat.config.NodeConfig;
import io.herdcat.config.Setting;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Who may run as root, and what the privileged thread keeps. */
class NodePrivilegesTest {
    @TempDir
    Path dir;

    @BeforeEach
    void webapps() throws IOException {
        Files.createDirectories(dir.resolve("webapps"));
    }

    private NodeConfig config(Object... pairs) {
        Map<Setting, String> flags = new EnumMap<>(Setting.class);
        for (int i = 0; i < pairs.length; i += 2) {
            flags.put((Setting) pairs[i], (String) pairs[i + 1]);
        }
        return NodeConfig.from(ConfigSources.gather(flags, Map.of(), dir), "host", dir);
    }

    @Test
    void rootWithoutUserIsRefusedUnlessAllowed() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> NodePrivileges.requireUserOrAllowed(config(), true));
        assertEquals("user: not set, and this node was started as root; set user (e.g. --user herdcat) so it drops "
                + "root once its ports are bound, or allow.root=true to run as root", e.getMessage());
        assertDoesNotThrow(() -> NodePrivileges.requireUserOrAllowed(config(Setting.ALLOW_ROOT, "true"), true));
        assertDoesNotThrow(() -> NodePrivileges.requireUserOrAllowed(config(Setting.USER, "nobody"), true));
        assertDoesNotThrow(() -> NodePrivileges.requireUserOrAllowed(config(), false));
    }

    @Test
    void allowRootIsABoolean() {
        ConfigException e = assertThrows(ConfigException.class, () -> config(Setting.ALLOW_ROOT, "maybe"));
        assertTrue(e.getMessage().startsWith("allow.root (flag --allow-root): "), e.getMessage());
    }

    @Test
    void thePrivilegedThreadKeepsBindServiceOnlyForAFrontBelow1024ThisNodeMayRun() {
        assertEquals(Set.of(Capability.NET_BIND_SERVICE), NodePrivileges.keepFor(config()).capabilities());
        assertEquals(Set.of(), NodePrivileges.keepFor(config(Setting.FRONT_PORT, "8000")).capabilities());
        assertEquals(Set.of(), NodePrivileges.keepFor(config(Setting.FRONT_PORT, "0")).capabilities());
        assertEquals(Set.of(), NodePrivileges.keepFor(config(Setting.DISPATCHER, "never")).capabilities());
        assertEquals(Set.of(), NodePrivileges.keepFor(config()).ambient());
    }

    @Test
    void withAFrontAddressItAlsoKeepsWhatMovingTheAddressNeedsAsAmbientForTheCommands() {
        PrivilegeDrop.Keep keep = NodePrivileges.keepFor(config(Setting.FRONT_VIP, "198.51.100.100/24",
                Setting.FRONT_VIP_INTERFACE, "lo"));
        assertEquals(Set.of(Capability.NET_BIND_SERVICE, Capability.NET_ADMIN, Capability.NET_RAW), keep.capabilities());
        assertEquals(Set.of(Capability.NET_ADMIN, Capability.NET_RAW), keep.ambient());
        assertEquals(Set.of(), NodePrivileges.keepFor(config(Setting.FRONT_VIP, "198.51.100.100/24",
                Setting.FRONT_VIP_INTERFACE, "lo", Setting.DISPATCHER, "never")).capabilities());
    }

    @Test
    void anUnknownUserIsAConfigurationMistakeNamingIt() {
        ConfigException e = assertThrows(ConfigException.class, () -> UserAccount.lookup("no-such-user-here"));
        assertTrue(e.getMessage().startsWith("user: no user 'no-such-user-here' on this host"), e.getMessage());
    }

    @Test
    void rootIsNotAUserToDropTo() {
        ConfigException e = assertThrows(ConfigException.class, () -> UserAccount.lookup("root"));
        assertTrue(e.getMessage().startsWith("user: 'root' has uid 0"), e.getMessage());
    }

    @Test
    void nobodyIsLookedUp() {
        UserAccount nobody = UserAccount.lookup("nobody");
        assertTrue(nobody.uid() > 0 && nobody.gid() > 0, nobody.toString());
    }
}
