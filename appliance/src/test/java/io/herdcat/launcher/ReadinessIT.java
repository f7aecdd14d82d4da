package io.herdcat.launcher;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /health} (readiness) answers 503 whenever the node cannot take traffic: while a webapp is
 * still deploying at start, and during the drain after SIGTERM. Both phases are held open by files the
 * test creates, so nothing depends on how fast the machine is.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
@ExtendWith(DumpOutputOnFailure.class)
class ReadinessIT {
    @TempDir
    Path dir;

    @Test
    void healthAnswers503WhileAWebappIsStillDeployingThen200() throws Exception {
        Path webapps = Files.createDirectories(dir.resolve("webapps"));
        Path release = dir.resolve("release-deploy");
        TestWars.dropSlowToStart(webapps, "late.war", "late", release);
        int adminPort = FreePorts.offsetWhereFree(1, 0);
        try (NodeProcess node = NodeProcess.start("starting", dir, webapps, "--admin-port", Integer.toString(adminPort))) {
            await("the webapp's start is under way").atMost(Duration.ofSeconds(60))
                    .until(() -> Files.exists(Path.of(release + ".waiting")) || !node.isAlive());
            assertTrue(node.isAlive(), "node running");

            Http.Response starting = Http.get("http://127.0.0.1:" + adminPort + "/health");
            assertEquals(503, starting.status(), "not ready while a webapp deploys: " + starting.body());
            assertTrue(starting.body().contains("\"status\":\"STARTING\""), starting.body());
            assertEquals(200, Http.status("http://127.0.0.1:" + adminPort + "/health/live"), "alive all the same");
            assertFalse(Files.exists(dir.resolve("starting.ready.json")), "no ready file before the webapps run");

            Files.writeString(release, "go");
            node.awaitReady();
            Http.Response ready = Http.get(node.adminUrl("/health"));
            assertEquals(200, ready.status(), ready.body());
            assertEquals("{\"status\":\"UP\"}", ready.body());
            assertEquals("version=late", Http.get(node.httpUrl("/late/")).body().strip());
        }
    }

    @Test
    void healthAnswers503DuringTheDrainAfterSigterm() throws Exception {
        Path webapps = Files.createDirectories(dir.resolve("webapps"));
        TestWars.drop(webapps, "app.war", "v1");
        Path compiled = Files.writeString(dir.resolve("compiled"), "");
        Path release = dir.resolve("release-request");
        try (NodeProcess node = NodeProcess.start("draining", dir, webapps, "--shutdown-timeout", "120s").awaitReady()) {
            assertEquals(200, Http.status(node.httpUrl("/app/wait.jsp?file=" + compiled)), "JSP compiled before the test");
            assertEquals(200, Http.status(node.adminUrl("/health")), "ready before the stop");
            CompletableFuture<Http.Response> inFlight = CompletableFuture.supplyAsync(() -> {
                try {
                    return Http.get(node.httpUrl("/app/wait.jsp?file=" + release));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            await("the request is in flight").atMost(Duration.ofSeconds(30))
                    .until(() -> Files.exists(Path.of(release + ".waiting")));

            node.terminate();
            await("readiness withdrawn while the request drains").atMost(Duration.ofSeconds(30)).ignoreExceptions()
                    .until(() -> Http.get(node.adminUrl("/health")).status() == 503);
            Http.Response draining = Http.get(node.adminUrl("/health"));
            assertEquals(503, draining.status());
            assertTrue(draining.body().contains("\"status\":\"STOPPING\""), draining.body());
            assertFalse(inFlight.isDone(), "the drain is still waiting for the request");
            assertTrue(node.isAlive());

            Files.writeString(release, "go");
            Http.Response r = inFlight.get(60, TimeUnit.SECONDS);
            assertEquals(200, r.status());
            assertEquals("waited v1", r.body().strip());
            assertEquals(0, node.awaitExit(Duration.ofSeconds(60)));
        }
    }
}
