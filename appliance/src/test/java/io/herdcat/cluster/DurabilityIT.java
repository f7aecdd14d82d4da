package io.herdcat.cluster;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.herdcat.testing.Cluster;
import io.herdcat.testing.DumpOutputOnFailure;
import io.herdcat.testing.NodeProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** A session write whose response reached the client survives {@code kill -9} of the node that served it. */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
@ExtendWith(DumpOutputOnFailure.class)
class DurabilityIT {
    private static final int SESSIONS = 300;
    private static final int ROUNDS = 3;
    private static final int CONCURRENCY = 32;
    private static final int KILL_AFTER = 200;

    @TempDir
    Path dir;

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Semaphore inFlight = new Semaphore(CONCURRENCY);

    @Test
    void everyAcknowledgedWriteSurvivesKillOfTheNodeThatServedIt() throws Exception {
        Cluster.prepare(dir);
        try (NodeProcess a = Cluster.start("a", dir).awaitReady();
             NodeProcess b = Cluster.start("b", dir).awaitReady()) {
            await().atMost(Duration.ofSeconds(20)).until(() -> Cluster.members(a).size() == 2);
            String base = a.httpUrl("/session-demo/session.json");

            List<String> ids = all(i -> get(base + "?name=n&value=" + i, null)
                    .thenApply(r -> r.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0].substring(11)));
            for (int round = 1; round < ROUNDS; round++) {
                int r = round;
                all(i -> get(base + "?name=last&value=r" + r + "-" + i, ids.get(i)).thenApply(HttpResponse::body));
            }

            // last round: kill a the instant the 200th response is in, with other writes still in flight
            AtomicInteger answered = new AtomicInteger();
            Set<Integer> acknowledged = ConcurrentHashMap.newKeySet();
            List<CompletableFuture<?>> last = new ArrayList<>();
            for (int i = 0; i < SESSIONS; i++) {
                int n = i;
                inFlight.acquire();
                last.add(get(base + "?name=last&value=final-" + n, ids.get(n)).whenComplete((resp, e) -> {
                    inFlight.release();
                    if (e == null && resp.statusCode() == 200 && resp.body().contains("\"last\":\"final-" + n + "\"")) {
                        acknowledged.add(n);
                        if (answered.incrementAndGet() == KILL_AFTER) {
                            ProcessHandle.of(a.pid()).ifPresent(ProcessHandle::destroyForcibly);
                        }
                    }
                }));
            }
            CompletableFuture.allOf(last.toArray(CompletableFuture[]::new)).handle((x, e) -> null).get(60, TimeUnit.SECONDS);
            assertTrue(acknowledged.size() >= KILL_AFTER, "acknowledged: " + acknowledged.size());

            String onB = b.httpUrl("/session-demo/session.json");
            List<String> read = all(i -> get(onB, ids.get(i)).thenApply(HttpResponse::body));
            List<Integer> lost = new ArrayList<>();
            for (int i : acknowledged) {
                if (!read.get(i).contains("\"last\":\"final-" + i + "\"")) {
                    lost.add(i);
                }
            }
            assertEquals(List.of(), lost, "acknowledged writes lost after kill -9 (" + acknowledged.size() + " acknowledged)");
        }
    }

    /** Runs request i for every session, at most CONCURRENCY at once, and waits for all. */
    private <T> List<T> all(IntFunction<CompletableFuture<T>> request) throws Exception {
        List<CompletableFuture<T>> futures = new ArrayList<>();
        for (int i = 0; i < SESSIONS; i++) {
            inFlight.acquire();
            futures.add(request.apply(i).whenComplete((x, e) -> inFlight.release()));
        }
        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        List<T> results = new ArrayList<>();
        for (CompletableFuture<T> f : futures) {
            results.add(f.get());
        }
        return results;
    }

    private CompletableFuture<HttpResponse<String>> get(String url, String sessionId) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
        if (sessionId != null) {
            b.header("Cookie", "JSESSIONID=" + sessionId);
        }
        return client.sendAsync(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
