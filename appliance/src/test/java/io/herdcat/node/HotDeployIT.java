package io.herdcat.node;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.herdcat.testing.AjpTestClient;
import io.herdcat.testing.DumpOutputOnFailure;
import io.herdcat.testing.Http;
import io.herdcat.testing.NodeProcess;
import io.herdcat.testing.TestWars;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The webapps folder is the deployment interface: drop, replace, delete, and app##N for parallel versions. */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
@ExtendWith(DumpOutputOnFailure.class)
class HotDeployIT {
    private static final String SECRET = "hot-deploy-test-secret";
    private static final Duration DEPLOY = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void droppedWarIsServedOverHttpAndAjpThenRedeployedWhenReplacedAndUndeployedWhenDeleted() throws Exception {
        Path webapps = Files.createDirectories(dir.resolve("webapps"));
        try (NodeProcess node = NodeProcess.start("hot", dir, webapps, "--ajp-secret", SECRET).awaitReady()) {
            String page = node.httpUrl("/app/");
            assertEquals(404, Http.status(page));

            TestWars.drop(webapps, "app.war", "v1");
            await().atMost(DEPLOY).untilAsserted(() -> assertEquals("version=v1", Http.get(page).body().strip()));
            try (AjpTestClient ajp = new AjpTestClient(node.ajpPort())) {
                AjpTestClient.Response viaAjp = ajp.get("/app/", null, SECRET);
                assertEquals(200, viaAjp.status());
                assertEquals("version=v1", viaAjp.body().strip());
                assertTrue(ajp.cping(), "CPong on the same, reused connection");
                assertEquals(200, ajp.get("/app/index.jsp", "a=1&b=%20", SECRET).status());
            }

            TestWars.drop(webapps, "app.war", "v2");
            await().atMost(DEPLOY).untilAsserted(() -> assertEquals("version=v2", Http.get(page).body().strip()));

            Files.delete(webapps.resolve("app.war"));
            await().atMost(DEPLOY).untilAsserted(() -> assertEquals(404, Http.status(page)));

            // a webapp that stopped must not stop the node's logging (Logback's servlet listener would)
            TestWars.drop(webapps, "after.war", "after");
            await().atMost(DEPLOY).untilAsserted(() -> assertEquals(200, Http.status(node.httpUrl("/after/"))));
            await("the node still logs after an undeploy").atMost(Duration.ofSeconds(10))
                    .until(() -> node.output().contains("\"GET /after/ HTTP/1.1\" 200"));
        }
    }

    @Test
    void parallelDeploymentServesNewSessionsFromTheNewVersionWhileAnExistingSessionStaysOnTheOld() throws Exception {
        Path webapps = Files.createDirectories(dir.resolve("webapps"));
        try (NodeProcess node = NodeProcess.start("parallel", dir, webapps).awaitReady()) {
            TestWars.drop(webapps, "app##1.war", "v1");
            await().atMost(DEPLOY).untilAsserted(() -> assertEquals(200, Http.status(node.httpUrl("/app/"))));
            Http.Response first = Http.get(node.httpUrl("/app/session.jsp"));
            String session = first.sessionCookie().orElseThrow();
            assertTrue(first.body().startsWith("version=v1 session=" + session), first.body());

            TestWars.drop(webapps, "app##2.war", "v2");
            await().atMost(DEPLOY).untilAsserted(
                    () -> assertEquals("version=v2", Http.get(node.httpUrl("/app/")).body().strip()));

            Http.Response again = Http.get(node.httpUrl("/app/session.jsp"), session);
            assertEquals("version=v1 session=" + session, again.body().strip());
            Http.Response fresh = Http.get(node.httpUrl("/app/session.jsp"));
            assertTrue(fresh.body().startsWith("version=v2 session="), fresh.body());
        }
    }
}
