package io.herdcat.launcher;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.herdcat.testing.DumpOutputOnFailure;
import io.herdcat.testing.FreePorts;
import io.herdcat.testing.Http;
import io.herdcat.testing.NodeProcess;
import io.herdcat.testing.TestEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code herdcat demo} runs the seed layout: two nodes serving the session demo. */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
@ExtendWith(DumpOutputOnFailure.class)
class DemoIT {
    private static final Pattern NODE = Pattern.compile("\"node\":\"([^\"]+)\"");

    @TempDir
    Path dir;

    @Test
    void demoStartsTwoNodesThatServeTheSessionDemoUnderDifferentNames() throws Exception {
        Path webapps = Files.createDirectories(dir.resolve("webapps"));
        Files.copy(Path.of(System.getProperty("herdcat.demoWar")), webapps.resolve("session-demo.war"));
        int offset = FreePorts.offsetWhereFree(2, 8080, 8009, 9080, 4000, 7800, 7900);
        int frontPort = FreePorts.offsetWhereFree(1, 0);
        try (NodeProcess demo = NodeProcess.exec("demo", dir, Map.of(),
                List.of("demo", "--port-offset", Integer.toString(offset), "--front-port", Integer.toString(frontPort),
                        "--allow-root", "true"))) {
            String url1 = "http://127.0.0.1:" + (8080 + offset) + "/session-demo/session.json?name=k&value=v";
            String url2 = "http://127.0.0.1:" + (8081 + offset) + "/session-demo/session.json";
            await().atMost(Duration.ofSeconds(60)).until(() -> Http.status(url1) == 200 && Http.status(url2) == 200);

            Http.Response one = Http.get(url1);
            Http.Response two = Http.get(url2);
            String name1 = nodeOf(one.body());
            String name2 = nodeOf(two.body());
            assertEquals("node1", name1);
            assertEquals("node2", name2);
            assertNotEquals(name1, name2);
            assertTrue(one.body().contains("\"attributes\":{\"k\":\"v\"}"), one.body());
            String id = one.sessionCookie().orElseThrow();
            assertTrue(id.endsWith(".node1"), "session id carries the jvmRoute");
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertTrue(
                    Http.get(url2, id).body().contains("\"attributes\":{\"k\":\"v\"}"), "node2 has node1's session"));

            String front = "http://127.0.0.1:" + frontPort + "/session-demo/session.json";
            await().atMost(Duration.ofSeconds(20)).until(() -> Http.status(front) == 200);
            assertTrue(Set.of("node1", "node2").contains(nodeOf(Http.get(front).body())), "the front serves the demo");

            await().atMost(Duration.ofSeconds(10)).until(() -> demo.output().contains("Ctrl-C stops both nodes"));
            assertTrue(demo.output().contains("node1 | "), demo.output());
            assertTrue(demo.output().contains("node2 | "), demo.output());

            demo.terminate();
            assertEquals(0, demo.awaitExit(Duration.ofSeconds(60)));
            assertEquals(-1, Http.status(url1), "node1 stopped with the demo");
            assertEquals(-1, Http.status(url2), "node2 stopped with the demo");
        }
    }

    @Test
    void startedAsRootTheDemoRefusesWithoutAllowRoot() throws Exception {
        TestEnvironment.require(TestEnvironment.isRoot(), TestEnvironment.SKIP_ROOT, "this test must run as root");
        Files.createDirectories(dir.resolve("webapps"));
        int offset = FreePorts.offsetWhereFree(2, 8080, 8009, 9080, 4000, 7800, 7900);
        try (NodeProcess demo = NodeProcess.exec("demo", dir, Map.of(),
                List.of("demo", "--port-offset", Integer.toString(offset)))) {
            assertEquals(2, demo.awaitExit(Duration.ofSeconds(60)), demo.output());
            String out = demo.output().strip();
            assertEquals(1, out.lines().count(), out);
            assertTrue(out.startsWith("herdcat: user: not set, and this node was started as root;"), out);
            assertTrue(out.contains("allow.root=true"), out);
        }
    }

    private static String nodeOf(String json) {
        Matcher m = NODE.matcher(json);
        assertTrue(m.find(), json);
        return m.group(1);
    }
}
