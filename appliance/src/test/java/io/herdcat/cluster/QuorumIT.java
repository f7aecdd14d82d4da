package io.herdcat.cluster;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.herdcat.testing.Cluster;
import io.herdcat.testing.DumpOutputOnFailure;
import io.herdcat.testing.Hosts;
import io.herdcat.testing.NodeProcess;
import io.herdcat.testing.ProcStatus;
import io.herdcat.testing.TestEnvironment;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three nodes on three "hosts" (network namespaces) with a static peers list, so the cluster's size
 * is 3 and a majority is 2; they share a front address ({@code front.vip}) that a client namespace
 * uses, and run as nobody. Cutting off the front's host makes it give the front and the address up
 * within {@code cluster.silence.timeout} (its front port closed, {@code /health/front} 503,
 * {@code /status} saying why) while the two others elect exactly one front that serves and holds the
 * address, the only host that does. Cutting off a host that does
 * not run the front leaves the front where it is. After each heal: one view of three members, exactly
 * one front, still on the node that ran it before the heal (the host that was cut off comes back
 * behind the majority, see {@link MergeOrder}); and throughout, never two nodes that say they run the
 * front. Last, {@code kill -9} of the
 * front's node: the two others open a front within the silence timeout.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
@ExtendWith(DumpOutputOnFailure.class)
class QuorumIT {
    private static final Duration SILENCE = Duration.ofSeconds(6);
    /** Beyond cluster.silence.timeout: a busy machine's scheduling, and the admin request that observes it. */
    private static final Duration MARGIN = Duration.ofSeconds(1);
    private static final Duration VIEW = Duration.ofSeconds(60);
    private static final int FRONT_PORT = 8000;
    private static final List<String> NAMES = List.of("a", "b", "c");
    private static final Pattern MEMBERS = Pattern.compile("\"members\":\\[([^\\]]*)\\]");
    private static final Pattern VIEW_ID = Pattern.compile("\"viewId\":(\\d+)");
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @TempDir
    Path dir;

