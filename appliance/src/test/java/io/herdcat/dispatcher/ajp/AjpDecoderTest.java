package io.herdcat.dispatcher.ajp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
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
