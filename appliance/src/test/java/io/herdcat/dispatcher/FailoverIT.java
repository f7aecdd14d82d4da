package io.herdcat.dispatcher;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.herdcat.testing.Args;
import io.herdcat.testing.Cluster;
import io.herdcat.testing.DumpOutputOnFailure;
import io.herdcat.testing.FreePorts;
import io.herdcat.testing.Http;
import io.herdcat.testing.NodeProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of a node under steady load through the front: no client sees a failure, the front retries
 * on the survivor (its failover counter moves and the survivor serves everything afterwards), a session
 * that lived on the killed node keeps its values, and the restarted node comes back into rotation.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
@ExtendWith(DumpOutputOnFailure.class)
class FailoverIT {
    private static final int CLIENTS = 8;
    private static final Pattern FAILOVERS = Pattern.compile("\"failovers\":(\\d+)");
    private static final Pattern NODE = Pattern.compile("\"node\":\"([^\"]+)\"");

    @TempDir
    Path dir;

    @Test
    void killOfANodeUnderLoadFailsNoRequestTheSurvivorTakesOverAndTheRestartedNodeIsBackInRotation() throws Exception {
        Cluster.prepare(dir);
        int frontPort = FreePorts.offsetWhereFree(1, 0);
        String[] args = Args.with(Cluster.frontArgs(dir, frontPort), "--access-log", "false");
        try (NodeProcess a = Cluster.start("a", dir, Args.with(args, "--dispatcher", "always")).awaitReady();
             NodeProcess b = Cluster.start("b", dir, Args.with(args, "--dispatcher", "never")).awaitReady()) {
            await().atMost(Duration.ofSeconds(20)).until(() -> Cluster.members(a).size() == 2);
            String front = "http://127.0.0.1:" + frontPort + "/session-demo/";
            String hello = front + "hello";
            await().atMost(Duration.ofSeconds(20)).until(() -> Http.status(hello) == 200);
            String sessionOnB = sessionOn("b", front);
            assertEquals("\"kept\":\"yes\"",
                    Cluster.attributes(Http.get(front + "session.json?name=kept&value=yes", sessionOnB).body()));
            long failoversBefore = failovers(a);

            Map<String, AtomicLong> outcomes = new ConcurrentHashMap<>();
            Map<String, AtomicLong> afterKill = new ConcurrentHashMap<>();
            AtomicBoolean killed = new AtomicBoolean();
            ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(8);
            List<java.util.concurrent.Future<?>> running = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                running.add(clients.submit(() -> load(hello, end, outcomes, afterKill, killed)));
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> outcomes.getOrDefault("Hello from b", new AtomicLong()).get() > 100);
            ProcessHandle bProcess = ProcessHandle.of(b.pid()).orElseThrow();
            bProcess.destroyForcibly();
            bProcess.onExit().get(30, TimeUnit.SECONDS);
            killed.set(true);
            for (var f : running) {
                f.get(60, TimeUnit.SECONDS);
            }
            clients.shutdown();
            long ok = outcomes.getOrDefault("Hello from a", new AtomicLong()).get()
                    + outcomes.getOrDefault("Hello from b", new AtomicLong()).get();
            long failed = outcomes.entrySet().stream().filter(e -> !e.getKey().startsWith("Hello from"))
                    .mapToLong(e -> e.getValue().get()).sum();
            assertEquals(0, failed, "failed requests while b was killed: " + outcomes);
            assertTrue(ok > 200, "steady load: " + outcomes);
            assertTrue(afterKill.getOrDefault("Hello from a", new AtomicLong()).get() > 0,
                    "the survivor served the load after the kill: " + afterKill);
            assertTrue(failovers(a) > failoversBefore, "the front retried requests b could not answer on a");

            String session = Http.get(front + "session.json", sessionOnB).body();
            assertEquals("a", nodeOf(session), "b's session is served by a: " + session);
            assertEquals("\"kept\":\"yes\"", Cluster.attributes(session), "the session's value survived: " + session);

            try (NodeProcess again = Cluster.start("b", dir, Args.with(args, "--dispatcher", "never")).awaitReady()) {
                await("b back in rotation").atMost(Duration.ofSeconds(60))
                        .until(() -> Http.get(hello).body().strip().equals("Hello from b"));
            }
        }
    }

    /** A new session that the front placed on {@code node}; its id. */
    private static String sessionOn(String node, String front) throws Exception {
        for (int i = 0; i < 50; i++) {
            Http.Response r = Http.get(front + "session.json");
            if (node.equals(nodeOf(r.body()))) {
                return r.sessionCookie().orElseThrow();
            }
        }
        throw new AssertionError("the front never placed a new session on " + node);
    }

    private static String nodeOf(String sessionJson) {
        Matcher m = NODE.matcher(sessionJson);
        return m.find() ? m.group(1) : "<no node in " + sessionJson + ">";
    }

    /** The front's failover counter on its node's /status. */
    private static long failovers(NodeProcess frontNode) throws Exception {
        Matcher m = FAILOVERS.matcher(Cluster.status(frontNode));
        assertTrue(m.find(), "the front's node shows its failovers on /status");
        return Long.parseLong(m.group(1));
    }

    private static void load(String url, long endNanos, Map<String, AtomicLong> outcomes,
                             Map<String, AtomicLong> afterKill, AtomicBoolean killed) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build();
        while (System.nanoTime() < endNanos) {
            String outcome;
            try {
                HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
                outcome = r.statusCode() == 200 ? r.body().strip() : "status " + r.statusCode();
            } catch (Exception e) {
                outcome = e.getClass().getSimpleName() + ": " + e.getMessage();
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            outcomes.computeIfAbsent(outcome, k -> new AtomicLong()).incrementAndGet();
            if (killed.get()) {
                afterKill.computeIfAbsent(outcome, k -> new AtomicLong()).incrementAndGet();
            }
        }
    }

}
