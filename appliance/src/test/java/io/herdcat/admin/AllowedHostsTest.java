package io.herdcat.admin;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Which Host headers name this node. */
class AllowedHostsTest {
    private final AllowedHosts hosts = new AllowedHosts("web1.example.com", List.of("status.example.org", "*.ops.example.net",
            "[2001:db8::7]"));

    @Test
    void ownNamesAddressesAndConfiguredNamesAreAllowedWithOrWithoutAPort() {
        assertAll(List.of("localhost", "LOCALHOST:9080", "localhost.", "web1.example.com", "web1:9080", "127.0.0.1",
                "127.0.0.2:9080", "0.0.0.0:9080", "[::1]:9080", "[::1]", "status.example.org:443", "a.ops.example.net",
                "b.c.ops.example.net:9080", "[2001:db8::7]:9080").stream()
                .map(h -> () -> assertTrue(hosts.allows(h), h)));
    }

    @Test
    void foreignNamesAndLookAlikesAreRefused() {
        assertAll(List.of("attacker.example", "localhost.attacker.example", "127.0.0.1.nip.io", "web1.example.com.evil",
                "evilweb1.example.com", "ops.example.net", "xops.example.net", "status.example.org.evil", "", ":9080",
                "[::1", "192.0.2.77", "[2001:db8::8]", "0x7f000001", "2130706433").stream()
                .map(h -> () -> assertFalse(hosts.allows(h), h)));
    }
}
