package io.herdcat.admin;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.herdcat.testing.Args;
import io.herdcat.testing.Cluster;
import io.herdcat.testing.DumpOutputOnFailure;
import io.herdcat.testing.FreePorts;
import io.herdcat.testing.Http;
import io.herdcat.testing.NodeProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The admin API on a three-node cluster: writes need the token, apply everywhere, steer the front and survive restarts. */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
@ExtendWith(DumpOutputOnFailure.class)
class AdminApiIT {
    @TempDir
    Path dir;

    @Test
    void activationSetThroughOneNodeIsSeenEverywhereHonouredByTheFrontAndKeptAcrossARestart() throws Exception {
        Cluster.prepare(dir);
        int frontPort = FreePorts.offsetWhereFree(1, 0);
        String[] args = Args.with(Cluster.frontArgs(dir, frontPort), "--access-log", "false");
        try (NodeProcess a = Cluster.start("a", dir, Args.with(args, "--dispatcher", "always")).awaitReady();
             NodeProcess b = Cluster.start("b", dir, Args.with(args, "--dispatcher", "never")).awaitReady();
             NodeProcess c = Cluster.start("c", dir, Args.with(args, "--dispatcher", "never")).awaitReady()) {
            List<NodeProcess> all = List.of(a, b, c);
            await().atMost(Duration.ofSeconds(20)).until(() -> Cluster.members(a).size() == 3);
            String hello = "http://127.0.0.1:" + frontPort + "/session-demo/hello";
            await().atMost(Duration.ofSeconds(20)).until(() -> Http.status(hello) == 200);

            assertEquals(401, Cluster.adminPost(a, "/nodes/b/activation", "disabled", null));
            assertEquals(401, Cluster.adminPost(a, "/nodes/b/activation", "disabled", "wrong-token-0123456789"));
            assertEquals(401, Cluster.adminPost(a, "/counters/reset", "", null));
            assertEquals("active", field(Cluster.status(c), "b", "activation"), "a refused write changes nothing");

            assertEquals(202, Cluster.adminPost(a, "/nodes/b/activation", "disabled", Cluster.ADMIN_TOKEN));
            for (NodeProcess n : all) {
                await("b disabled as seen by " + n).atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20))
                        .until(() -> "disabled".equals(field(Cluster.status(n), "b", "activation")));
            }
            for (int i = 0; i < 20; i++) {
                assertFalse(Http.get(hello).body().contains("from b"), "a disabled node gets no new sessions");
            }

            await().atMost(Duration.ofSeconds(20)).until(() -> {
                String requests = field(Cluster.status(b), "a", "requests");
                return requests != null && !requests.equals("null") && Long.parseLong(requests) > 0;
            });
            assertEquals(202, Cluster.adminPost(c, "/counters/reset", "", Cluster.ADMIN_TOKEN));
            await().atMost(Duration.ofSeconds(20)).until(() -> "0".equals(field(Cluster.status(c), "a", "requests")));
            await().atMost(Duration.ofSeconds(20)).until(() -> !"null".equals(field(Cluster.status(b), "c", "sessions")));

            b.close();
            try (NodeProcess again = Cluster.start("b", dir, Args.with(args, "--dispatcher", "never")).awaitReady()) {
                await().atMost(Duration.ofSeconds(20)).until(() -> Cluster.members(a).size() == 3);
                await().atMost(Duration.ofSeconds(20))
                        .until(() -> "disabled".equals(field(Cluster.status(a), "b", "activation")));
                assertTrue(again.output().contains("kept from the admin API"), "the restart says why");
            }
        }
    }

    @Test
    void fromAnotherHostReadsNeedTheTokenButHealthChecksDoNot() throws Exception {
        Cluster.prepare(dir);
        try (io.herdcat.testing.ExtraAddress external = io.herdcat.testing.ExtraAddress.create();
             NodeProcess a = Cluster.start("a", dir, "--admin-address", "0.0.0.0").awaitReady()) {
            String base = "http://" + external.address().getHostAddress() + ":" + a.adminPort();
            java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
            java.util.function.BiFunction<String, String, Integer> get = (path, token) -> {
                var r = java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + path));
                if (token != null) {
                    r.header("Authorization", "Bearer " + token);
                }
                try {
                    return client.send(r.build(), java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            };
            assertEquals(401, get.apply("/status", null));
            assertEquals(401, get.apply("/status", "wrong-token-0123456789"));
            assertEquals(200, get.apply("/status", Cluster.ADMIN_TOKEN));
            assertEquals(200, get.apply("/health", null));
            assertEquals(200, get.apply("/health/live", null));
            assertEquals(200, Http.status(a.adminUrl("/status")), "from this host reads stay open");
        }
    }

    /** The value of {@code key} in the "nodes" row of {@code node} in a /status document (string or number), else null. */
    static String field(String status, String node, String key) {
        int nodes = status.indexOf("\"nodes\":[");
        Matcher row = Pattern.compile("\\{\"name\":\"" + Pattern.quote(node) + "\",\"route\"[^{}]*\\}").matcher(status);
        if (nodes < 0 || !row.find(nodes)) {
            return null;
        }
        Matcher v = Pattern.compile("\"" + Pattern.quote(key) + "\":(\"([^\"]*)\"|[^,}\\]]+)").matcher(row.group());
        if (!v.find()) {
            return null;
        }
        return v.group(2) != null ? v.group(2) : v.group(1);
    }
}
