package io.herdcat.admin;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.herdcat.testing.DumpOutputOnFailure;
import io.herdcat.testing.NodeProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A web page on another origin cannot read the admin API by DNS rebinding: requests naming any host
 * but the node's own names and addresses (and the configured ones) are refused; the status page tells
 * the browser to run only its own code, never inside a frame, and never to guess content types.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
@ExtendWith(DumpOutputOnFailure.class)
class AdminHostIT {
    @TempDir
    Path dir;

    @Test
    void readsNamingAForeignHostAreRefusedAndOwnNamesAndConfiguredOnesAreServed() throws Exception {
        Path webapps = Files.createDirectories(dir.resolve("webapps"));
        try (NodeProcess a = NodeProcess.start("a", dir, webapps, "--admin-allowed-hosts", "status.example.org,*.ops.example.net")
                .awaitReady()) {
            int port = a.adminPort();
            String hostname = Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
            for (String path : List.of("/status", "/metrics", "/")) {
                for (String foreign : List.of("attacker.example", "attacker.example:" + port, "127.0.0.1.attacker.example",
                        "localhost.attacker.example:" + port, "status.example.org.attacker.example")) {
                    RawAdmin.Response r = RawAdmin.get(port, path, foreign);
                    assertEquals(421, r.status(), path + " with Host: " + foreign + " -> " + r);
                    assertTrue(r.body().contains("admin.allowed.hosts"), "the refusal names the setting: " + r.body());
                }
            }
            assertEquals(400, RawAdmin.get(port, "/status", null).status(), "HTTP/1.1 without Host");
            assertEquals(400, RawAdmin.request(port, "GET /status HTTP/1.1\r\nHost: 127.0.0.1\r\nHost: attacker.example")
                    .status(), "two Host headers");
            for (String own : List.of("127.0.0.1:" + port, "127.0.0.1", "localhost:" + port, "LOCALHOST", "[::1]:" + port,
                    hostname + ":" + port, "status.example.org", "status.example.org:" + port, "node7.ops.example.net")) {
                RawAdmin.Response r = RawAdmin.get(port, "/status", own);
                assertEquals(200, r.status(), "/status with Host: " + own + " -> " + r);
            }
            assertEquals(421, RawAdmin.get(port, "/status", "ops.example.net").status(),
                    "a wildcard matches subdomains, not the domain itself");
            assertEquals(200, RawAdmin.get(port, "/health/live", "lb-probe.internal").status(),
                    "probes answer whatever Host a load balancer sends");
            assertEquals(200, RawAdmin.request(port, "GET /status HTTP/1.0").status(), "HTTP/1.0 needs no Host");
            assertEquals(421, RawAdmin.request(port, "POST /nodes/a/weight HTTP/1.1\r\nHost: attacker.example\r\n"
                    + "Content-Length: 1\r\n\r\n5").status(), "writes naming a foreign host are refused too");
        }
    }

    @Test
    void statusPageForbidsFramingForeignCodeAndTypeGuessing() throws Exception {
        try (NodeProcess a = NodeProcess.start("a", dir, Files.createDirectories(dir.resolve("webapps"))).awaitReady()) {
            RawAdmin.Response page = RawAdmin.get(a.adminPort(), "/", "127.0.0.1:" + a.adminPort());
            assertEquals(200, page.status());
            String csp = page.header("Content-Security-Policy");
            assertNotNull(csp, "status page headers: " + page.headers());
            assertAll(
                    () -> assertTrue(csp.contains("frame-ancestors 'none'"), csp),
                    () -> assertTrue(csp.contains("default-src 'none'"), csp),
                    () -> assertTrue(csp.contains("connect-src 'self'"), csp),
                    () -> assertTrue(csp.matches(".*script-src 'sha256-[A-Za-z0-9+/=]+'.*"), csp),
                    () -> assertTrue(!csp.contains("unsafe-inline") && !csp.contains("unsafe-eval"), csp),
                    () -> assertEquals("nosniff", page.header("X-Content-Type-Options")),
                    () -> assertEquals("DENY", page.header("X-Frame-Options")),
                    () -> assertEquals("no-referrer", page.header("Referrer-Policy")));
            RawAdmin.Response json = RawAdmin.get(a.adminPort(), "/status", "127.0.0.1");
            assertEquals("nosniff", json.header("X-Content-Type-Options"), "JSON too: " + json.headers());
        }
    }
}