    @Test
    void onlyAMajorityRunsTheFront() throws Exception {
        TestEnvironment.require(Hosts.available(), TestEnvironment.SKIP_ROOT,
                "QuorumIT needs root: it puts each node on a host of its own (a network namespace)");
        Path webapps = Cluster.prepare(dir);
        Path secret = Files.writeString(dir.resolve("cluster.secret"), "quorum-test-secret-0123456789abcdef");
        ProcStatus.giveTo(dir, ProcStatus.uidOf("nobody")); // the nodes drop root: what they write is nobody's
        try (Hosts hosts = new Hosts(3)) {
            String client = hosts.addClient();
            String vip = hosts.spareAddress();
            String peers = String.join(",", hosts.address(0) + ":7800", hosts.address(1) + ":7800",
                    hosts.address(2) + ":7800");
            List<NodeProcess> nodes = new ArrayList<>();
            FrontWatch watch = new FrontWatch(nodes);
            try {
                // a starts first, so it is the oldest member and runs the front
                nodes.add(start(hosts, 0, secret, webapps, peers, vip).awaitReady());
                for (int i = 1; i < 3; i++) {
                    nodes.add(start(hosts, i, secret, webapps, peers, vip));
                }
                for (NodeProcess n : nodes.subList(1, 3)) {
                    n.awaitReady();
                }
                awaitOneViewOfThree(nodes);
                assertEquals(0, awaitExactlyOneFront(hosts, nodes, List.of(0, 1, 2)), "the oldest member runs the front");
                awaitOnlyHolder(hosts, vip, 0);
                assertEquals(200, viaVip(client, vip), "the client reaches the front at its address");
                watch.start();

                // a host that does not run the front is cut off: the front stays where it is
                int front = 0;
                int other = 1;
                int third = 2;
                hosts.cut(List.of(other));
                await().atMost(VIEW).pollInterval(Duration.ofMillis(200)).until(() -> {
                    assertEquals(200, frontHealth(nodes.get(front)), "the front's node keeps the front");
                    assertEquals(503, frontHealth(nodes.get(third)), "the other majority node does not take it");
                    return members(nodes.get(front)).size() == 2 && members(nodes.get(third)).size() == 2;
                });
                assertEquals(200, frontRequest(hosts, front), "the front serves with one host cut off");
                assertEquals(503, frontHealth(nodes.get(other)), "the cut-off host does not run a front");
                assertFalse(listens(hosts, other), "nothing listens on the cut-off host's front port");
                hosts.heal();
                awaitOneViewOfThree(nodes);

                assertEquals(front, awaitExactlyOneFront(hosts, nodes, List.of(0, 1, 2)),
                        "the heal leaves the front where it was, whatever the cut-off host's address");

                // the front's own host is cut off: it gives the front up, the two others elect one
                int cutOff = front;
                long cutAt = System.nanoTime();
                hosts.cut(List.of(cutOff));
                NodeProcess lone = nodes.get(cutOff);
                await().atMost(SILENCE.plus(MARGIN)).pollInterval(Duration.ofMillis(100)).until(() ->
                        frontHealth(lone) == 503 && !listens(hosts, cutOff));
                long gaveUpMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - cutAt);
                assertTrue(status(lone).contains("no quorum: 1 of 3 members reachable"),
                        "/status says why the front does not run: " + status(lone));
                List<Integer> majority = new ArrayList<>(List.of(0, 1, 2));
                majority.remove(Integer.valueOf(cutOff));
                int newFront = awaitExactlyOneFront(hosts, nodes, majority);
                assertEquals(200, frontRequest(hosts, newFront), "the majority's front serves");
                awaitOnlyHolder(hosts, vip, newFront);
                assertEquals(200, viaVip(client, vip), "the client reaches the majority's front at the same address");
                assertEquals(503, frontHealth(lone), "the cut-off host stays without a front (gave up after "
                        + gaveUpMillis + " ms)");
                assertFalse(listens(hosts, cutOff), "nothing listens on the cut-off host's front port");
                hosts.heal();
                awaitOneViewOfThree(nodes);
                int healed = awaitExactlyOneFront(hosts, nodes, List.of(0, 1, 2));
                assertEquals(newFront, healed, "the heal leaves the front with the majority's node: the host that "
                        + "was cut off comes back behind it, whatever its address");
                assertEquals(200, frontRequest(hosts, healed), "the healed cluster's front serves");
                awaitOnlyHolder(hosts, vip, healed);
                assertEquals(200, viaVip(client, vip), "the client reaches the healed cluster's front");

                // the front's process dies: its host refuses connections, so the others need not wait for
                // it to give the front up, as they must for a host that is cut off
                ProcessHandle.of(nodes.get(healed).pid()).orElseThrow().destroyForcibly();
                List<Integer> survivors = new ArrayList<>(List.of(0, 1, 2));
                survivors.remove(Integer.valueOf(healed));
                int afterKill = awaitExactlyOneFront(hosts, nodes, survivors, SILENCE);
                assertEquals(200, frontRequest(hosts, afterKill), "the survivors' front serves");
                watch.stop();
                assertEquals(List.of(), watch.doubles(), "never two nodes that say they run the front");
            } finally {
                watch.stop();
                for (NodeProcess n : nodes) {
                    n.close();
                }
            }
        }
    }

    private static NodeProcess start(Hosts hosts, int i, Path secret, Path webapps, String peers, String vip)
            throws IOException {
        List<String> args = new ArrayList<>(List.of("--user", "nobody", "--secret-file", secret.toString(),
                "--peers", peers, "--jgroups-port", "7800",
                "--admin-token-file", secret.resolveSibling("admin.token").toString(),
                "--front-address", "0.0.0.0", "--front-port", Integer.toString(FRONT_PORT),
                "--front-vip", vip + "/28",
                "--cluster-silence-timeout", SILENCE.toSeconds() + "s"));
        return NodeProcess.startInNamespace(hosts.namespace(i), hosts.address(i), NAMES.get(i),
                secret.getParent(), webapps, args.toArray(String[]::new));
    }

    /** Asks every node's /health/front over and over, noting each round in which two or more said 200. */
    private static final class FrontWatch {
        private final List<NodeProcess> nodes;
        private final List<String> doubles = new java.util.concurrent.CopyOnWriteArrayList<>();
        private final Thread thread;
        private volatile boolean running = true;

        FrontWatch(List<NodeProcess> nodes) {
            this.nodes = nodes;
            this.thread = new Thread(this::run, "front-watch");
            thread.setDaemon(true);
        }

        void start() {
            thread.start();
        }

        private void run() {
            while (running) {
                List<String> fronts = new ArrayList<>();
                for (int i = 0; i < nodes.size(); i++) {
                    if (frontHealth(nodes.get(i)) == 200) {
                        fronts.add(NAMES.get(i));
                    }
                }
                if (fronts.size() > 1) {
                    doubles.add(java.time.Instant.now() + " " + fronts);
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        void stop() throws InterruptedException {
            running = false;
            if (thread.isAlive()) {
                thread.join();
            }
        }

        List<String> doubles() {
            return List.copyOf(doubles);
        }
    }

    /** Every node lists the three members, under the same view id. */
    private static void awaitOneViewOfThree(List<NodeProcess> nodes) {
        await().atMost(VIEW).pollInterval(Duration.ofMillis(250)).until(() -> {
            List<String> ids = new ArrayList<>();
            for (NodeProcess n : nodes) {
                String s = status(n);
                if (members(s).size() != 3) {
                    return false;
                }
                Matcher m = VIEW_ID.matcher(s);
                ids.add(m.find() ? m.group(1) : "?");
            }
            return ids.stream().distinct().count() == 1;
        });
    }

    /**
     * Waits until exactly one of {@code candidates} answers 200 on /health/front, listens on the front port,
     * and no other node does; returns it.
     */
    private static int awaitExactlyOneFront(Hosts hosts, List<NodeProcess> nodes, List<Integer> candidates) {
        return awaitExactlyOneFront(hosts, nodes, candidates, VIEW);
    }

    private static int awaitExactlyOneFront(Hosts hosts, List<NodeProcess> nodes, List<Integer> candidates,
                                            Duration atMost) {
        int[] found = {-1};
        await().atMost(atMost).pollInterval(Duration.ofMillis(200)).until(() -> {
            List<Integer> fronts = new ArrayList<>();
            for (int i = 0; i < nodes.size(); i++) {
                if (frontHealth(nodes.get(i)) == 200) {
                    fronts.add(i);
                }
            }
            if (fronts.size() != 1 || !candidates.contains(fronts.get(0))) {
                return false;
            }
            found[0] = fronts.get(0);
            return listens(hosts, found[0]) && frontRequest(hosts, found[0]) == 200;
        });
        return found[0];
    }

    /** The node's /health/front status, asked from outside its host; -1 when it does not answer. */
    private static int frontHealth(NodeProcess node) {
        return admin(node, "/health/front").statusCode();
    }

    private static String status(NodeProcess node) {
        return admin(node, "/status").body();
    }

    private static List<String> members(NodeProcess node) {
        return members(status(node));
    }

    private static List<String> members(String status) {
        Matcher m = MEMBERS.matcher(status);
        return m.find() && !m.group(1).isEmpty() ? List.of(m.group(1).replace("\"", "").split(",")) : List.of();
    }

    private static Answer admin(NodeProcess node, String path) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(node.adminUrl(path)))
                .header("Authorization", "Bearer " + Cluster.ADMIN_TOKEN).timeout(Duration.ofSeconds(5)).build();
        try {
            HttpResponse<String> r = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
            return new Answer(r.statusCode(), r.body());
        } catch (IOException e) {
            return new Answer(-1, "");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(-1, "");
        }
    }

    /** A request through the front on host {@code host}: its status, -1 when nothing answers. */
    private static int frontRequest(Hosts hosts, int host) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + hosts.address(host) + ":" + FRONT_PORT
                + "/session-demo/session.json")).timeout(Duration.ofSeconds(10)).build();
        try {
            return CLIENT.send(request, HttpResponse.BodyHandlers.ofString()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** True when host {@code host} accepts a connection on the front port. */
    private static boolean listens(Hosts hosts, int host) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(hosts.address(host), FRONT_PORT), 2_000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Waits until host {@code holder}, and no other, has the front's address. */
    private static void awaitOnlyHolder(Hosts hosts, String vip, int holder) {
        await().atMost(SILENCE.plus(MARGIN)).pollInterval(Duration.ofMillis(100))
                .until(() -> hosts.holders(vip), List.of(holder)::equals);
    }

    /** A request from the client namespace to the front's address: its status, -1 when nothing answers. */
    private static int viaVip(String client, String vip) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("ip", "netns", "exec", client, "curl", "-s", "-o", "/dev/null", "-w", "%{http_code}",
                "--max-time", "5", "http://" + vip + ":" + FRONT_PORT + "/session-demo/session.json")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
        p.waitFor(20, TimeUnit.SECONDS);
        return out.matches("[1-9]\\d\\d") ? Integer.parseInt(out) : -1;
    }

    /** An admin answer: status (-1 when the node does not answer) and body. */
    private record Answer(int statusCode, String body) {
    }
}
