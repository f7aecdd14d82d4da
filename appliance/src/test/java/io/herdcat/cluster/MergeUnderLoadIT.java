package io.herdcat.cluster;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.herdcat.testing.Args;
import io.herdcat.testing.Cluster;
import io.herdcat.testing.DumpOutputOnFailure;
import io.herdcat.testing.FreePorts;
import io.herdcat.testing.NodeProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three nodes started at the same moment (they may form two clusters that merge a few seconds later)
 * while 20 clients write a counter into their sessions through the front: afterwards every client
 * reads back its last acknowledged write. Repeated, since whether the start splits varies.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
@ExtendWith(DumpOutputOnFailure.class)
class MergeUnderLoadIT {
    private static final int REPEATS = 3;
    private static final int CLIENTS = 20;
    /** Writes each client makes after every node holds every record (replication with all members). */
    private static final int WRITES_AFTER_MERGE = 10;
    private static final Pattern COUNTER = Pattern.compile("\"count\":\"(\\d+)\"");
    private static final List<String> NAMES = List.of("a", "b", "c");

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void clientsWritingThroughTheFrontWhileNodesStartedTogetherMergeReadBackTheirLastWrites() throws Exception {
        for (int run = 0; run < REPEATS; run++) {
            Path runDir = Files.createDirectories(dir.resolve("run" + run));
            Cluster.prepare(runDir);
            int frontPort = frontPort();
            String[] secured = Cluster.frontArgs(runDir, frontPort);
            List<NodeProcess> nodes = new ArrayList<>();
            ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
            try {
                nodes.add(Cluster.start("a", runDir, Args.with(secured, "--dispatcher", "always")));
                nodes.add(Cluster.start("b", runDir, secured));
                nodes.add(Cluster.start("c", runDir, secured));
                AtomicBoolean merged = new AtomicBoolean();
                String front = "http://127.0.0.1:" + frontPort + "/session-demo/session.json";
                List<Future<String>> results = new ArrayList<>();
                for (int i = 0; i < CLIENTS; i++) {
                    results.add(clients.submit(() -> writeUntilMergedThenReadBack(front, merged)));
                }
                for (NodeProcess n : nodes) {
                    n.awaitReady();
                }
                // after a merge every node learns every member's record and replicates with it
                await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250))
                        .until(() -> nodes.stream().allMatch(MergeUnderLoadIT::holdsEveryRecord));
                merged.set(true);
                List<String> rolledBack = new ArrayList<>();
                for (Future<String> f : results) {
                    String r = f.get(120, TimeUnit.SECONDS);
                    if (!r.isEmpty()) {
                        rolledBack.add(r);
                    }
                }
                boolean split = nodes.stream().anyMatch(n -> n.output().contains("both served while apart"));
                System.out.printf("run %d: %s%n", run, split ? "the nodes formed more than one cluster and merged"
                        : "the nodes formed one cluster");
                assertEquals(List.of(), rolledBack, "run " + run + " (" + (split ? "merged" : "no merge")
                        + "): sessions that lost acknowledged writes");
            } finally {
                clients.shutdownNow();
                for (NodeProcess n : nodes) {
                    n.close();
                }
            }
        }
    }

    /** Writes 1, 2, 3 … until told the cluster merged, then a few more, then reads back; "" when all is well. */
    private String writeUntilMergedThenReadBack(String front, AtomicBoolean merged) throws Exception {
        String[] cookie = {null};
        int acknowledged = 0;
        int afterMerge = 0;
        for (int value = 1; afterMerge < WRITES_AFTER_MERGE; value++) {
            if (merged.get()) {
                afterMerge++;
            }
            int read = request(front + "?name=count&value=" + value, cookie);
            if (read == value) {
                acknowledged = value;
            } else if (read < 0) {
                await().pollDelay(Duration.ofMillis(100)).atMost(Duration.ofSeconds(1)).until(() -> true);
            }
        }
        if (acknowledged == 0) {
            return "no write acknowledged";
        }
        int last = acknowledged;
        int[] read = {-1};
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                .until(() -> (read[0] = request(front, cookie)) >= 0);
        return read[0] == last ? "" : "wrote " + last + ", read " + read[0];
    }

    /** The counter in the answer, or -1 when the request failed. */
    private int request(String url, String[] cookie) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20));
            if (cookie[0] != null) {
                b.header("Cookie", "JSESSIONID=" + cookie[0]);
            }
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            r.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("JSESSIONID="))
                    .forEach(c -> cookie[0] = c.substring(11, c.indexOf(';') > 0 ? c.indexOf(';') : c.length()));
            if (r.statusCode() != 200) {
                return -1;
            }
            Matcher m = COUNTER.matcher(r.body());
            return m.find() ? Integer.parseInt(m.group(1)) : 0;
        } catch (java.io.IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** A free port below the ephemeral range, so that no node's port-0 socket can take it before the front opens. */
    private static int frontPort() {
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(20_000, 32_000);
            if (FreePorts.isFree(port)) {
                return port;
            }
        }
        throw new IllegalStateException("no free port for the front");
    }

    private static boolean holdsEveryRecord(NodeProcess node) {
        try {
            String status = Cluster.status(node);
            return Cluster.members(node).size() == 3 && NAMES.stream()
                    .allMatch(name -> status.contains("{\"name\":\"" + name + "\",\"phase\":\"READY\""));
        } catch (java.io.IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
