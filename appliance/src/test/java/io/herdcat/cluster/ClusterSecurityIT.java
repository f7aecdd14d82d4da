package io.herdcat.cluster;

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
import io.herdcat.testing.PacketCapture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** With a cluster secret, only nodes that know it take part, and session data never crosses the wire in clear. */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
@ExtendWith(DumpOutputOnFailure.class)
class ClusterSecurityIT {
    @TempDir
    Path dir;

    private Path secret(String name, String value) throws Exception {
        return Files.writeString(dir.resolve(name), value);
    }

    @Test
    void nodeWithAnotherSecretOrNoneCannotJoinAndTheLogSaysWhy() throws Exception {
        Cluster.prepare(dir);
        String s1 = secret("one.secret", "first-secret-0123456789abcdef").toString();
        String s2 = secret("two.secret", "other-secret-0123456789abcdef").toString();
        try (NodeProcess a = Cluster.start("a", dir, "--secret-file", s1).awaitReady();
             NodeProcess b = Cluster.start("b", dir, "--secret-file", s1).awaitReady()) {
            await().atMost(Duration.ofSeconds(20)).until(() -> Cluster.members(b).size() == 2);
            // both outsiders at once: each waits out its own refused join
            try (NodeProcess intruder = Cluster.start("x", dir, "--secret-file", s2);
                 NodeProcess bare = Cluster.start("y", dir)) {
                intruder.awaitReady();
                bare.awaitReady();
                await().atMost(Duration.ofSeconds(20)).until(() ->
                        intruder.output().contains("uses another cluster secret")
                                || a.output().contains("uses another cluster secret"));
                // without secret.file a node seals with its host's secret, which is not the cluster's
                assertTrue(bare.output().contains("sealed with this host's secret"), "the log says which secret");
                await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
                        .until(() -> Cluster.members(a).size() == 2 && Cluster.members(intruder).equals(List.of("x"))
                                && Cluster.members(bare).equals(List.of("y")));
            }
        }
    }

    @Test
    void sessionDataCrossesTheWireEncryptedWithTheClusterSecretAndWithTheHostSecret() throws Exception {
        Cluster.prepare(dir);
        String s1 = secret("one.secret", "first-secret-0123456789abcdef").toString();
        assertFalse(captureContainsMarker("secret", "--secret-file", s1), "with a secret: no attribute value in clear");
        assertFalse(captureContainsMarker("host"), "without secret.file: sealed with the host secret, not in clear");
    }

    /** Two nodes; writes a marker attribute on the first, checks it on the second; was it readable on the wire? */
    private boolean captureContainsMarker(String prefix, String... extraArgs) throws Exception {
        Path sub = Files.createDirectories(dir.resolve(prefix));
        Files.copy(dir.resolve("admin.token"), sub.resolve("admin.token"));
        Files.createDirectories(sub.resolve("webapps"));
        Files.copy(dir.resolve("webapps/session-demo.war"), sub.resolve("webapps/session-demo.war"));
        int tribesPort = FreePorts.offsetWhereFree(1, 0);
        String marker = "MARKER-" + UUID.randomUUID();
        try (NodeProcess a = Cluster.start(prefix + "-a", sub, extraArgs).awaitReady();
             NodeProcess b = Cluster.start(prefix + "-b", sub, Args.with(extraArgs, "--tribes-port", Integer.toString(tribesPort)))
                     .awaitReady()) {
            await().atMost(Duration.ofSeconds(20)).until(() -> Cluster.members(a).size() == 2);
            try (PacketCapture capture = new PacketCapture(sub.resolve("tribes.pcap"), tribesPort)) {
                Http.Response written = Http.get(a.httpUrl("/session-demo/session.json?name=card&value=" + marker));
                String id = written.sessionCookie().orElseThrow();
                assertEquals("\"card\":\"" + marker + "\"",
                        Cluster.attributes(Http.get(b.httpUrl("/session-demo/session.json"), id).body()));
                byte[] captured = capture.stop();
                assertTrue(captured.length > 1_000, "control: the capture saw the replication traffic ("
                        + captured.length + " bytes)");
                return PacketCapture.contains(captured, marker);
            }
        }
    }

}
