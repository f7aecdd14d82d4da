package io.herdcat.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.herdcat.config.ConfigSources;
import io.herdcat.config.NodeConfig;
import io.herdcat.config.Setting;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real embedded Tomcat started with a gate before traffic (what the node holds until it has joined
 * its cluster): the webapps deploy while the gate holds, but no connector accepts a connection and the
 * node is not ready; once the gate opens the node serves; a gate that fails fails the start with its
 * own exception, and no connector ever opened.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class TomcatNodeTrafficGateTest {
    @TempDir
    Path dir;
    private TomcatNode node;
    private int httpPort;

    @AfterEach
    void stop() {
        if (node != null) {
            node.stop(Duration.ofSeconds(5));
        }
    }

    private TomcatNode newNode() throws IOException {
        Path app = Files.createDirectories(dir.resolve("webapps").resolve("app"));
        Files.writeString(app.resolve("index.html"), "served\n");
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            httpPort = s.getLocalPort();
        }
        Map<Setting, String> flags = new EnumMap<>(Setting.class);
        flags.put(Setting.NAME, "gate");
        flags.put(Setting.WEBAPPS, "webapps");
        flags.put(Setting.WORK_DIR, "work");
        flags.put(Setting.HTTP_ADDRESS, "127.0.0.1");
        flags.put(Setting.HTTP_PORT, Integer.toString(httpPort));
        flags.put(Setting.AJP_ADDRESS, "127.0.0.1");
        flags.put(Setting.AJP_PORT, "0");
        NodeConfig config = NodeConfig.from(ConfigSources.gather(flags, Map.of(), dir), "test-host", dir);
        node = new TomcatNode(config, null);
        return node;
    }

    @Test
    void theWebappsDeployWhileTheGateHoldsButNothingIsServedUntilItOpens() throws Exception {
        TomcatNode n = newNode();
        CountDownLatch atGate = new CountDownLatch(1);
        CountDownLatch open = new CountDownLatch(1);
        CompletableFuture<Void> started = CompletableFuture.runAsync(() -> {
            try {
                n.start(() -> {
                    atGate.countDown();
                    assertTrue(open.await(1, TimeUnit.MINUTES), "the test opens the gate");
                });
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertTrue(atGate.await(1, TimeUnit.MINUTES), "the start reaches the gate");

        NodeStatus held = n.status();
        assertEquals("STARTED", held.webapps().get(0).state(), "the webapp deployed while the gate holds");
        assertFalse(held.ready(), "not ready while the gate holds");
        assertRefused();
        assertFalse(started.isDone());

        open.countDown();
        started.get(1, TimeUnit.MINUTES);
        assertTrue(n.status().ready());
        HttpResponse<String> r = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/app/")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        assertEquals("served\n", r.body());
    }

    @Test
    void aGateThatFailsFailsTheStartWithItsOwnExceptionAndNoConnectorOpens() throws Exception {
        TomcatNode n = newNode();
        SecurityException refused = new SecurityException("the cluster refused this node");
        SecurityException thrown = assertThrows(SecurityException.class, () -> n.start(() -> {
            throw refused;
        }));
        assertSame(refused, thrown);
        assertEquals(NodeState.FAILED, n.state());
        assertRefused();
    }

    private void assertRefused() {
        assertThrows(ConnectException.class, () -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", httpPort), 5_000);
            }
        }, "the HTTP port takes no connection");
    }
}
