package io.herdcat.launcher;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.herdcat.testing.Args;
import io.herdcat.testing.DumpOutputOnFailure;
import io.herdcat.testing.FreePorts;
import io.herdcat.testing.Http;
import io.herdcat.testing.NodeProcess;
import io.herdcat.testing.TestWars;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Port layout, readiness, and graceful stop of a node process. */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
@ExtendWith(DumpOutputOnFailure.class)
class NodeLifecycleIT {
    /** This node's own Tomcat requests in flight (the "requests" object of "node" on /status). */
    private static final Pattern IN_FLIGHT = Pattern.compile("\"requests\":\\{\"total\":\\d+,\"inFlight\":(\\d+)");

    @TempDir
    Path dir;

    @Test
    void twoNodesWithPortOffsetsZeroAndOneRunSideBySide() throws Exception {
        Path webapps = Files.createDirectories(dir.resolve("webapps"));
        TestWars.drop(webapps, "app.war", "shared");
        int shift = FreePorts.offsetWhereFree(2, 8080, 8009, 9080);
        String[] base = {"--http-port", Integer.toString(8080 + shift), "--ajp-port", Integer.toString(8009 + shift),
            "--admin-port", Integer.toString(9080 + shift)};
        try (NodeProcess first = NodeProcess.start("first", dir, webapps, Args.with(base, "--port-offset", "0")).awaitReady();
             NodeProcess second = NodeProcess.start("second", dir, webapps, Args.with(base, "--port-offset", "1")).awaitReady()) {
            assertEquals(8080 + shift, first.httpPort());
            assertEquals(8081 + shift, second.httpPort());
            assertEquals(8010 + shift, second.ajpPort());
            assertEquals(9081 + shift, second.adminPort());
            assertEquals("version=shared", Http.get(first.httpUrl("/app/")).body().strip());
            assertEquals("version=shared", Http.get(second.httpUrl("/app/")).body().strip());
            assertTrue(Http.get(first.adminUrl("/status")).body().contains("\"name\":\"first\""));
            assertTrue(Http.get(second.adminUrl("/status")).body().contains("\"name\":\"second\""));
            assertEquals(200, Http.status(second.adminUrl("/health")));
        }
    }

    @Test
    void sigtermStopsAcceptingButLetsTheSlowRequestInFlightFinishThenExitsZero() throws Exception {
        Path webapps = Files.createDirectories(dir.resolve("webapps"));
        TestWars.drop(webapps, "app.war", "v1");
        Path compiled = Files.writeString(dir.resolve("compiled"), "");
        Path release = dir.resolve("release");
        try (NodeProcess node = NodeProcess.start("graceful", dir, webapps, "--shutdown-timeout", "120s").awaitReady()) {
            assertEquals(200, Http.status(node.httpUrl("/app/wait.jsp?file=" + compiled)), "JSP compiled before the test");
            CompletableFuture<Http.Response> slow = CompletableFuture.supplyAsync(() -> {
                try {
                    return Http.get(node.httpUrl("/app/wait.jsp?file=" + release));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(Path.of(release + ".waiting")));
            assertEquals(1, inFlight(node), "the request is in flight");

            node.terminate();
            await().atMost(Duration.ofSeconds(30)).until(() -> !Http.canConnect(node.httpPort()));
            assertFalse(slow.isDone(), "new connections are refused while the slow request is still running");

            Files.writeString(release, "go");
            Http.Response r = slow.get(30, TimeUnit.SECONDS);
            assertEquals(200, r.status());
            assertEquals("waited v1", r.body().strip());
            assertEquals(0, node.awaitExit(Duration.ofSeconds(30)));
        }
    }

    @Test
    void healthIsReadyOnlyWhenTheWebappsAreDeployed() throws Exception {
        Path webapps = Files.createDirectories(dir.resolve("webapps"));
        TestWars.drop(webapps, "app.war", "v1");
        try (NodeProcess node = NodeProcess.start("health", dir, webapps).awaitReady()) {
            Http.Response health = Http.get(node.adminUrl("/health"));
            assertEquals(200, health.status());
            assertEquals("{\"status\":\"UP\"}", health.body());
            String status = Http.get(node.adminUrl("/status")).body();
            assertTrue(status.contains("\"path\":\"/app\""), status);
            assertTrue(status.contains("\"state\":\"STARTED\""), status);
            assertEquals(404, Http.status(node.adminUrl("/nothing")));
        }
    }

    private static long inFlight(NodeProcess node) throws Exception {
        Matcher m = IN_FLIGHT.matcher(Http.get(node.adminUrl("/status")).body());
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

}
