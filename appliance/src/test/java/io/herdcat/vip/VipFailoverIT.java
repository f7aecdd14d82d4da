package io.herdcat.vip;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.herdcat.testing.Cluster;
import io.herdcat.testing.DumpOutputOnFailure;
import io.herdcat.testing.Hosts;
import io.herdcat.testing.Http;
import io.herdcat.testing.NodeProcess;
import io.herdcat.testing.RemoteAdmin;
import io.herdcat.testing.ProcStatus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three nodes on three "hosts" (network namespaces on a bridge), started as root and running as nobody,
 * share a front address, {@code front.vip}, on
 * port 80; a client namespace knows nothing but that address. {@code kill -9} of the front's node moves the
 * address to exactly one other host and the client's session goes on there; the killed node, restarted,
 * clears the address its crashed run left behind; a graceful stop of the front's node moves it again. Every
 * move ran the nodes' {@code front.on.elected} / {@code front.on.demoted} hooks.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
@ExtendWith(DumpOutputOnFailure.class)
class VipFailoverIT {
    private static final Duration VIEW = Duration.ofSeconds(40);
    private static final Duration MOVE = Duration.ofSeconds(30);
    private static final List<String> NAMES = List.of("a", "b", "c");

    @TempDir
    Path dir;

    @Test
    void killedFrontsAddressMovesToOneOtherHostAndTheClientsSessionGoesOn() throws Exception {
        assumeTrue(Hosts.available(), "VipFailoverIT needs root (network namespaces, ip addr add): skipped");
        assertTrue(Files.isExecutable(Path.of("/usr/sbin/arping")) || Files.isExecutable(Path.of("/usr/bin/arping")),
                "arping is missing: install iputils-arping (.ci/run does)");
        Path webapps = Cluster.prepare(dir);
        Path secret = Files.writeString(dir.resolve("cluster.secret"), "vip-test-secret-0123456789abcdef");
        ProcStatus.giveTo(dir, ProcStatus.uidOf("nobody")); // the nodes drop root: what they write is nobody's
        try (Hosts hosts = new Hosts(3)) {
            String client = hosts.addClient();
            String vip = hosts.spareAddress();
            String peers = String.join(",", hosts.address(0) + ":7800", hosts.address(1) + ":7800",
                    hosts.address(2) + ":7800");
            List<NodeProcess> nodes = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    nodes.add(start(hosts, i, webapps, secret, peers));
                }
                for (NodeProcess n : nodes) {
                    await().atMost(VIEW).until(() -> members(n).size() == 3);
                }
                await().atMost(MOVE).until(() -> holders(hosts, vip).size() == 1);
                int first = holders(hosts, vip).get(0);
                String url = "http://" + vip + "/session-demo/session.json";
                await().atMost(MOVE).until(() -> curl(client, url, null).status() == 200);
                Http.Response created = curl(client, url + "?name=basket&value=3", null);
                assertEquals(200, created.status(), created.body());
                // the client keeps the cookie as a browser does: a node that takes over a session renames it
                // after itself (Set-Cookie), and the old id may then lead back to its restarted first node
                AtomicReference<String> session = new AtomicReference<>(created.sessionCookie().orElseThrow());
                await().atMost(MOVE).until(() -> !hookLines(first).isEmpty());

                ProcessHandle.of(nodes.get(first).pid()).orElseThrow().destroyForcibly();
                await().atMost(MOVE).until(() -> survivors(hosts, vip, first).size() == 1);
                int second = survivors(hosts, vip, first).get(0);
                await().atMost(MOVE).ignoreExceptions().untilAsserted(() -> {
                    Http.Response after = curl(client, url, session.get());
                    assertEquals(200, after.status(), after.body());
                    assertEquals("\"basket\":\"3\"", Cluster.attributes(after.body()));
                    after.sessionCookie().ifPresent(session::set);
                });
                assertTrue(holders(hosts, vip).contains(first), "a killed node cannot remove its address");

                nodes.set(first, start(hosts, first, webapps, secret, peers));
                await().atMost(MOVE).until(() -> holders(hosts, vip).equals(List.of(second)));

                nodes.get(second).terminate();
                assertEquals(0, nodes.get(second).awaitExit(Duration.ofSeconds(60)));
                await().atMost(MOVE).until(() -> holders(hosts, vip).size() == 1
                        && holders(hosts, vip).get(0) != second);
                int third = holders(hosts, vip).get(0);
                await().atMost(MOVE).ignoreExceptions().untilAsserted(() -> {
                    Http.Response after = curl(client, url, session.get());
                    assertEquals(200, after.status(), after.body());
                    assertEquals("\"basket\":\"3\"", Cluster.attributes(after.body()));
                    after.sessionCookie().ifPresent(session::set);
                });

                String v = " " + vip;
                assertEquals(List.of("elected " + NAMES.get(first) + v), hookLines(first).subList(0, 1));
                assertEquals(List.of("elected " + NAMES.get(second) + v, "demoted " + NAMES.get(second) + v),
                        hookLines(second));
                await().atMost(MOVE).until(() -> hookLines(third).contains("elected " + NAMES.get(third) + v));
                for (int i : List.of(0, 1, 2)) {
                    if (i != first && i != second && i != third) {
                        assertEquals(List.of(), hookLines(i));
                    }
                }
                assertNotEquals(first, second);
                for (int i : List.of(first, third)) {
                    assertTrue(status(nodes.get(i)).contains("\"frontMove\":{\"vip\":\"" + vip + "/28\",\"interface\":"
                            + "\"eth0\",\"commandFailures\":0,\"hookFailures\":0}"), status(nodes.get(i)));
                }
            } finally {
                for (NodeProcess n : nodes) {
                    n.close();
                }
            }
        }
    }

    private NodeProcess start(Hosts hosts, int i, Path webapps, Path secret, String peers) throws IOException {
        String hook = "echo \"$HERDCAT_EVENT $HERDCAT_NODE $HERDCAT_VIP\" >> " + hookFile(i);
        return NodeProcess.startInNamespace(hosts.namespace(i), hosts.address(i), NAMES.get(i), dir, webapps,
                "--user", "nobody", "--secret-file", secret.toString(), "--peers", peers, "--jgroups-port", "7800",
                "--admin-token-file", dir.resolve("admin.token").toString(), "--cluster-silence-timeout", "2s",
                "--front-port", "80", "--front-address", "0.0.0.0", "--front-vip", hosts.spareAddress() + "/28",
                "--front-on-elected", hook, "--front-on-demoted", hook).awaitReady();
    }

    private Path hookFile(int i) {
        return dir.resolve("hooks-" + NAMES.get(i) + ".log");
    }

    private List<String> hookLines(int i) throws IOException {
        Path f = hookFile(i);
        return Files.exists(f) ? Files.readAllLines(f) : List.of();
    }

    /** The hosts whose eth0 holds the address. */
    private static List<Integer> holders(Hosts hosts, String vip) throws IOException, InterruptedException {
        return hosts.holders(vip);
    }

    private static List<Integer> survivors(Hosts hosts, String vip, int killed) throws IOException, InterruptedException {
        return holders(hosts, vip).stream().filter(i -> i != killed).toList();
    }

    /** A GET from the client namespace; status -1 when nothing answered. */
    private static Http.Response curl(String netns, String url, String session) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", netns, "curl", "-s", "-i",
                "--max-time", "5"));
        if (session != null) {
            cmd.addAll(List.of("-H", "Cookie: JSESSIONID=" + session));
        }
        cmd.add(url);
        String out = run(cmd.toArray(String[]::new));
        Matcher status = Pattern.compile("^HTTP/1\\.1 (\\d{3})").matcher(out);
        if (!status.find()) {
            return new Http.Response(-1, out, Optional.empty());
        }
        Matcher cookie = Pattern.compile("(?im)^Set-Cookie: JSESSIONID=([^;\\r\\n]+)").matcher(out);
        int bodyStart = out.indexOf("\r\n\r\n");
        return new Http.Response(Integer.parseInt(status.group(1)), bodyStart < 0 ? "" : out.substring(bodyStart + 4),
                cookie.find() ? Optional.of(cookie.group(1)) : Optional.empty());
    }

    private static String run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(20, TimeUnit.SECONDS);
        return out;
    }

    private static List<String> members(NodeProcess node) {
        return RemoteAdmin.members(node);
    }

    private static String status(NodeProcess node) {
        return RemoteAdmin.status(node);
    }
}
