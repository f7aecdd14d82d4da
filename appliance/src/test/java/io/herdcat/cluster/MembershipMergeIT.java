package io.herdcat.cluster;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.herdcat.testing.Cluster;
import io.herdcat.testing.DumpOutputOnFailure;
import io.herdcat.testing.Http;
import io.herdcat.testing.NodeProcess;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Views and node records around merges: nodes started together form one view by joining, not by a
 * merge; and after a partition heals every node holds every member's record and replicates to it.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
@ExtendWith(DumpOutputOnFailure.class)
class MembershipMergeIT {
    private static final Duration VIEW = Duration.ofSeconds(30);
    private static final List<String> MERGE_SIGNS = List.of("partitions merged", "both served while apart");

    @TempDir
    Path dir;

    @Test
    void nodesStartedTogetherFormOneViewWithoutAMerge() throws Exception {
        for (int round = 0; round < 3; round++) {
            Path sub = Files.createDirectories(dir.resolve("round-" + round));
            Cluster.prepare(sub);
            List<NodeProcess> nodes = new ArrayList<>();
            try {
                for (String name : List.of("a", "b", "c")) {
                    nodes.add(Cluster.start(name, sub));
                }
                for (NodeProcess n : nodes) {
                    n.awaitReady();
                }
                for (NodeProcess n : nodes) {
                    assertEquals(200, Http.status(n.httpUrl("/session-demo/hello")), "every node serves");
                    await().atMost(VIEW).until(() -> Cluster.members(n).size() == 3);
                }
                for (NodeProcess n : nodes) {
                    for (String sign : MERGE_SIGNS) {
                        assertFalse(n.output().contains(sign), "round " + round + ": one view by joins, no merge: "
                                + sign);
                    }
                }
            } finally {
                for (NodeProcess n : nodes) {
                    n.close();
                }
            }
        }
    }

    /**
     * Without a discovery folder, nodes that hear each other while they discover wait out the whole join
     * timeout and agree on one coordinator ({@link QuietDiscoveryWindow} shortens only a discovery that
     * heard nobody), so nodes started together still form one view by joins.
     */
    @Test
    void nodesStartedTogetherWithPeersFormOneViewWithoutAMerge() throws Exception {
        for (int round = 0; round < 2; round++) {
            Path sub = Files.createDirectories(dir.resolve("peers-" + round));
            Path webapps = Cluster.prepare(sub);
            Path secret = Files.writeString(sub.resolve("cluster.secret"), "peers-test-secret-0123456789");
            List<Integer> ports = List.of(freePort(), freePort(), freePort());
            List<String> peers = ports.stream().map(p -> "127.0.0.1:" + p).toList();
            List<NodeProcess> nodes = new ArrayList<>();
            try {
                List<String> names = List.of("a", "b", "c");
                for (int i = 0; i < names.size(); i++) {
                    nodes.add(NodeProcess.startWithPeers(names.get(i), sub, webapps, ports.get(i), peers,
                            "--cluster-address", "127.0.0.1", "--secret-file", secret.toString()));
                }
                for (NodeProcess n : nodes) {
                    n.awaitReady();
                }
                for (NodeProcess n : nodes) {
                    await().atMost(VIEW).until(() -> Cluster.members(n).size() == 3);
                }
                for (NodeProcess n : nodes) {
                    for (String sign : MERGE_SIGNS) {
                        assertFalse(n.output().contains(sign), "round " + round + ": one view by joins, no merge: "
                                + sign);
                    }
                }
            } finally {
                for (NodeProcess n : nodes) {
                    n.close();
                }
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void afterEveryHealedPartitionEachNodeHoldsEveryRecordAndReplicatesToEveryMember() throws Exception {
        Cluster.prepare(dir);
        // a frozen member is removed after 1.3 × 2 s instead of 1.3 × 5 s: three rounds in less time
        try (NodeProcess a = Cluster.start("a", dir, "--cluster-silence-timeout", "2s").awaitReady();
             NodeProcess b = Cluster.start("b", dir, "--cluster-silence-timeout", "2s").awaitReady()) {
            awaitEveryRecordEverywhere(a, b);
            for (int round = 0; round < 3; round++) {
                new ProcessBuilder("kill", "-STOP", Long.toString(b.pid())).start().waitFor();
                try {
                    await().atMost(VIEW).until(() -> Cluster.members(a).equals(List.of("a")));
                } finally {
                    new ProcessBuilder("kill", "-CONT", Long.toString(b.pid())).start().waitFor();
                }
                awaitEveryRecordEverywhere(a, b);
                assertReplicates(a, b, "round" + round);
                assertReplicates(b, a, "round" + round);
            }
        }
    }

    private static void awaitEveryRecordEverywhere(NodeProcess... nodes) {
        for (NodeProcess n : nodes) {
            await().atMost(VIEW).until(() -> Cluster.members(n).size() == nodes.length);
            for (String name : List.of("a", "b")) {
                await().atMost(VIEW).until(() -> Cluster.weightOf(n, name) == 1);
            }
        }
    }

    private static void assertReplicates(NodeProcess from, NodeProcess to, String value) throws Exception {
        Http.Response written = Http.get(from.httpUrl("/session-demo/session.json?name=round&value=" + value));
        String id = written.sessionCookie().orElseThrow();
        await().atMost(VIEW).untilAsserted(() -> assertEquals("\"round\":\"" + value + "\"",
                Cluster.attributes(Http.get(to.httpUrl("/session-demo/session.json"), id).body()),
                "a session written on " + from + " is on the other node"));
    }
}
