package io.herdcat.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.herdcat.testing.Cluster;
import io.herdcat.testing.DumpOutputOnFailure;
import io.herdcat.testing.FreePorts;
import io.herdcat.testing.NodeProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code herdcat status}, {@code disable}, {@code weight}, … run as {@code java -jar herdcat.jar} against real nodes. */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
@ExtendWith(DumpOutputOnFailure.class)
class CliIT {
    @TempDir
    Path dir;

    @Test
    void statusTableAndJsonShowBothNodesAndWritesNeedTheToken() throws Exception {
        Cluster.prepare(dir);
        int frontPort = FreePorts.offsetWhereFree(1, 0);
        String[] args = Cluster.frontArgs(dir, frontPort);
        try (NodeProcess a = Cluster.start("a", dir, args).awaitReady();
             NodeProcess b = Cluster.start("b", dir, args).awaitReady()) {
            String admin = "http://127.0.0.1:" + a.adminPort();
            await().atMost(Duration.ofSeconds(20)).until(() -> Cluster.members(a).size() == 2);

            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                CliRun status = herdcat(Map.of(), "status", "--admin", admin);
                assertEquals(0, status.code(), status::toString);
                List<String> lines = status.out().lines().toList();
                assertEquals(4, lines.size(), status::toString);
                assertTrue(lines.get(0).startsWith("cluster " + NodeProcess.CLUSTER + ": 2 nodes, HTTP front on a"),
                        status::toString);
                assertTrue(lines.get(1).matches("NAME +STATE +ACTIVATION +WEIGHT +IN-FLIGHT +REQUESTS +ERRORS"
                        + " +SESSIONS +UPTIME +VERSION +FRONT"), status::toString);
                assertTrue(lines.get(2).matches("a +ok +active +1 +\\d+ +\\d+ +\\d+ +\\d+ +\\d+[smh]\\S* +\\S+ +\\*"),
                        status::toString);
                assertTrue(lines.get(3).matches("b +ok +active +1 +\\d+ +\\d+ +\\d+ +\\d+ +\\d+[smh]\\S* +\\S+"),
                        status::toString);
                assertEquals("", status.err());
            });

            CliRun json = herdcat(Map.of(), "status", "--admin", admin, "--json");
            assertEquals(0, json.code(), json::toString);
            Map<String, Object> doc = JsonReader.object(json.out());
            assertEquals(List.of("a", "b"), ((List<?>) doc.get("nodes")).stream()
                    .map(n -> ((Map<?, ?>) n).get("name")).toList());

            CliRun refused = herdcat(Map.of(), "disable", "b", "--admin", admin);
            assertEquals(1, refused.code(), refused::toString);
            assertEquals("", refused.out(), refused::toString);
            assertEquals(1, refused.errLines().size(), refused::toString);
            assertTrue(refused.err().startsWith("herdcat: disable b: 401 ") && refused.err().contains("--token-file"),
                    refused::toString);
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(10))
                    .until(() -> "active".equals(activationOf(a, "b")));

            Path token = dir.resolve("admin.token");
            CliRun disabled = herdcat(Map.of(), "disable", "b", "--admin", admin, "--token-file", token.toString());
            assertEquals(0, disabled.code(), disabled::toString);
            assertEquals("node b: activation disabled\n", disabled.out());
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                    .until(() -> "disabled".equals(activationOf(a, "b")) && "disabled".equals(activationOf(b, "b")));

            Path config = dir.resolve("herdcat.properties");
            Files.writeString(config, "admin.port=" + (b.adminPort() - 3) + "\nport.offset=3\n"
                    + "admin.address=0.0.0.0\nadmin.token.file=" + token + "\n");
            CliRun enabled = herdcat(Map.of(), "enable", "b", "--config", config.toString());
            assertEquals(0, enabled.code(), enabled::toString);
            assertEquals("node b: activation active\n", enabled.out());
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                    .until(() -> "active".equals(activationOf(a, "b")));

            CliRun weighted = herdcat(Map.of("HERDCAT_ADMIN_TOKEN_FILE", token.toString(), "HERDCAT_NOT_A_SETTING", "x"),
                    "weight", "a", "7", "--admin", admin);
            assertEquals(0, weighted.code(), weighted::toString);
            assertEquals("node a: weight 7\n", weighted.out());
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                    .until(() -> Long.valueOf(7).equals(nodeRow(b, "a").get("weight")));

            CliRun unknown = herdcat(Map.of(), "stop", "zz", "--admin", admin, "--token-file", token.toString());
            assertEquals(1, unknown.code(), unknown::toString);
            assertEquals(List.of("herdcat: stop zz: 404 no node named zz in the cluster"), unknown.errLines());
        }
    }

    @Test
    void weightOutsideOneToHundredIsAUsageMistake() throws Exception {
        CliRun zero = herdcat(Map.of(), "weight", "b", "0", "--admin", "http://127.0.0.1:1");
        assertEquals(2, zero.code(), zero::toString);
        assertEquals(List.of("herdcat: weight b 0: N must be a whole number from 1 to 100, not '0'"), zero.errLines());

        CliRun missing = herdcat(Map.of(), "disable");
        assertEquals(2, missing.code(), missing::toString);
        assertEquals(1, missing.errLines().size(), missing::toString);
        assertTrue(missing.err().contains("NODE"), missing::toString);

        CliRun unknownOption = herdcat(Map.of(), "status", "--colour");
        assertEquals(2, unknownOption.code(), unknownOption::toString);
        assertEquals(1, unknownOption.errLines().size(), unknownOption::toString);
        assertTrue(unknownOption.err().contains("--colour"), unknownOption::toString);
    }

    @Test
    void unreachableAdminApiFailsWithOneLine() throws Exception {
        int closed = FreePorts.offsetWhereFree(1, 0);
        CliRun run = herdcat(Map.of(), "status", "--admin", "http://127.0.0.1:" + closed);
        assertEquals(1, run.code(), run::toString);
        assertEquals("", run.out());
        assertEquals(List.of("herdcat: status: cannot reach the admin API at http://127.0.0.1:" + closed
                + " (connection refused); is the node running? give --admin URL or --config FILE"), run.errLines());
    }

    @Test
    void configFileGivesTheAdminUrlWithThePortOffset() throws Exception {
        int closed = FreePorts.offsetWhereFree(1, 0);
        Path config = dir.resolve("node.properties");
        Files.writeString(config, "name=web1\nadmin.port=" + (closed - 2) + "\nport.offset=2\n");
        CliRun run = herdcat(Map.of(), "reset-counters", "--config", config.toString());
        assertEquals(1, run.code(), run::toString);
        assertEquals(1, run.errLines().size(), run::toString);
        assertTrue(run.err().startsWith("herdcat: reset-counters: cannot reach the admin API at http://127.0.0.1:"
                + closed + " "), run::toString);
    }

    private static Map<?, ?> nodeRow(NodeProcess node, String name) throws IOException, InterruptedException {
        List<?> nodes = (List<?>) JsonReader.object(Cluster.status(node)).get("nodes");
        return nodes.stream().map(n -> (Map<?, ?>) n).filter(n -> name.equals(n.get("name"))).findFirst()
                .orElseThrow(() -> new AssertionError("no node " + name + " on /status"));
    }

    private static String activationOf(NodeProcess node, String name) throws IOException, InterruptedException {
        return (String) nodeRow(node, name).get("activation");
    }

    private CliRun herdcat(Map<String, String> env, String... args) throws IOException, InterruptedException {
        return CliRun.herdcat(dir, env, args);
    }
}
