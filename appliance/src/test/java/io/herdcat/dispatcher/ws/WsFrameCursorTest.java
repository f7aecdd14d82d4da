package io.herdcat.dispatcher.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

/** Frame boundaries of a WebSocket byte stream, found without decoding it, whatever the pieces it comes in. */
class WsFrameCursorTest {

    /** A frame: FIN, {@code opcode}, masked or not, {@code length} payload bytes of 'p'. */
    private static ByteBuf frame(int opcode, long length, boolean masked) {
        ByteBuf b = Unpooled.buffer();
        b.writeByte(0x80 | opcode);
        int mask = masked ? 0x80 : 0;
        if (length < 126) {
            b.writeByte(mask | (int) length);
        } else if (length < 65536) {
            b.writeByte(mask | 126).writeShort((int) length);
        } else {
            b.writeByte(mask | 127).writeLong(length);
        }
        if (masked) {
            b.writeInt(0x01020304);
        }
        for (long i = 0; i < length; i++) {
            b.writeByte('p');
        }
        return b;
    }

    @Test
    void sevenSixteenAndSixtyFourBitLengthsEndWhereTheirPayloadDoes() {
        for (long length : new long[] {0, 5, 125, 126, 300, 65535, 65536, 70_000}) {
            for (boolean masked : new boolean[] {false, true}) {
                WsFrameCursor cursor = new WsFrameCursor();
                ByteBuf f = frame(0x1, length, masked);
                ByteBuf allButLast = f.slice(0, f.readableBytes() - 1);
                cursor.advance(allButLast);
                assertFalse(cursor.atBoundary(), "one byte short of a " + length + "-byte frame");
                cursor.advance(f.slice(f.readableBytes() - 1, 1));
                assertTrue(cursor.atBoundary(), "after the whole " + length + "-byte frame, masked " + masked);
                assertFalse(cursor.sawClose());
                assertEquals(2 + (length < 126 ? 0 : length < 65536 ? 2 : 8) + (masked ? 4 : 0) + length,
                        f.readableBytes(), "the frame as built");
            }
        }
    }

    @Test
    void headersSplitByteByByteAreFollowed() {
        ByteBuf stream = Unpooled.wrappedBuffer(frame(0x2, 70_000, true), frame(0x1, 300, false), frame(0x8, 2, true));
        WsFrameCursor cursor = new WsFrameCursor();
        int boundaries = 0;
        while (stream.isReadable()) {
            cursor.advance(stream.readSlice(1));
            if (cursor.atBoundary()) {
                boundaries++;
            }
        }
        assertEquals(3, boundaries);
        assertTrue(cursor.sawClose());
    }

    @Test
    void advanceToBoundaryStopsAtTheEndOfTheCurrentFrame() {
        ByteBuf first = frame(0x1, 10, false);
        int firstLength = first.readableBytes();
        ByteBuf stream = Unpooled.wrappedBuffer(first, frame(0x1, 10, false));
        WsFrameCursor cursor = new WsFrameCursor();
        cursor.advance(stream.readSlice(3)); // in the middle of the first frame
        assertFalse(cursor.atBoundary());
        assertEquals(firstLength - 3, cursor.advanceToBoundary(stream));
        assertTrue(cursor.atBoundary());
        assertEquals(0, cursor.advanceToBoundary(stream), "at a boundary already");
    }

    @Test
    void aCloseFrameIsNoticed() {
        WsFrameCursor cursor = new WsFrameCursor();
        cursor.advance(frame(0x1, 3, false));
        assertFalse(cursor.sawClose());
        cursor.advance(WsCloseFrame.encode(ByteBufAllocator.DEFAULT, 1012, "node went away", false));
        assertTrue(cursor.sawClose());
        assertTrue(cursor.atBoundary());
    }

    @Test
    void theFrontsCloseFrameCarriesItsCodeAndIsMaskedTowardANode() {
        ByteBuf toClient = WsCloseFrame.encode(ByteBufAllocator.DEFAULT, 1012, "bye", false);
        assertEquals(0x88, toClient.getUnsignedByte(0));
        assertEquals(5, toClient.getUnsignedByte(1));
        assertEquals(1012, toClient.getUnsignedShort(2));
        ByteBuf toNode = WsCloseFrame.encode(ByteBufAllocator.DEFAULT, 1001, "bye", true);
        assertEquals(0x80 | 5, toNode.getUnsignedByte(1));
        int code = ((toNode.getUnsignedByte(6) ^ toNode.getUnsignedByte(2)) << 8)
                | (toNode.getUnsignedByte(7) ^ toNode.getUnsignedByte(3));
        assertEquals(1001, code, "unmasked with its key");
    }
}
