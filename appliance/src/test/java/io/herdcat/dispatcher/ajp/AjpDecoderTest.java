package io.herdcat.dispatcher.ajp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AjpDecoderTest {
    private static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    @Test
    void packetsSplitAcrossReadsAreReassembled() {
        EmbeddedChannel ch = new EmbeddedChannel(new AjpDecoder(8192));
        // SEND_HEADERS 200 "OK", one coded header Content-Type: x ; then END_RESPONSE reuse
        byte[] headers = bytes('A', 'B', 0, 16, 4, 0, 200, 0, 2, 'O', 'K', 0, 0, 1, 0xA0, 0x01, 0, 1, 'x', 0);
        byte[] end = bytes('A', 'B', 0, 2, 5, 1);
        ch.writeInbound(Unpooled.wrappedBuffer(headers, 0, 7));
        assertNull(ch.readInbound(), "nothing until the packet is whole");
        ch.writeInbound(Unpooled.wrappedBuffer(headers, 7, headers.length - 7));
        AjpResponsePart.Headers h = assertInstanceOf(AjpResponsePart.Headers.class, ch.readInbound());
        assertEquals(200, h.status());
        assertEquals("OK", h.reason());
        assertEquals("Content-Type", h.headers().get(0).getKey());
        assertEquals("x", h.headers().get(0).getValue());
        ch.writeInbound(Unpooled.wrappedBuffer(end));
        assertEquals(new AjpResponsePart.End(true), ch.readInbound());
    }

    /**
     * A body chunk still waiting to be written when the node's next bytes arrive (a client reading
     * slower than the node sends, or a transport whose writes complete later, as io_uring's do) must not
     * keep the decoder from reusing its buffer: reads that end inside a packet, 64 MB in all, each
     * read's chunks written (released) only after its read completed and before the next read, leave
     * the decoder holding about one read.
     */
    @Test
    void bodyChunksWaitingToBeWrittenDoNotMakeTheDecoderHoldEverythingItRead() {
        UnpooledByteBufAllocator alloc = new UnpooledByteBufAllocator(false);
        EmbeddedChannel ch = new EmbeddedChannel(new AjpDecoder(8192));
        int payload = 8184;
        byte[] packet = new byte[4 + 3 + payload];
        packet[0] = 'A';
        packet[1] = 'B';
        packet[2] = (byte) ((3 + payload) >> 8);
        packet[3] = (byte) (3 + payload);
        packet[4] = 3; // SEND_BODY_CHUNK
        packet[5] = (byte) (payload >> 8);
        packet[6] = (byte) payload;
        int readSize = packet.length * 3 / 2; // every read ends in the middle of a packet
        long total = 64L << 20;
        long offset = 0;
        long most = 0;
        List<Object> waiting = new ArrayList<>();
        for (long sent = 0; sent < total; sent += readSize) {
            ByteBuf read = alloc.heapBuffer(readSize);
            for (int i = 0; i < readSize; i++) {
                read.writeByte(packet[(int) ((offset + i) % packet.length)]);
            }
            offset += readSize;
            waiting.forEach(io.netty.util.ReferenceCountUtil::release); // written before the next read came
            waiting.clear();
            ch.writeInbound(read); // this read's chunks are still being written when its read completes
            for (Object part; (part = ch.readInbound()) != null; ) {
                waiting.add(part);
            }
            most = Math.max(most, alloc.metric().usedHeapMemory());
        }
        waiting.forEach(io.netty.util.ReferenceCountUtil::release);
        assertTrue(most < 1 << 20, "the decoder held up to " + most / 1024 + " KiB of the node's bytes");
        ch.finishAndReleaseAll();
    }

    @Test
    void anythingThatIsNotAjpIsRefused() {
        EmbeddedChannel ch = new EmbeddedChannel(new AjpDecoder(8192));
        assertThrows(DecoderException.class, () -> ch.writeInbound(Unpooled.wrappedBuffer("HTTP/1.1 200 OK\r\n".getBytes())));
    }

    @Test
    void packetLongerThanTheLimitIsRefused() {
        EmbeddedChannel ch = new EmbeddedChannel(new AjpDecoder(8192));
        assertThrows(DecoderException.class, () -> ch.writeInbound(Unpooled.wrappedBuffer(bytes('A', 'B', 0xFF, 0xFF))));
    }
}
