package io.herdcat.upgrade;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.herdcat.testing.Cluster;
import io.herdcat.testing.DumpOutputOnFailure;
import io.herdcat.testing.Http;
import io.herdcat.testing.NodeProcess;
import io.herdcat.testing.TestWars;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node coordinating an upgrade is killed ({@code kill -9}) while the first node deploys the new WAR:
 * another node takes the coordination over, the upgrade ends, every node left runs the same version,
 * and {@code GET /upgrade} on each says which.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
@ExtendWith(DumpOutputOnFailure.class)
class CoordinatorFailoverIT {
    private static final Pattern STATE = Pattern.compile("\"state\":\"([a-z-]+)\"");
    private static final Pattern COORDINATOR = Pattern.compile("\"coordinator\":\"([^\"]*)\"");

    @TempDir
    Path dir;

    @Test
    void aCoordinatorKilledMidRollIsReplacedAndTheClusterEndsOnOneVersion() throws Exception {
        Cluster.prepare(dir);
        List<NodeProcess> nodes = new ArrayList<>();
        for (String name : List.of("a", "b", "c")) {
            Path webapps = Files.createDirectories(dir.resolve("webapps-" + name));
            TestWars.drop(webapps, "app.war", "v1", true);
            List<String> args = new ArrayList<>(List.of("--admin-token-file", dir.resolve("admin.token").toString()));
            // a runs the front, so it is upgraded last: it coordinates while b and c go first
            args.addAll(List.of("--dispatcher", name.equals("a") ? "always" : "auto"));
            nodes.add(NodeProcess.start(name, dir, webapps, args.toArray(String[]::new)));
        }
        NodeProcess a = nodes.get(0);
        NodeProcess b = nodes.get(1);
        NodeProcess c = nodes.get(2);
        try {
            for (NodeProcess n : nodes) {
                n.awaitReady();
            }
            for (NodeProcess n : nodes) {
                Cluster.awaitReadyNodes(n, 3);
            }
            Path release = dir.resolve("release");
            Path v2Folder = Files.createDirectories(dir.resolve("v2"));
            TestWars.dropSlowToStart(v2Folder, "app.war", "v2", release);

            HttpResponse<String> started = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create(a.adminUrl("/upgrade?war=app.war")))
                    .header("Authorization", "Bearer " + Cluster.ADMIN_TOKEN)
                    .header("Content-Type", "application/octet-stream")
                    .POST(HttpRequest.BodyPublishers.ofFile(v2Folder.resolve("app.war"))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(202, started.statusCode(), started.body());
            await("the first node deploys the new WAR").atMost(Duration.ofMinutes(1))
                    .until(() -> Files.exists(Path.of(release + ".waiting")));

            ProcessHandle.of(a.pid()).ifPresent(ProcessHandle::destroyForcibly);
            assertTrue(a.awaitExit(Duration.ofSeconds(30)) != 0);
            await("another node coordinates").atMost(Duration.ofSeconds(30))
                    .until(() -> !coordinator(Http.get(b.adminUrl("/upgrade")).body()).equals("a"));
            Files.writeString(release, "go");

            String[] ended = {""};
            await("the upgrade ends").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500)).until(() -> {
                ended[0] = Http.get(b.adminUrl("/upgrade")).body();
                return !state(ended[0]).equals("running");
            });
            String state = state(ended[0]);
            assertTrue(state.equals("done") || state.equals("rolled-back"), ended[0]);
            // the coordinator records the end first and tells the others after: c may say it a moment later
            await("every node says the same").atMost(Duration.ofSeconds(10))
                    .until(() -> state(Http.get(c.adminUrl("/upgrade")).body()).equals(state));
            String version = state.equals("done") ? "version=v2" : "version=v1";
            for (NodeProcess n : List.of(b, c)) {
                assertEquals(version, Http.get(n.httpUrl("/app/")).body().strip(), ended[0]);
            }
            assertTrue(ended[0].contains("left the cluster"), "says the coordinator left: " + ended[0]);
        } finally {
            for (NodeProcess n : nodes) {
                n.close();
            }
        }
    }

    private static String state(String json) {
        Matcher m = STATE.matcher(json);
        return m.find() ? m.group(1) : "";
    }

    private static String coordinator(String json) {
        Matcher m = COORDINATOR.matcher(json);
        return m.find() ? m.group(1) : "";
    }
}
