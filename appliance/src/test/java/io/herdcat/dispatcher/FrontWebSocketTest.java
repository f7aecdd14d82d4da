package io.herdcat.dispatcher;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.herdcat.config.Activation;
import io.herdcat.config.NodeConfig;
import io.herdcat.dispatcher.balance.WorkerSpec;
import io.herdcat.testing.WsClient;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** WebSockets through the front to real Tomcat nodes in this JVM: routing, relaying, limits and the close codes. */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class FrontWebSocketTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private TestBackend a;
    private TestBackend b;
    private Dispatcher front;

    @BeforeEach
    void start() throws Exception {
        a = new TestBackend("a").start(0);
        b = new TestBackend("b").start(0);
    }

    @AfterEach
    void stop() throws Exception {
        if (front != null) {
            front.close();
        }
        a.close();
        b.close();
    }

    private void frontOver(Dispatcher.Options options) throws InterruptedException {
        front = TestBackend.front(options, a.spec(), b.spec());
    }

    private URI ws(String path) {
        return URI.create("ws://127.0.0.1:" + front.port() + path);
    }

    private WsClient onNode(String route) {
        return WsClient.connect(HTTP, ws("/ws"), "Cookie", "JSESSIONID=0123456789ABCDEF." + route);
    }

    @Test
    void upgradeWithoutSessionIsBalancedAndEchoes() throws Exception {
        frontOver(Dispatcher.Options.defaults());
        Set<String> nodes = new HashSet<>();
        for (int i = 0; i < 4; i++) {
            WsClient c = WsClient.connect(HTTP, ws("/ws"));
            nodes.add(c.next());
            assertEquals("hello " + i, c.echo("hello " + i));
            c.close();
        }
        assertEquals(Set.of("a", "b"), nodes, "new WebSockets go to both nodes");
    }

    @Test
    void upgradeWithSessionCookieGoesToItsNodeAndIsCounted() throws Exception {
        frontOver(Dispatcher.Options.defaults());
        WsClient first = onNode("b");
        WsClient second = onNode("b");
        assertEquals("b", first.next());
        assertEquals("b", second.next());
        DispatcherSnapshot s = front.snapshot();
        assertEquals(2, s.webSockets().open());
        assertEquals(2, s.nodes().stream().filter(n -> n.route().equals("b")).findFirst().orElseThrow().webSockets());
        first.close();
        assertEquals(1000, first.closed().get(10, TimeUnit.SECONDS));
        await().atMost(Duration.ofSeconds(10)).until(() -> front.snapshot().webSockets().open() == 1);
        assertEquals(1L, front.snapshot().webSockets().closes().get("client"));
    }

    @Test
    void aLargeMessageFromTheNodeArrivesWhole() throws Exception {
        frontOver(Dispatcher.Options.defaults());
        WsClient c = onNode("a");
        assertEquals("a", c.next());
        assertEquals("x".repeat(3_000_000), c.echo("big:3000000"), "3 MB, far beyond the write watermarks");
        String long1 = "y".repeat(200_000);
        assertEquals(long1, c.echo(long1), "and a large one from the client");
    }

    @Test
    void helloSentWithThe101ArrivesIntact() throws Exception {
        try (ServerSocket fakeNode = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            front = TestBackend.front(Dispatcher.Options.defaults(),
                    new WorkerSpec("f", "127.0.0.1", a.port(), 1, Activation.ACTIVE,
                            "127.0.0.1", fakeNode.getLocalPort()));
            CompletableFuture<WsClient> opening = WsClient.open(HTTP, ws("/ws"));
            try (Socket node = fakeNode.accept()) {
                BufferedReader head = new BufferedReader(new InputStreamReader(
                        node.getInputStream(), StandardCharsets.ISO_8859_1));
                String key = null;
                for (String line; !(line = head.readLine()).isEmpty(); ) {
                    if (line.toLowerCase(Locale.ROOT).startsWith("sec-websocket-key:")) {
                        key = line.substring(line.indexOf(':') + 1).trim();
                    }
                }
                String accept = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1")
                        .digest((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").getBytes(StandardCharsets.ISO_8859_1)));
                byte[] answer = ("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                        + "Sec-WebSocket-Accept: " + accept + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
                byte[] hello = {(byte) 0x81, 5, 'h', 'e', 'l', 'l', 'o'};
                byte[] oneWrite = Arrays.copyOf(answer, answer.length + hello.length);
                System.arraycopy(hello, 0, oneWrite, answer.length, hello.length);
                node.getOutputStream().write(oneWrite); // the 101 and the first frame in one segment
                node.getOutputStream().flush();
                WsClient c = opening.get(10, TimeUnit.SECONDS);
                assertEquals("hello", c.next());
            }
        }
    }

    @Test
    void aNodesCloseIsRelayedAsItIs() throws Exception {
        frontOver(Dispatcher.Options.defaults());
        WsClient c = onNode("a");
        assertEquals("a", c.next());
        c.send("bye");
        assertEquals(1000, c.closed().get(10, TimeUnit.SECONDS), "the node's own 1000, no 1012 after it");
        await().atMost(Duration.ofSeconds(10)).until(() -> front.snapshot().webSockets().open() == 0);
        assertEquals(1L, front.snapshot().webSockets().closes().get("node"));
    }

    @Test
    void disabledNodeKeepsItsOpenWebSockets() throws Exception {
        frontOver(Dispatcher.Options.defaults());
        WsClient c = onNode("a");
        assertEquals("a", c.next());
        front.update(List.of(a.spec(Activation.DISABLED), b.spec()));
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(c::isOpen);
        assertEquals("still here", c.echo("still here"));
    }

    @Test
    void stoppedNodeClosesWebSocketsWith1001AfterShutdownTimeout() throws Exception {
        frontOver(Dispatcher.Options.defaults().withWebSockets(NodeConfig.WebSocketLimits.defaults(), Duration.ofSeconds(1)));
        WsClient c = onNode("a");
        WsClient other = onNode("b");
        assertEquals("a", c.next());
        assertEquals("b", other.next());
        front.update(List.of(a.spec(Activation.STOPPED), b.spec()));
        assertEquals(1001, c.closed().get(10, TimeUnit.SECONDS));
        assertTrue(other.isOpen(), "another node's WebSocket stays");
        await().atMost(Duration.ofSeconds(10)).until(() -> front.snapshot().webSockets().closes().get("stopped") == 1L);
    }

    @Test
    void reEnabledBeforeTheGraceEndsKeepsItsWebSockets() throws Exception {
        frontOver(Dispatcher.Options.defaults().withWebSockets(NodeConfig.WebSocketLimits.defaults(), Duration.ofSeconds(1)));
        WsClient c = onNode("a");
        assertEquals("a", c.next());
        front.update(List.of(a.spec(Activation.STOPPED), b.spec()));
        front.update(List.of(a.spec(), b.spec()));
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(c::isOpen);
    }

    @Test
    void nodeConnectionLostClosesWith1012() throws Exception {
        try (NodeFaultProxy proxy = new NodeFaultProxy(a.httpPort())) {
            front = TestBackend.front(Dispatcher.Options.defaults(), a.specVia(proxy.port()), b.spec());
            WsClient c = onNode("a");
            assertEquals("a", c.next());
            proxy.close(); // the node's connections break, as when it is killed
            assertEquals(1012, c.closed().get(10, TimeUnit.SECONDS));
            await().atMost(Duration.ofSeconds(10)).until(() -> front.snapshot().webSockets().closes().get("node_lost") == 1L);
        }
    }

    @Test
    void nodeLeavingTheViewClosesWith1012() throws Exception {
        frontOver(Dispatcher.Options.defaults());
        WsClient c = onNode("a");
        assertEquals("a", c.next());
        front.update(List.of(b.spec()));
        assertEquals(1012, c.closed().get(10, TimeUnit.SECONDS));
        WsClient again = onNode("a");
        assertEquals("b", again.next(), "the reconnect goes to a node that is there");
    }

    @Test
    void capReachedAnswers503() throws Exception {
        frontOver(Dispatcher.Options.defaults().withWebSockets(new NodeConfig.WebSocketLimits(Duration.ofMinutes(10), 1),
                Duration.ofSeconds(30)));
        WsClient c = onNode("a");
        assertEquals("a", c.next());
        assertEquals(503, WsClient.refusedStatus(HTTP, ws("/ws")));
        assertEquals(1, front.snapshot().webSockets().refused());
        c.close();
        await().atMost(Duration.ofSeconds(10)).until(() -> front.snapshot().webSockets().open() == 0);
        WsClient next = onNode("b");
        assertEquals("b", next.next(), "a place is free again");
    }

    @Test
    void noNodeWithAnHttpConnectorAnswers503() throws Exception {
        front = TestBackend.front(Dispatcher.Options.defaults(), TestBackend.spec("a", a.port()));
        assertEquals(503, WsClient.refusedStatus(HTTP, ws("/ws")));
        assertEquals(0, front.snapshot().webSockets().open());
    }

    @Test
    void non101AnswerIsRelayed() throws Exception {
        frontOver(Dispatcher.Options.defaults());
        assertEquals(200, WsClient.refusedStatus(HTTP, ws("/who")), "no WebSocket there: the node's answer as it is");
        await().atMost(Duration.ofSeconds(10)).until(() -> front.snapshot().webSockets().open() == 0);
    }

    @Test
    void idleWebSocketIsClosedWith1001() throws Exception {
        frontOver(Dispatcher.Options.defaults().withWebSockets(new NodeConfig.WebSocketLimits(Duration.ofSeconds(1), 0),
                Duration.ofSeconds(30)));
        WsClient c = onNode("a");
        assertEquals("a", c.next());
        assertEquals(1001, c.closed().get(10, TimeUnit.SECONDS));
        await().atMost(Duration.ofSeconds(10)).until(() -> front.snapshot().webSockets().closes().get("idle") == 1L);
    }

    @Test
    void frontDrainClosesWith1001() throws Exception {
        frontOver(Dispatcher.Options.defaults());
        WsClient c = onNode("a");
        assertEquals("a", c.next());
        front.stopAccepting();
        assertEquals(0, front.drain(System.nanoTime() + TimeUnit.SECONDS.toNanos(10)), "nothing left open");
        assertEquals(1001, c.closed().get(10, TimeUnit.SECONDS));
    }
}
