package io.herdcat.dispatcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Slow clients against the front with its default settings, in front of two real (embedded) Tomcats
 * whose AJP connectors have their default 200 threads: 1,000 connections of each kind of slow client,
 * each kind from its own loopback address, held (and opened again when the front closes them) while
 * normal clients from 127.0.0.1 keep sending requests. Every normal request must be answered, and
 * none with a 5xx.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class SlowClientsTest {
    private static final int PER_KIND = 1000;
    private static final long NORMAL_MILLIS = 14_000;
    private TestBackend a;
    private TestBackend b;
    private Dispatcher dispatcher;
    private final List<SlowClients> attackers = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        a = new TestBackend("a").start(0);
        b = new TestBackend("b").start(0);
        dispatcher = TestBackend.front(Dispatcher.Options.defaults(), a.spec(), b.spec());
    }

    @AfterEach
    void stop() throws Exception {
        for (SlowClients s : attackers) {
            s.close();
        }
        dispatcher.close();
        a.close();
        b.close();
    }

    @Test
    void normalClientsAreServedWhileThousandsOfSlowClientsHoldConnections() throws Exception {
        int address = 2;
        for (SlowClients.Kind kind : SlowClients.Kind.values()) {
            attackers.add(new SlowClients(dispatcher.port(), kind, InetAddress.getByName("127.0.0." + address++),
                    PER_KIND).start());
        }
        for (SlowClients s : attackers) {
            assertEquals(PER_KIND, s.opened(), s.toString());
        }

        Map<String, AtomicInteger> answers = new ConcurrentHashMap<>();
        List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        ExecutorService clients = Executors.newFixedThreadPool(4);
        List<Future<?>> done = new ArrayList<>();
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(NORMAL_MILLIS);
        for (int t = 0; t < 4; t++) {
            int client = t;
            done.add(clients.submit(() -> {
                int i = 0;
                while (System.nanoTime() < end) {
                    try (RawHttp c = new RawHttp(dispatcher.port())) {
                        for (int k = 0; k < 10 && System.nanoTime() < end; k++, i++) {
                            RawHttp.Response r = i % 2 == 0
                                    ? c.send("GET /who HTTP/1.1\r\nHost: h\r\n\r\n").read()
                                    : c.send("POST /echo HTTP/1.1\r\nHost: h\r\nContent-Length: 10\r\n\r\n0123456789").read();
                            answers.computeIfAbsent(Integer.toString(r.status()), s -> new AtomicInteger()).incrementAndGet();
                            if (r.status() != 200) {
                                failures.add("client " + client + " request " + i + ": " + r.statusLine() + " " + r.text().trim());
                                break;
                            }
                        }
                    } catch (Exception e) {
                        failures.add("client " + client + " request " + i + ": " + e);
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get(2, TimeUnit.MINUTES);
        }
        clients.shutdown();
        String summary = "answers " + answers + "; " + attackers + "; front: " + dispatcher.slowBodies()
                + " slow bodies cut, " + dispatcher.sendTimeouts() + " send timeouts";
        System.out.println(summary);
        assertTrue(failures.isEmpty(), failures.size() + " failed normal requests, first: "
                + failures.subList(0, Math.min(5, failures.size())) + "; " + summary);
        assertTrue(answers.getOrDefault("200", new AtomicInteger()).get() >= 40, summary);
    }
}
