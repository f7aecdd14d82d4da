package io.herdcat.systemd;

import static org.awaitility.Awaitility.await;
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
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rights the unit gives a node are enough for it: started as root the way {@code herdcat@.service}
 * starts it — only the unit's {@code CapabilityBoundingSet}, {@code NoNewPrivileges}, {@code --user} —
 * the node drops to its user and serves the front on port 80.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
@ExtendWith(DumpOutputOnFailure.class)
class ServiceCapabilitiesIT {
    @TempDir
    Path dir;

    @Test
    void withOnlyTheUnitsCapabilitiesTheNodeDropsAndServesPort80() throws Exception {
        TestEnvironment.require(TestEnvironment.isRoot() && Hosts.available(), TestEnvironment.SKIP_ROOT,
                "starting a node as root the way its unit does needs a test run as root");
        Path webapps = Cluster.prepare(dir);
        Path secret = Files.writeString(dir.resolve("cluster.secret"), "service-test-secret-0123456789abcdef");
        ProcStatus.giveTo(dir, ProcStatus.uidOf("nobody"));
        List<String> asTheUnit = List.of("setpriv", "--bounding-set", boundingSet(), "--no-new-privs");
        try (Hosts hosts = new Hosts(1)) {
            String address = hosts.address(0);
            try (NodeProcess a = NodeProcess.startInNamespace(asTheUnit, hosts.namespace(0), address, "a", dir, webapps,
                    "--user", "nobody", "--secret-file", secret.toString(), "--peers", address + ":7800",
                    "--jgroups-port", "7800", "--admin-token-file", dir.resolve("admin.token").toString(),
                    "--front-port", "80", "--front-address", address).awaitReady()) {
                String front = "http://" + address + "/session-demo/hello";
                await("the front on port 80").atMost(Duration.ofSeconds(30)).until(() -> Http.status(front) == 200);
                for (ProcStatus.Thread t : ProcStatus.threads(a.pid())) {
                    assertFalse(t.hasRootId(), "no thread has uid or gid 0: " + t);
                }
            }
        }
    }

    /** The unit's CapabilityBoundingSet as setpriv's {@code -all,+cap,...}. */
    private static String boundingSet() throws Exception {
        List<String> caps = new ArrayList<>();
        for (String line : Files.readAllLines(SystemdUnitTest.UNIT)) {
            if (line.startsWith("CapabilityBoundingSet=")) {
                for (String cap : line.substring(line.indexOf('=') + 1).trim().split("\\s+")) {
                    caps.add("+" + cap.toLowerCase(Locale.ROOT).replaceFirst("^cap_", ""));
                }
            }
        }
        assertTrue(!caps.isEmpty(), "the unit has a CapabilityBoundingSet");
        return "-all," + String.join(",", caps);
    }
}
