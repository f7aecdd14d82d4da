package io.herdcat.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.herdcat.testing.NodeProcess;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A configuration mistake: exit code 2, one line naming the setting and the fix, nothing started. */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class BadConfigIT {
    @TempDir
    Path dir;

    @BeforeEach
    void webapps() throws IOException {
        Files.createDirectories(dir.resolve("webapps"));
    }

    /** Runs the jar in {@code dir} with free ports plus {@code args}; returns its whole output. */
    private String runExpectingExit2(Map<String, String> env, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("--http-port", "0", "--ajp-port", "0", "--admin-port", "0",
                "--tribes-port", "0", "--jgroups-port", "0"));
        all.addAll(List.of(args));
        int exit;
        String out;
        try (NodeProcess p = NodeProcess.exec("bad", dir, env, all)) {
            exit = p.awaitExit(Duration.ofSeconds(60));
            out = p.output().strip();
        }
        assertEquals(2, exit, out);
        assertEquals(1, out.lines().count(), "exactly one line, got:\n" + out);
        assertTrue(out.startsWith("herdcat: "), out);
        assertFalse(Files.exists(dir.resolve("work")), "nothing was started, not even the work folder");
        return out;
    }

    @Test
    void unknownKeyInThePropertiesFile() throws Exception {
        Files.writeString(dir.resolve("herdcat.properties"), "http.port=8080\nhttp.prot=8081\n");
        String out = runExpectingExit2(Map.of());
        assertTrue(out.contains("unknown key 'http.prot' in "), out);
    }

    @Test
    void badLogLevelOfOneLoggerNamesItsKey() throws Exception {
        Files.writeString(dir.resolve("herdcat.properties"), "log.level.org.apache.catalina=loud\n");
        String out = runExpectingExit2(Map.of());
        assertTrue(out.contains("log.level.org.apache.catalina (herdcat.properties): 'loud' is not a log level"), out);
    }

    @Test
    void portOutOfRange() throws Exception {
        String out = runExpectingExit2(Map.of(), "--http-port", "70000");
        assertEquals("herdcat: http.port (flag --http-port): 70000 is out of range; use 0-65535", out);
    }

    @Test
    void portOutOfRangeFromTheEnvironment() throws Exception {
        String out = runExpectingExit2(Map.of("HERDCAT_PORT_OFFSET", "-1"));
        assertEquals("herdcat: port.offset (environment HERDCAT_PORT_OFFSET): -1 is out of range; use 0-65535", out);
    }

    @Test
    void missingWebappsFolder() throws Exception {
        String out = runExpectingExit2(Map.of(), "--webapps", "no-such-folder");
        assertTrue(out.startsWith("herdcat: webapps (flag --webapps): folder "), out);
        assertTrue(out.contains("does not exist"), out);
    }

    @Test
    void portAlreadyInUse() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress("127.0.0.1", 0));
            int port = taken.getLocalPort();
            String out = runExpectingExit2(Map.of(), "--ajp-address", "127.0.0.1", "--ajp-port", Integer.toString(port));
            assertTrue(out.startsWith("herdcat: ajp.port: port " + port + " on 127.0.0.1 is already in use"), out);
        }
    }

    @Test
    void clusterAddressBeyondLoopbackWithoutASecret() throws Exception {
        String out = runExpectingExit2(Map.of(), "--cluster-address", "198.51.100.7");
        assertTrue(out.startsWith("herdcat: cluster.address (flag --cluster-address): 198.51.100.7 is not a loopback"),
                out);
    }

    @Test
    void missingLibDir() throws Exception {
        String out = runExpectingExit2(Map.of(), "--lib-dir", "no-such-lib");
        assertTrue(out.startsWith("herdcat: lib.dir (flag --lib-dir): folder "), out);
        assertTrue(out.contains("no-such-lib does not exist"), out);
    }

    @Test
    void unparsableResourcesFileGivesFileAndLineButNoPassword() throws Exception {
        Files.writeString(dir.resolve("globals.xml"), "<GlobalNamingResources>\n"
                + "  <Resource name=\"jdbc/a\" type=\"javax.sql.DataSource\" password=\"pw-in-a-broken-file\"\n"
                + "</GlobalNamingResources>\n");
        String out = runExpectingExit2(Map.of(), "--resources-file", "globals.xml");
        assertTrue(out.startsWith("herdcat: resources.file (flag --resources-file): " + dir.resolve("globals.xml")
                + " line 3: "), out);
        assertFalse(out.contains("pw-in-a-broken-file"), out);
    }

    @Test
    void unknownFlag() throws Exception {
        String out = runExpectingExit2(Map.of(), "--http-prot", "1");
        assertTrue(out.contains("--http-prot"), out);
    }

    @Test
    void badDuration() throws Exception {
        String out = runExpectingExit2(Map.of(), "--shutdown-timeout", "forever");
        assertTrue(out.startsWith("herdcat: shutdown.timeout (flag --shutdown-timeout): 'forever' is not a duration"), out);
    }
}
