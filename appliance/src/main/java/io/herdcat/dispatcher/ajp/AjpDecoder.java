package io.herdcat.dispatcher.ajp;

import static io.herdcat.dispatcher.ajp.AjpConstants.*;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.CorruptedFrameException;
import java.nio.charset.StandardCharsets;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Splits what a node sends into {@link AjpResponsePart}s; anything that is not AJP closes the connection. */
public final class AjpDecoder extends ByteToMessageDecoder {
    private final int maxPacketSize;

    public AjpDecoder(int maxPacketSize) {
        this.maxPacketSize = maxPacketSize;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (in.readableBytes() >= HEADER_SIZE) {
            int start = in.readerIndex();
            int magic = in.getUnsignedShort(start);
            int length = in.getUnsignedShort(start + 2);
            if (magic != SERVER_MAGIC) {
                throw new CorruptedFrameException("not an AJP response packet (magic " + Integer.toHexString(magic) + ")");
            }
            if (length == 0 || length > maxPacketSize - HEADER_SIZE) {
                throw new CorruptedFrameException("AJP response packet of bad length " + length);
            }
            if (in.readableBytes() < HEADER_SIZE + length) {
                return;
            }
            in.skipBytes(HEADER_SIZE);
            ByteBuf packet = in.readSlice(length);
            out.add(parse(packet));
        }
    }

    private static AjpResponsePart parse(ByteBuf p) {
        byte type = p.readByte();
        return switch (type) {
            case SEND_HEADERS -> headers(p);
            // a copy, not a slice of the decoder's buffer: a chunk still being written when the next read
            // comes would keep that buffer from being compacted, and every later read would be appended to it
            case SEND_BODY_CHUNK -> new AjpResponsePart.BodyChunk(p.readBytes(p.readUnsignedShort()));
            case END_RESPONSE -> new AjpResponsePart.End(p.isReadable() && p.readBoolean());
            case GET_BODY_CHUNK -> new AjpResponsePart.GetBodyChunk(p.readUnsignedShort());
            case CPONG_REPLY -> new AjpResponsePart.CPong();
            default -> throw new CorruptedFrameException("unknown AJP response packet type " + type);
        };
    }

    private static AjpResponsePart.Headers headers(ByteBuf p) {
        int status = p.readUnsignedShort();
        String reason = string(p);
        int count = p.readUnsignedShort();
        List<Map.Entry<String, String>> headers = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int marker = p.getUnsignedShort(p.readerIndex());
            String name;
            if ((marker & 0xFF00) == 0xA000) {
                p.skipBytes(2);
                name = responseHeaderName(marker);
            } else {
                name = string(p);
            }
            headers.add(new AbstractMap.SimpleImmutableEntry<>(name, string(p)));
        }
        return new AjpResponsePart.Headers(status, reason, headers);
    }

    private static String string(ByteBuf p) {
        int length = p.readUnsignedShort();
        if (length == 0xFFFF) {
            return null;
        }
        String s = p.readCharSequence(length, StandardCharsets.ISO_8859_1).toString();
        p.skipBytes(1);
        return s;
    }
}
