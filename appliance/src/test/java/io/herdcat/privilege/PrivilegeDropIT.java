package io.herdcat.privilege;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.herdcat.testing.Cluster;
import io.herdcat.testing.DumpOutputOnFailure;
import io.herdcat.testing.Hosts;
import io.herdcat.testing.Http;
import io.herdcat.testing.NodeProcess;
import io.herdcat.testing.ProcStatus;
import io.herdcat.testing.TestEnvironment;
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
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node started as root with {@code --user nobody} serves the front on port 80 (in a network
 * namespace of its own, so port 80 is free) with no uid or gid 0 on any thread and one thread holding
 * the one capability it needs; what it writes belongs to nobody. Started as root without a user, or
 * with an unknown one, it refuses with one line.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
@ExtendWith(DumpOutputOnFailure.class)
class PrivilegeDropIT {
    /** CAP_NET_BIND_SERVICE alone, as /proc shows a capability set. */
    private static final String BIND_SERVICE_ONLY = "0000000000000400";
    private static final String NO_CAPABILITY = "0000000000000000";

    @TempDir
    Path dir;

    @BeforeEach
    void needsRoot() {
        TestEnvironment.require(TestEnvironment.isRoot() && Hosts.available(), TestEnvironment.SKIP_ROOT,
                "dropping root and network namespaces need a test run as root");
    }

    @Test
    void startedAsRootWithUserNobodyTheNodeServesPort80WithNoRootIdAndOneCapableThread() throws Exception {
        Path webapps = Cluster.prepare(dir);
        Path secret = Files.writeString(dir.resolve("cluster.secret"), "privilege-test-secret-0123456789abcdef");
        int nobody = ProcStatus.uidOf("nobody");
        ProcStatus.giveTo(dir, nobody);
        try (Hosts hosts = new Hosts(1)) {
            String address = hosts.address(0);
            try (NodeProcess a = NodeProcess.startInNamespace(hosts.namespace(0), address, "a", dir, webapps,
                    "--user", "nobody", "--secret-file", secret.toString(), "--peers", address + ":7800",
                    "--jgroups-port", "7800", "--admin-token-file", dir.resolve("admin.token").toString(),
                    "--front-port", "80", "--front-address", address).awaitReady()) {
                String front = "http://" + address + "/session-demo/session.json?name=k&value=v";
                await("the front on port 80").atMost(Duration.ofSeconds(30)).until(() -> Http.status(front) == 200);
                assertTrue(Cluster.attributes(Http.get(front).body()).contains("\"k\":\"v\""));

                ProcStatus.Thread process = ProcStatus.process(a.pid());
                assertFalse(process.hasRootId(), "no uid or gid 0: " + process);
                assertEquals(Integer.toString(nobody), process.field("Uid").split("\\s+")[0], process.toString());
                List<ProcStatus.Thread> threads = ProcStatus.threads(a.pid());
                List<ProcStatus.Thread> capable = new ArrayList<>();
                for (ProcStatus.Thread t : threads) {
                    assertFalse(t.hasRootId(), "no thread has uid or gid 0: " + t);
                    if (!NO_CAPABILITY.equals(t.field("CapEff")) || !NO_CAPABILITY.equals(t.field("CapPrm"))) {
                        capable.add(t);
                    }
                }
                assertEquals(1, capable.size(), "one thread of " + threads.size() + " has a capability: " + capable);
                assertEquals(BIND_SERVICE_ONLY, capable.get(0).field("CapEff"), capable.get(0).toString());
                assertEquals(BIND_SERVICE_ONLY, capable.get(0).field("CapPrm"), capable.get(0).toString());

                assertEquals(202, Cluster.adminPost(a, "/nodes/a/weight", "7", Cluster.ADMIN_TOKEN));
                Path written = dir.resolve("work-a").resolve("admin-state.properties");
                await("the admin state file").atMost(Duration.ofSeconds(10)).until(() -> Files.exists(written));
                assertEquals(nobody, Files.getAttribute(written, "unix:uid"), "written after start, owned by nobody");
                assertEquals(nobody, Files.getAttribute(dir.resolve("work-a"), "unix:uid"),
                        "the work folder the node created belongs to nobody");
            }
        }
    }

    @Test
    void startedAsRootWithoutUserTheNodeRefusesNamingUserAndAllowRoot() throws Exception {
        String out = runExpectingExit2();
        assertTrue(out.startsWith("herdcat: user: not set, and this node was started as root; set user"), out);
        assertTrue(out.contains("allow.root=true"), out);
    }

    @Test
    void anUnknownUserIsRefusedByName() throws Exception {
        String out = runExpectingExit2("--user", "no-such-user");
        assertTrue(out.startsWith("herdcat: user: no user 'no-such-user' on this host"), out);
    }

    /** Runs the jar as root with free ports plus {@code args}; returns its one line of output. */
    private String runExpectingExit2(String... args) throws Exception {
        Files.createDirectories(dir.resolve("webapps"));
        List<String> all = new ArrayList<>(List.of("--http-port", "0", "--ajp-port", "0", "--admin-port", "0",
                "--tribes-port", "0", "--jgroups-port", "0"));
        all.addAll(List.of(args));
        try (NodeProcess p = NodeProcess.exec("refused", dir, Map.of(), all)) {
            int exit = p.awaitExit(Duration.ofSeconds(60));
            String out = p.output().strip();
            assertEquals(2, exit, out);
            assertEquals(1, out.lines().count(), "exactly one line, got:\n" + out);
            assertFalse(Files.exists(dir.resolve("work")), "nothing was started, not even the work folder");
            return out;
        }
    }
}
