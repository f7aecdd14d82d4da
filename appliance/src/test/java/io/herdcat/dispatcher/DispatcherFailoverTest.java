package io.herdcat.dispatcher;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.herdcat.dispatcher.balance.Worker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Node "a" sits behind a {@link NodeFaultProxy} that makes it fail on cue; node "b" is healthy. Requests
 * are pinned to "a" by a session cookie, so where they end up shows what the front did.
 */
@Timeout(value = 1, unit = TimeUnit.MINUTES)
class DispatcherFailoverTest {
    private static final String ON_A = "JSESSIONID=0123456789ABCDEF.a";
    private TestBackend a;
    private TestBackend b;
    private NodeFaultProxy faultyA;
    private Dispatcher dispatcher;

    @BeforeEach
    void startNodes() throws Exception {
        a = new TestBackend("a").start(0);
        b = new TestBackend("b").start(0);
        faultyA = new NodeFaultProxy(a.port());
    }

    private void startFront(Dispatcher.Options options) throws Exception {
        dispatcher = TestBackend.front(options, TestBackend.spec("a", faultyA.port()), b.spec());
    }

    @AfterEach
    void stop() throws Exception {
        if (dispatcher != null) {
            dispatcher.close();
        }
        faultyA.close();
        a.close();
        b.close();
    }

    private RawHttp.Response post(String path, byte[] body) throws Exception {
        try (RawHttp c = new RawHttp(dispatcher.port())) {
            c.send("POST " + path + " HTTP/1.1\r\nHost: h\r\nCookie: " + ON_A + "\r\nContent-Length: " + body.length
                    + "\r\n\r\n");
            c.out.write(body);
            return c.read();
        }
    }

    private RawHttp.Response get(String path) throws Exception {
        try (RawHttp c = new RawHttp(dispatcher.port())) {
            return c.send("GET " + path + " HTTP/1.1\r\nHost: h\r\nCookie: " + ON_A + "\r\n\r\n").read();
        }
    }

    @Test
    void requestsWhoseNodeDiesBeforeAnsweringGoToAnotherNodeWithTheirWholeBody() throws Exception {
        startFront(Dispatcher.Options.defaults());
        assertEquals("a ", get("/who").text());
        faultyA.dropAfter(0);
        assertEquals("b ", get("/who").text());
        dispatcher.balancer().workers().stream().filter(w -> w.route().equals("a")).forEach(Worker::markOk);
        byte[] body = bytes(40_000);
        assertEquals("b 40000 " + TestBackend.crc(body), post("/crc", body).text(), "a POST within front.retry.body is retried");
    }

    @Test
    void aNodeThatDiesAfterItsHeadersIsReplacedForAGetButNotForAPost() throws Exception {
        startFront(Dispatcher.Options.defaults());
        faultyA.dropAfterReply(2000); // the headers and part of the first body chunk, then the node is gone
        RawHttp.Response r = get("/download?bytes=100000");
        assertEquals(200, r.status());
        assertEquals(100_000, r.body().length, "the whole body, from b");
        assertEquals(1, dispatcher.snapshot().failovers());

        worker("a").markOk();
        try (RawHttp c = new RawHttp(dispatcher.port())) {
            c.send("POST /download?bytes=100000 HTTP/1.1\r\nHost: h\r\nCookie: " + ON_A
                    + "\r\nContent-Length: 1\r\n\r\nx");
            RawHttp.Response cut = c.read();
            assertEquals(200, cut.status(), "the headers went out at once");
            assertTrue(cut.body().length < 100_000, "a POST is not sent twice: its client sees the connection "
                    + "close in the middle of the body (" + cut.body().length + " bytes)");
            assertEquals(-1, c.in.read());
        }
    }

    @Test
    void aStreamedBodyThatIsPartlyGoneWhenItsNodeDiesGets502() throws Exception {
        startFront(Dispatcher.Options.defaults().withBodyLimits(1L << 30, 64 * 1024));
        faultyA.dropAfter(300_000);
        RawHttp.Response r = post("/crc", bytes(1_000_000));
        assertEquals(502, r.status(), r.text());
    }

    @Test
    void aHungNodeIsFoundByCPingAndSkippedBeforeTheReplyTimeout() throws Exception {
        startFront(Dispatcher.Options.defaults().withPool(512, Duration.ofSeconds(60), Duration.ofMillis(200)));
        assertEquals("a ", get("/who").text());
        faultyA.freeze();
        Thread.sleep(400); // the pooled connection must have been idle longer than front.ping.after
        // a's reply timeout (60 s) is beyond the client's read timeout (20 s): only the CPing can save this request
        assertEquals("b ", get("/who").text(), "the CPing went unanswered: a is failed, b serves");
        assertEquals(Worker.State.ERROR, worker("a").state());
    }

    @Test
    void thePoolKeepsToItsSizeAndClosesConnectionsLeftUnused() throws Exception {
        int loops = NettyTransport.threads();
        startFront(Dispatcher.Options.defaults().withPool(loops, Duration.ofMillis(500), Duration.ofSeconds(5)));
        AtomicInteger most = new AtomicInteger();
        AtomicBoolean watching = new AtomicBoolean(true);
        Thread watcher = new Thread(() -> {
            while (watching.get()) {
                most.accumulateAndGet(dispatcher.pool("a").openConnections(), Math::max);
                Thread.onSpinWait();
            }
        });
        watcher.start();
        ExecutorService clients = Executors.newFixedThreadPool(3 * loops);
        try {
            List<Future<RawHttp.Response>> results = new ArrayList<>();
            for (int i = 0; i < 3 * loops; i++) {
                results.add(clients.submit(() -> get("/crc?wait=200")));
            }
            for (Future<RawHttp.Response> f : results) {
                assertEquals(200, f.get().status());
            }
        } finally {
            clients.shutdownNow();
            watching.set(false);
            watcher.join();
        }
        assertTrue(most.get() <= loops, most.get() + " connections to a, pool size " + loops);
        assertTrue(most.get() > 0);
        await().atMost(Duration.ofSeconds(30)).until(() -> dispatcher.pool("a").openConnections() == 0);
    }

    private Worker worker(String route) {
        return dispatcher.balancer().workers().stream().filter(w -> w.route().equals(route)).findFirst().orElseThrow();
    }

    private static byte[] bytes(int n) {
        byte[] data = new byte[n];
        new java.util.Random(n).nextBytes(data);
        return data;
    }

}
