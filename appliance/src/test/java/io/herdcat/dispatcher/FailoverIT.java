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
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** kill -9 of a node under steady load through the front: no client sees a failure; the node comes back. */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
@ExtendWith(DumpOutputOnFailure.class)
class FailoverIT {
    private static final int CLIENTS = 8;

    @TempDir
    Path dir;

    @Test
    void killOfANodeUnderLoadFailsNoRequestAndTheRestartedNodeIsBackInRotationWithinFiveSeconds() throws Exception {
        Cluster.prepare(dir);
        int frontPort = FreePorts.offsetWhereFree(1, 0);
        String[] args = Args.with(Cluster.frontArgs(dir, frontPort), "--access-log", "false");
        try (NodeProcess a = Cluster.start("a", dir, args).awaitReady();
             NodeProcess b = Cluster.start("b", dir, Args.with(args, "--dispatcher", "never")).awaitReady()) {
            await().atMost(Duration.ofSeconds(20)).until(() -> Cluster.members(a).size() == 2);
            String hello = "http://127.0.0.1:" + frontPort + "/session-demo/hello";
            await().atMost(Duration.ofSeconds(20)).until(() -> Http.status(hello) == 200);

            Map<String, AtomicLong> outcomes = new ConcurrentHashMap<>();
            ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(8);
            List<java.util.concurrent.Future<?>> running = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                running.add(clients.submit(() -> load(hello, end, outcomes)));
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> outcomes.getOrDefault("Hello from b", new AtomicLong()).get() > 100);
            ProcessHandle.of(b.pid()).orElseThrow().destroyForcibly();
            for (var f : running) {
                f.get(30, TimeUnit.SECONDS);
            }
            clients.shutdown();
            long ok = outcomes.getOrDefault("Hello from a", new AtomicLong()).get()
                    + outcomes.getOrDefault("Hello from b", new AtomicLong()).get();
            long failed = outcomes.entrySet().stream().filter(e -> !e.getKey().startsWith("Hello from"))
                    .mapToLong(e -> e.getValue().get()).sum();
            assertEquals(0, failed, "failed requests while b was killed: " + outcomes);
            assertTrue(ok > 1000, "steady load: " + outcomes);

            try (NodeProcess again = Cluster.start("b", dir, Args.with(args, "--dispatcher", "never")).awaitReady()) {
                long ready = System.nanoTime();
                await().atMost(Duration.ofSeconds(5)).until(() -> Http.get(hello).body().strip().equals("Hello from b"));
                assertTrue(System.nanoTime() - ready < TimeUnit.SECONDS.toNanos(5));
            }
        }
    }

    private static void load(String url, long endNanos, Map<String, AtomicLong> outcomes) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build();
        while (System.nanoTime() < endNanos) {
            String outcome;
            try {
                HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
                outcome = r.statusCode() == 200 ? r.body().strip() : "status " + r.statusCode();
            } catch (Exception e) {
                outcome = e.getClass().getSimpleName();
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            outcomes.computeIfAbsent(outcome, k -> new AtomicLong()).incrementAndGet();
        }
    }

}
