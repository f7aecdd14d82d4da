package io.herdcat.cluster;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.herdcat.testing.Cluster;
import io.herdcat.testing.DumpOutputOnFailure;
import io.herdcat.testing.Http;
import io.herdcat.testing.NodeProcess;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A session write's response is held in the connector until the other member acknowledged the change
 * (its request thread is not kept waiting for it): with that member frozen (SIGSTOP) the response
 * does not come, the node meanwhile serves other requests, and once the member runs again the
 * response comes and the member already holds the change.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
@ExtendWith(DumpOutputOnFailure.class)
class HeldResponseIT {
    private static final Pattern IN_FLIGHT = Pattern.compile("\"requests\":\\{\"total\":\\d+,\"inFlight\":(\\d+)");

    @TempDir
    Path dir;

    @Test
    void aWritesResponseIsReleasedOnlyWhenThePeerAcknowledgedIt() throws Exception {
        Cluster.prepare(dir);
        try (NodeProcess a = Cluster.start("a", dir).awaitReady();
             NodeProcess b = Cluster.start("b", dir).awaitReady()) {
            await().atMost(Duration.ofSeconds(30)).until(() -> Cluster.members(a).size() == 2
                    && Cluster.members(b).size() == 2);
            String[] id = {null};
            assertEquals(200, write(a, id, "guest"));
            assertEquals("guest", roleOn(b, id));
            // served by b, the session is b's primary copy now; a write on a takes it back (a message
            // of its own, which would wait for b too)
            assertEquals(200, write(a, id, "user"));

            signal("STOP", b);
            CompletableFuture<Integer> held;
            try {
                held = CompletableFuture.supplyAsync(() -> {
                    try {
                        return write(a, id, "admin");
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                assertEquals(200, Http.status(a.httpUrl("/session-demo/hello")),
                        "a serves a request that changes no session meanwhile");
                // well inside the 5 s send timeout, after which a send to a frozen member fails
                assertThrows(TimeoutException.class, () -> held.get(1500, TimeUnit.MILLISECONDS),
                        "the write's response waits for b's acknowledgement");
                assertEquals(1, inFlight(a), "the held write is a request in flight (a drain waits for it)");
            } finally {
                signal("CONT", b);
            }
            assertEquals(200, held.get(10, TimeUnit.SECONDS));
            assertEquals("admin", roleOn(b, id), "b held the write when its response came");
            await().atMost(Duration.ofSeconds(10)).until(() -> inFlight(a) == 0);
        }
    }

    /** This node's own Tomcat requests in flight (the "requests" object of "node" on /status). */
    private static int inFlight(NodeProcess node) throws Exception {
        Matcher m = IN_FLIGHT.matcher(Cluster.status(node));
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }

    private static void signal(String signal, NodeProcess node) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(node.pid())).inheritIO().start();
        assertEquals(0, kill.waitFor(), "kill -" + signal);
    }

    /** Sets the role through {@code node}; the session's id follows the node that served it (route suffix). */
    private static int write(NodeProcess node, String[] id, String role) throws Exception {
        Http.Response r = Http.get(node.httpUrl("/session-demo/session.json?name=role&value=" + role), id[0]);
        r.sessionCookie().ifPresent(c -> id[0] = c);
        return r.status();
    }

    private static String roleOn(NodeProcess node, String[] id) throws Exception {
        Http.Response r = Http.get(node.httpUrl("/session-demo/session.json"), id[0]);
        Matcher m = Pattern.compile("\"role\":\"([a-z]+)\"").matcher(Cluster.attributes(r.body()));
        return m.find() ? m.group(1) : "<none: " + r.body() + ">";
    }
}
