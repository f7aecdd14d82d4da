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
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed layout on one host (one network namespace, so port 80 is this test's): two nodes started
 * as root with {@code --user nobody}, the front on port 80. Both run unprivileged; after kill -9 of
 * the node holding port 80, the other node opens port 80 and serves the client's session within 3 s.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
@ExtendWith(DumpOutputOnFailure.class)
class SeedLayoutPort80IT {
    private static final Duration TAKEOVER = Duration.ofSeconds(3);
    private static final Pattern MEMBERS = Pattern.compile("\"members\":\\[([^\\]]*)\\]");
    private static final HttpClient ADMIN = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path dir;

    @Test
    void killOfTheNodeHoldingPort80LetsTheOtherServeItWithTheSessionWithin3Seconds() throws Exception {
        TestEnvironment.require(TestEnvironment.isRoot() && Hosts.available(), TestEnvironment.SKIP_ROOT,
                "dropping root and network namespaces need a test run as root");
        Path webapps = Cluster.prepare(dir);
        Path secret = Files.writeString(dir.resolve("cluster.secret"), "seed-layout-secret-0123456789abcdef");
        ProcStatus.giveTo(dir, ProcStatus.uidOf("nobody"));
        try (Hosts hosts = new Hosts(1)) {
            String ns = hosts.namespace(0);
            String address = hosts.address(0);
            String peers = address + ":7800," + address + ":7801";
            String[] common = {"--user", "nobody", "--secret-file", secret.toString(), "--peers", peers,
                "--admin-token-file", dir.resolve("admin.token").toString(), "--front-port", "80",
                "--front-address", address, "--access-log", "false"};
            try (NodeProcess a = NodeProcess.startInNamespace(ns, address, "a", dir, webapps,
                    with(common, "--jgroups-port", "7800")).awaitReady();
                 NodeProcess b = NodeProcess.startInNamespace(ns, address, "b", dir, webapps,
                    with(common, "--jgroups-port", "7801")).awaitReady()) {
                await("one view of two").atMost(Duration.ofSeconds(30))
                        .until(() -> memberCount(a) == 2 && memberCount(b) == 2);
                String front = "http://" + address + "/session-demo/session.json";
                await("the front on port 80").atMost(Duration.ofSeconds(30)).until(() -> Http.status(front) == 200);
                Http.Response created = Http.get(front + "?name=basket&value=3");
                String id = created.sessionCookie().orElseThrow();
                for (NodeProcess n : List.of(a, b)) {
                    for (ProcStatus.Thread t : ProcStatus.threads(n.pid())) {
                        assertFalse(t.hasRootId(), "node pid " + n.pid() + " runs unprivileged: " + t);
                    }
                }
                await("a node answers /health/front").atMost(Duration.ofSeconds(20))
                        .until(() -> Http.status(a.adminUrl("/health/front")) == 200
                                || Http.status(b.adminUrl("/health/front")) == 200);
                NodeProcess holder = Http.status(a.adminUrl("/health/front")) == 200 ? a : b;
                NodeProcess other = holder == a ? b : a;
                // the session is replicated to both before its holder may die
                await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertEquals("\"basket\":\"3\"",
                        Cluster.attributes(Http.get(other.httpUrl("/session-demo/session.json"), id).body())));

                ProcessHandle.of(holder.pid()).orElseThrow().destroyForcibly();
                long killed = System.nanoTime();
                AtomicReference<String> last = new AtomicReference<>("nothing yet");
                await("port 80 serves the session again").atMost(Duration.ofSeconds(20))
                        .pollInterval(Duration.ofMillis(10)).until(() -> {
                            try {
                                Http.Response r = Http.get(front, id);
                                last.set(r.status() + " " + r.body());
                                return r.status() == 200 && Cluster.attributes(r.body()).equals("\"basket\":\"3\"");
                            } catch (java.io.IOException e) {
                                last.set(e.toString());
                                return false;
                            }
                        });
                Duration outage = Duration.ofNanos(System.nanoTime() - killed);
                System.out.println("Port 80 served the session again " + outage.toMillis() + " ms after kill -9 of its node");
                assertTrue(outage.compareTo(TAKEOVER) <= 0, "port 80 served the session again after "
                        + outage.toMillis() + " ms (at most " + TAKEOVER.toMillis() + " ms); last answer " + last);
                assertEquals(200, Http.status(other.adminUrl("/health/front")), "the other node runs the front now");
            }
        }
    }

    /** How many members the node's /status lists; read from outside its host, so with the admin token. */
    private static int memberCount(NodeProcess node) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(node.adminUrl("/status")))
                .header("Authorization", "Bearer " + Cluster.ADMIN_TOKEN).timeout(Duration.ofSeconds(5)).build();
        Matcher m = MEMBERS.matcher(ADMIN.send(request, HttpResponse.BodyHandlers.ofString()).body());
        return m.find() && !m.group(1).isEmpty() ? m.group(1).split(",").length : 0;
    }

    private static String[] with(String[] base, String... more) {
        return io.herdcat.testing.Args.with(base, more);
    }
}
