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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jgroups.Address;
import org.jgroups.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A process without the cluster secret captures the nodes' real membership traffic (an admin change,
 * a join) and sends it back altered, replayed as it was, and made up: nothing changes on the nodes,
 * and every kind of attempt is counted on {@code /status} and {@code /metrics}.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
@ExtendWith(DumpOutputOnFailure.class)
class OutsiderIT {
    private static final Duration VIEW = Duration.ofSeconds(30);
    private static final Pattern REJECTED = Pattern.compile("\"rejectedMessages\":\\{([^}]*)\\}");

    @TempDir
    Path dir;

    @Test
    void capturedAlteredReplayedAndForeignMessagesChangeNothingAndAreCounted() throws Exception {
        Cluster.prepare(dir);
        int frontPort = FreePorts.offsetWhereFree(1, 0);
        // each port is chosen just before its node binds it: the range is shared with ephemeral ports
        int portA = FreePorts.offsetWhereFree(1, 0);
        String[] shared = Cluster.frontArgs(dir, frontPort);
        List<byte[]> frames;
        try (NodeProcess a = startNode("a", shared, portA).awaitReady()) {
            int portB = FreePorts.offsetWhereFree(1, 0);
            try (PacketCapture capture = new PacketCapture(dir.resolve("jgroups.pcap"),
                    "tcp port " + portA + " or tcp port " + portB);
                 NodeProcess b = startNode("b", shared, portB).awaitReady()) {
                await().atMost(VIEW).until(() -> Cluster.members(a).size() == 2 && Cluster.members(b).size() == 2);
                await().atMost(VIEW).until(() -> Cluster.weightOf(a, "b") == 1);

                // captured: a tells b to take weight 7 and to be disabled; a third node joins and leaves
                assertEquals(202, Cluster.adminPost(a, "/nodes/b/weight", "7", Cluster.ADMIN_TOKEN));
                assertEquals(202, Cluster.adminPost(a, "/nodes/b/activation", "disabled", Cluster.ADMIN_TOKEN));
                await().atMost(VIEW).until(() -> Cluster.weightOf(b, "b") == 7 && status(b).contains("\"disabled\""));
                int portC = FreePorts.offsetWhereFree(1, 0);
                try (NodeProcess c = startNode("c", shared, portC).awaitReady()) {
                    await().atMost(VIEW).until(() -> Cluster.members(a).size() == 3);
                }
                await().atMost(VIEW).until(() -> Cluster.members(a).size() == 2 && Cluster.members(b).size() == 2);
                frames = JGroupsOutsider.frames(capture.stop());

                // not captured: b back to weight 1 and active
                assertEquals(202, Cluster.adminPost(a, "/nodes/b/weight", "1", Cluster.ADMIN_TOKEN));
                assertEquals(202, Cluster.adminPost(a, "/nodes/b/activation", "active", Cluster.ADMIN_TOKEN));
                await().atMost(VIEW).until(() -> Cluster.weightOf(a, "b") == 1 && !status(a).contains("\"disabled\""));
                assertTrue(frames.size() > 20, "captured frames: " + frames.size());

                String adminStateA = adminState("a");
                String adminStateB = adminState("b");
                Set<Address> senders = JGroupsOutsider.senders(frames);
                assertFalse(senders.isEmpty(), "the clear part of the frames names their senders");

                // altered: bytes flipped near the end of each frame (where the payload is) and in its middle
                List<byte[]> altered = new ArrayList<>();
                for (byte[] f : frames) {
                    altered.add(JGroupsOutsider.flipped(f, 1, 1));
                    altered.add(JGroupsOutsider.flipped(f, 24, 5));
                    altered.add(JGroupsOutsider.flipped(f, f.length / 2, 2));
                }
                // made up: admin commands and a record from an address no member has, in clear
                List<byte[]> foreign = new ArrayList<>();
                Address stranger = UUID.randomUUID();
                byte[] cluster = JGroupsOutsider.clusterName(frames);
                for (Address to : senders) {
                    foreign.add(JGroupsOutsider.foreignFrame(cluster, stranger, to, new byte[] {3, 0, 0, 0, 2}));
                    foreign.add(JGroupsOutsider.foreignFrame(cluster, stranger, to, new byte[] {2, 0, 0, 0, 9}));
                    foreign.add(JGroupsOutsider.foreignFrame(cluster, to, to, new byte[] {3, 0, 0, 0, 1}));
                    foreign.add(JGroupsOutsider.foreignFrame(cluster, stranger, null, new byte[] {3, 0, 0, 0, 2}));
                }
                List<byte[]> continued = JGroupsOutsider.continuedSequences(frames, 400);
                for (int port : List.of(portA, portB)) {
                    JGroupsOutsider.send(port, continued);
                    JGroupsOutsider.send(port, altered);
                    JGroupsOutsider.send(port, frames);
                    JGroupsOutsider.send(port, foreign);
                }

                await("nothing changes").during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(6)).until(() ->
                        Cluster.members(a).equals(List.of("a", "b")) && Cluster.members(b).equals(List.of("a", "b")));
                for (NodeProcess n : List.of(a, b)) {
                    String s = status(n);
                    assertFalse(s.contains("\"activation\":\"disabled\"") || s.contains("\"activation\":\"stopped\""), n + ": " + s);
                    assertEquals(1, Cluster.weightOf(n, "a"));
                    assertEquals(1, Cluster.weightOf(n, "b"));
                }
                assertEquals(adminStateA, adminState("a"), "a's admin state file");
                assertEquals(adminStateB, adminState("b"), "b's admin state file");
                assertEquals(200, Http.status("http://127.0.0.1:" + frontPort + "/session-demo/hello"),
                        "the front still answers");

                for (NodeProcess n : List.of(a, b)) {
                    Map<String, Long> rejected = rejected(n);
                    for (String kind : List.of("modified", "replayed", "foreign")) {
                        assertTrue(rejected.getOrDefault(kind, 0L) > 0, n + " counted " + kind + ": " + rejected);
                    }
                    String metrics = Http.get(n.adminUrl("/metrics")).body();
                    for (String kind : List.of("modified", "replayed", "foreign")) {
                        assertTrue(metrics.contains("herdcat_cluster_rejected_messages_total{reason=\"" + kind + "\"}"),
                                "metrics of " + kind);
                    }
                }
                assertTrue(a.output().contains("Cluster message refused") || b.output().contains("Cluster message refused"),
                        "refusals are logged");
            }
        }
    }

    private NodeProcess startNode(String name, String[] shared, int jgroupsPort) throws Exception {
        return Cluster.start(name, dir, Args.with(shared, "--jgroups-port", Integer.toString(jgroupsPort)));
    }

    private String adminState(String node) throws Exception {
        Path f = dir.resolve("work-" + node).resolve("admin-state.properties");
        return Files.exists(f) ? Files.readString(f).replaceAll("(?m)^#.*$", "") : "<none>";
    }

    private static String status(NodeProcess n) throws Exception {
        return Cluster.status(n);
    }

    private static Map<String, Long> rejected(NodeProcess n) throws Exception {
        Matcher m = REJECTED.matcher(status(n));
        Map<String, Long> counts = new java.util.TreeMap<>();
        if (m.find()) {
            for (String pair : m.group(1).split(",")) {
                String[] kv = pair.split(":");
                if (kv.length == 2) {
                    counts.put(kv[0].replace("\"", ""), Long.parseLong(kv[1].trim()));
                }
            }
        }
        return counts;
    }
}
