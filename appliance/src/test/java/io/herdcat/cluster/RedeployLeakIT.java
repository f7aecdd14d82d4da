package io.herdcat.cluster;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.herdcat.testing.Cluster;
import io.herdcat.testing.DumpOutputOnFailure;
import io.herdcat.testing.Http;
import io.herdcat.testing.NodeProcess;
import io.herdcat.testing.TestWars;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Redeploying a distributable webapp many times leaves no old webapp class loader behind, even after
 * its pages stored objects of its own classes that replication refused (Tomcat's worker threads
 * outlive every deployment).
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
@ExtendWith(DumpOutputOnFailure.class)
class RedeployLeakIT {
    private static final int REDEPLOYS = 8;
    private static final int CONCURRENT = 8;
    private static final String LOADER = "org.apache.catalina.loader.ParallelWebappClassLoader";

    @TempDir
    Path dir;

    @Test
    void redeployedWebappsLeaveNoClassLoaderBehindAfterRefusedAttributes() throws Exception {
        Path webapps = Cluster.prepare(dir);
        TestWars.drop(webapps, "leak.war", "v0", true);
        ExecutorService clients = Executors.newFixedThreadPool(CONCURRENT);
        try (NodeProcess a = Cluster.start("a", dir).awaitReady()) {
            await().atMost(Duration.ofSeconds(30)).until(() -> Http.status(a.httpUrl("/leak/")) == 200);
            long deployedApps = loaders(a);
            for (int i = 1; i <= REDEPLOYS; i++) {
                String label = "v" + i;
                TestWars.drop(webapps, "leak.war", label, true);
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                        .until(() -> body(a.httpUrl("/leak/")).contains("version=" + label));
                List<CompletableFuture<String>> held = new ArrayList<>();
                for (int k = 0; k < CONCURRENT; k++) {
                    held.add(CompletableFuture.supplyAsync(() -> body(a.httpUrl("/leak/held.jsp")), clients));
                }
                for (CompletableFuture<String> f : held) {
                    assertEquals("refused", f.get(30, TimeUnit.SECONDS).strip());
                }
            }
            long after = loaders(a);
            assertTrue(after <= deployedApps, "webapp class loaders: " + deployedApps + " deployed, " + after
                    + " alive after " + REDEPLOYS + " redeploys and a full GC");
        } finally {
            clients.shutdownNow();
        }
    }

    /** Live webapp class loaders in the node after a full GC. */
    private static long loaders(NodeProcess node) throws IOException, InterruptedException {
        jcmd(node, "GC.run");
        for (String line : jcmd(node, "GC.class_histogram").split("\n")) {
            String[] cols = line.trim().split("\\s+");
            if (cols.length >= 4 && cols[3].equals(LOADER)) {
                return Long.parseLong(cols[1]);
            }
        }
        return 0;
    }

    private static String jcmd(NodeProcess node, String command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("jcmd", Long.toString(node.pid()), command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, "jcmd " + command + ": " + out);
        return out;
    }

    private static String body(String url) {
        try {
            return Http.get(url).body();
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }
}
