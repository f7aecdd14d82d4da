package io.herdcat.dispatcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Bodies through the front: streamed both ways with bounded memory, chunked, 100-continue, pipelined requests. */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class DispatcherStreamingTest {
    private static final long MEMORY_BOUND = 32L << 20;
    private TestBackend node;
    private Dispatcher dispatcher;

    @BeforeEach
    void start() throws Exception {
        node = new TestBackend("a").start(0);
        dispatcher = TestBackend.front(Dispatcher.Options.defaults(), node.spec());
    }

    @AfterEach
    void stop() throws Exception {
        dispatcher.close();
        node.close();
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() throws Exception {
        try (RawHttp c = new RawHttp(dispatcher.port())) {
            c.send("GET /who?1 HTTP/1.1\r\nHost: h\r\n\r\n"
                    + "POST /echo HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhello"
                    + "GET /crc HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n");
            assertEquals("a ", c.read().text());
            assertEquals("a 5", c.read().text());
            assertEquals("a 3 " + TestBackend.crc("abc".getBytes()), c.read().text());
        }
    }

    @Test
    void expectContinueGetsOneHundredBeforeTheBodyIsSent() throws Exception {
        try (RawHttp c = new RawHttp(dispatcher.port())) {
            c.send("POST /echo HTTP/1.1\r\nHost: h\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n");
            assertEquals("HTTP/1.1 100 Continue", c.read().statusLine());
            c.send("abcd");
            assertEquals("a 4", c.read().text());
        }
        try (RawHttp c = new RawHttp(dispatcher.port())) {
            c.send("POST /echo HTTP/1.1\r\nHost: h\r\nContent-Length: 99999999999\r\nExpect: 100-continue\r\n\r\n");
            assertEquals(413, c.read().status(), "too large: refused before the client sends it");
        }
    }

    @Test
    void aResponseWhoseEndIsLateStillStartsAtOnce() throws Exception {
        TestBackend.DRIP_END.drainPermits();
        try (RawHttp c = new RawHttp(dispatcher.port())) {
            c.send("GET /drip HTTP/1.1\r\nHost: h\r\n\r\n");
            assertEquals("HTTP/1.1 200 OK", c.line(), "the held start of a GET's response goes out before the node's END");
            while (!c.line().isEmpty()) {
                // headers
            }
            assertEquals("6", c.line());
            assertEquals("start ", c.line(), "the first chunk arrives while the node still holds the rest");
            TestBackend.DRIP_END.release();
            assertEquals("3", c.line());
            assertEquals("end", c.line());
        }
    }

    @Test
    void chunkedUploadArrivesWhole() throws Exception {
        byte[] data = new byte[200_000];
        new java.util.Random(7).nextBytes(data);
        try (RawHttp c = new RawHttp(dispatcher.port())) {
            c.send("POST /crc HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n");
            for (int off = 0; off < data.length; off += 7000) {
                int n = Math.min(7000, data.length - off);
                c.send(Integer.toHexString(n) + "\r\n");
                c.out.write(data, off, n);
                c.send("\r\n");
            }
            c.send("0\r\n\r\n");
            assertEquals("a 200000 " + TestBackend.crc(data), c.read().text());
        }
    }

    @Test
    void aLargeUploadToANodeThatReadsLateIsNotBufferedByTheFront() throws Exception {
        long size = 256L << 20;
        AtomicLong peak = watchMemory();
        try (RawHttp c = new RawHttp(dispatcher.port())) {
            c.send("POST /crc?wait=2000 HTTP/1.1\r\nHost: h\r\nContent-Length: " + size + "\r\n\r\n");
            byte[] block = new byte[1 << 20];
            CRC32 crc = new CRC32();
            for (long sent = 0; sent < size; sent += block.length) {
                c.out.write(block);
                crc.update(block);
            }
            c.out.flush();
            assertEquals("a " + size + " " + Long.toHexString(crc.getValue()), c.read().text());
        } finally {
            stopWatching();
        }
        assertTrue(peak.get() < MEMORY_BOUND, "front memory grew by up to " + peak.get() / 1024 + " KiB");
    }

    @Test
    void aLargeDownloadToAClientThatReadsLateIsNotBufferedByTheFront() throws Exception {
        long size = 256L << 20;
        AtomicLong peak = watchMemory();
        try (RawHttp c = new RawHttp(dispatcher.port())) {
            c.send("GET /download?bytes=" + size + " HTTP/1.1\r\nHost: h\r\n\r\n");
            Thread.sleep(2000); // the client reads nothing for a while: the node must be held back, not buffered
            assertEquals(200, Integer.parseInt(c.line().split(" ")[1]));
            while (!c.line().isEmpty()) {
                // headers
            }
            assertEquals(size, c.drain(size));
            c.send("GET /who HTTP/1.1\r\nHost: h\r\n\r\n");
            assertEquals("a ", c.read().text(), "the connection is reusable after the download");
        } finally {
            stopWatching();
        }
        assertTrue(peak.get() < MEMORY_BOUND, "front memory grew by up to " + peak.get() / 1024 + " KiB");
    }

    private final AtomicBoolean watching = new AtomicBoolean();

    /**
     * Samples the memory Netty's allocator holds (only fronts use Netty in this JVM) and keeps the most it
     * grew above what it held at the start: fronts of earlier test classes may still hold some.
     */
    private AtomicLong watchMemory() {
        AtomicLong peak = new AtomicLong();
        var atStart = ((ByteBufAllocatorMetricProvider) ByteBufAllocator.DEFAULT).metric();
        long baseline = atStart.usedDirectMemory() + atStart.usedHeapMemory();
        watching.set(true);
        Thread t = new Thread(() -> {
            var metric = ((ByteBufAllocatorMetricProvider) ByteBufAllocator.DEFAULT).metric();
            while (watching.get()) {
                peak.accumulateAndGet(metric.usedDirectMemory() + metric.usedHeapMemory() - baseline, Math::max);
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        t.setDaemon(true);
        t.start();
        return peak;
    }

    private void stopWatching() {
        watching.set(false);
    }

}
