package io.herdcat.cluster;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.herdcat.testing.Cluster;
import io.herdcat.testing.DumpOutputOnFailure;
import io.herdcat.testing.Hosts;
import io.herdcat.testing.Http;
import io.herdcat.testing.NodeProcess;
import io.herdcat.testing.RemoteAdmin;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three nodes on three "hosts" (network namespaces); the test cuts one off, both sides create and
 * change sessions while apart, the test heals the cut: afterwards every session holds its last
 * acknowledged write on every node, whichever side wrote it.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
@ExtendWith(DumpOutputOnFailure.class)
class PartitionIT {
    private static final Duration VIEW = Duration.ofSeconds(40);
    /** Generous: a node can lack a member's record for a while after a merge. */
    private static final Duration RECORDS = Duration.ofSeconds(90);
    private static final List<String> NAMES = List.of("a", "b", "c");
    private static final Pattern COUNTER = Pattern.compile("\"count\":\"(\\d+)\"");

    @TempDir
    Path dir;

    /** The session's current id (its route suffix follows the node that served it last) and its last write. */
    private static final class Tracked {
        String id;
        int last;

        Tracked(String id, int last) {
            this.id = id;
            this.last = last;
        }
    }

    @Test
    void healedPartitionLeavesEverySessionWithItsLastAcknowledgedWriteOnEveryNode() throws Exception {
        assumeTrue(Hosts.available(), "network namespaces need root");
        Path webapps = Cluster.prepare(dir);
        Path secret = Files.writeString(dir.resolve("cluster.secret"), "partition-test-secret-0123456789abcdef");
        try (Hosts hosts = new Hosts(3)) {
            String peers = String.join(",", hosts.address(0) + ":7800", hosts.address(1) + ":7800",
                    hosts.address(2) + ":7800");
            List<NodeProcess> nodes = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    nodes.add(NodeProcess.startInNamespace(hosts.namespace(i), hosts.address(i), NAMES.get(i),
                            dir, webapps, "--secret-file", secret.toString(), "--peers", peers,
                            "--jgroups-port", "7800", "--admin-token-file", dir.resolve("admin.token").toString(),
                            "--cluster-silence-timeout", "2s").awaitReady());
                }
                NodeProcess a = nodes.get(0);
                NodeProcess b = nodes.get(1);
                NodeProcess c = nodes.get(2);
                awaitEveryRecordEverywhere(nodes);

                Map<String, Tracked> sessions = new LinkedHashMap<>();
                sessions.put("onA", new Tracked(null, 0));
                sessions.put("onB", new Tracked(null, 0));
                write(a, sessions.get("onA"), 1);
                write(b, sessions.get("onB"), 1);
                // a read moves the session's route to the reading node: read each last where it will be written
                for (NodeProcess n : List.of(b, c, a)) {
                    await().atMost(VIEW).untilAsserted(() -> assertEquals(1, read(n, sessions.get("onA"))));
                }
                for (NodeProcess n : List.of(a, c, b)) {
                    await().atMost(VIEW).untilAsserted(() -> assertEquals(1, read(n, sessions.get("onB"))));
                }

                hosts.cut(List.of(0));
                await().atMost(VIEW).until(() -> members(a).size() == 1);
                await().atMost(VIEW).until(() -> members(b).size() == 2 && members(c).size() == 2);

                // apart: each side changes the sessions it serves and creates new ones
                Tracked onA = sessions.get("onA");
                Tracked onB = sessions.get("onB");
                for (int v = 2; v <= 5; v++) {
                    write(a, onA, v);
                    write(b, onB, v);
                }
                for (int k = 0; k < 3; k++) {
                    Tracked newOnA = new Tracked(null, 0);
                    write(a, newOnA, 10 + k);
                    sessions.put("newOnA" + k, newOnA);
                    Tracked newOnC = new Tracked(null, 0);
                    write(c, newOnC, 20 + k);
                    sessions.put("newOnC" + k, newOnC);
                }

                hosts.heal();
                awaitEveryRecordEverywhere(nodes);
                for (Map.Entry<String, Tracked> e : sessions.entrySet()) {
                    Tracked t = e.getValue();
                    for (NodeProcess n : nodes) {
                        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                                assertEquals(t.last, read(n, t), "session " + e.getKey() + " read on " + n.httpUrl("")));
                    }
                }
            } finally {
                for (NodeProcess n : nodes) {
                    n.close();
                }
            }
        }
    }

    /** Every node lists every node's record as ready: only then does it replicate with all of them. */
    private static void awaitEveryRecordEverywhere(List<NodeProcess> nodes) {
        for (NodeProcess n : nodes) {
            await().atMost(VIEW).until(() -> members(n).size() == 3);
        }
        await().atMost(RECORDS).pollInterval(Duration.ofMillis(250)).until(() -> nodes.stream().allMatch(n -> {
            String status = status(n);
            return NAMES.stream().allMatch(name -> status.contains("{\"name\":\"" + name + "\",\"phase\":\"READY\""));
        }));
    }

    /** Writes {@code value} into the session (creating it when it has no id yet). */
    private static void write(NodeProcess node, Tracked t, int value) throws Exception {
        Http.Response r = Http.get(node.httpUrl("/session-demo/session.json?name=count&value=" + value), t.id);
        assertEquals(200, r.status(), r.body());
        assertEquals(value, counter(r.body()), r.body());
        r.sessionCookie().ifPresent(id -> t.id = id);
        t.last = value;
    }

    /** The counter the node holds for the session (the read may move the session's route to the node). */
    private static int read(NodeProcess node, Tracked t) throws Exception {
        Http.Response r = Http.get(node.httpUrl("/session-demo/session.json"), t.id);
        r.sessionCookie().filter(id -> base(id).equals(base(t.id))).ifPresent(id -> t.id = id);
        return counter(r.body());
    }

    private static String base(String sessionId) {
        int dot = sessionId.indexOf('.');
        return dot < 0 ? sessionId : sessionId.substring(0, dot);
    }

    private static List<String> members(NodeProcess node) {
        return RemoteAdmin.members(node);
    }

    private static String status(NodeProcess node) {
        return RemoteAdmin.status(node);
    }

    private static int counter(String body) {
        Matcher m = COUNTER.matcher(body);
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }
}
