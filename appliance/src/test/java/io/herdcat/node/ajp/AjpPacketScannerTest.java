package io.herdcat.node.ajp;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class AjpPacketScannerTest {
    private final AjpPacketScanner scanner = new AjpPacketScanner();

    private static byte[] packet(int... payload) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write('A');
        out.write('B');
        out.write(payload.length >> 8);
        out.write(payload.length & 0xff);
        for (int b : payload) {
            out.write(b);
        }
        return out.toByteArray();
    }

    private static final byte[] HEADERS = packet(4, 0, 200, 0, 3, '2', '0', '0', 0, 0, 0);
    private static final byte[] CHUNK = packet(3, 0, 2, 'h', 'i', 0);
    private static final byte[] FLUSH = packet(3, 0, 0, 0);
    private static final byte[] END = packet(5, 1);
    private static final byte[] GET_BODY = packet(6, 0x1f, 0xfa);
    private static final byte[] CPONG = packet(9);

    private boolean scan(byte[]... packets) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : packets) {
            out.writeBytes(p);
        }
        byte[] bytes = out.toByteArray();
        return scanner.scan(ByteBuffer.wrap(bytes), 0, bytes.length);
    }

    @Test
    void headersAndBodyChunksMayWait() {
        assertTrue(scan(HEADERS));
        assertTrue(scan(CHUNK, CHUNK));
        assertTrue(scan(HEADERS, CHUNK));
    }

    @Test
    void theEndAFlushARequestForBodyAndACPongGoAtOnce() {
        assertFalse(scan(HEADERS, CHUNK, END));
        assertFalse(scan(CHUNK, FLUSH));
        assertFalse(scan(HEADERS, GET_BODY));
        assertFalse(scan(CPONG));
        assertFalse(scan(END, HEADERS), "a packet that must go makes everything before it go");
        assertTrue(scan(HEADERS), "and the scanner carries on at the next packet");
    }

    @Test
    void aPacketSplitAnywhereIsFollowed() {
        byte[] all = new byte[HEADERS.length + CHUNK.length + END.length];
        System.arraycopy(HEADERS, 0, all, 0, HEADERS.length);
        System.arraycopy(CHUNK, 0, all, HEADERS.length, CHUNK.length);
        System.arraycopy(END, 0, all, HEADERS.length + CHUNK.length, END.length);
        for (int cut = 1; cut < all.length; cut++) {
            AjpPacketScanner s = new AjpPacketScanner();
            ByteBuffer buf = ByteBuffer.wrap(all);
            boolean first = s.scan(buf, 0, cut);
            assertTrue(first == (cut == HEADERS.length || cut == HEADERS.length + CHUNK.length),
                    "may wait only at a boundary after headers or a chunk, cut at " + cut);
            assertFalse(s.scan(buf, cut, all.length), "the END is seen, cut at " + cut);
            assertTrue(s.scan(ByteBuffer.wrap(HEADERS), 0, HEADERS.length), "back at a boundary, cut at " + cut);
        }
    }

    @Test
    void aStreamThatIsNotAjpIsNeverHeldBack() {
        assertFalse(scan(new byte[] {'H', 'T', 'T', 'P', '/', '1'}));
        assertFalse(scan(HEADERS));
    }

    @Test
    void aCopyCarriesTheState() {
        ByteBuffer buf = ByteBuffer.wrap(HEADERS);
        assertFalse(scanner.scan(buf, 0, 5));
        AjpPacketScanner copy = new AjpPacketScanner();
        copy.copyFrom(scanner);
        assertTrue(copy.scan(buf, 5, HEADERS.length));
        scanner.reset();
        assertTrue(scanner.scan(buf, 0, HEADERS.length));
    }
}
