package io.herdcat.dispatcher.ajp;

import static io.herdcat.dispatcher.ajp.AjpConstants.*;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Writes the packets a front sends to a node: forward request, body chunks, CPing. */
public final class AjpEncoder {
    /** The largest packet AJP allows (and Tomcat's packetSize accepts). */
    public static final int MAX_PACKET_SIZE = 65536;
    /** mod_jk's and Tomcat's default packet size. */
    public static final int DEFAULT_PACKET_SIZE = 8192;

    private AjpEncoder() {
    }

    /** A forward request; fails with {@link AjpPacketTooLargeException} when it does not fit {@code packetSize}. */
    public static ByteBuf forwardRequest(ByteBufAllocator alloc, AjpRequestHead head, int packetSize) {
        ByteBuf out = alloc.buffer(512);
        try {
            out.writeShort(CLIENT_MAGIC);
            out.writeShort(0);
            int methodCode = methodCode(head.method());
            out.writeByte(FORWARD_REQUEST);
            out.writeByte(methodCode == 0 ? METHOD_STORED : methodCode);
            string(out, head.protocol());
            string(out, head.uri());
            string(out, head.remoteAddr());
            string(out, head.remoteHost());
            string(out, head.serverName());
            out.writeShort(head.serverPort());
            out.writeBoolean(head.secure());
            out.writeShort(head.headers().size());
            for (Map.Entry<String, String> h : head.headers()) {
                int code = requestHeaderCode(h.getKey());
                if (code != 0) {
                    out.writeShort(code);
                } else {
                    string(out, h.getKey());
                }
                string(out, h.getValue());
            }
            attributes(out, head, methodCode);
            int length = out.writerIndex() - HEADER_SIZE;
            if (out.writerIndex() > packetSize) {
                throw new AjpPacketTooLargeException(out.writerIndex(), packetSize);
            }
            out.setShort(2, length);
            return out;
        } catch (RuntimeException e) {
            out.release();
            throw e;
        }
    }

    private static void attributes(ByteBuf out, AjpRequestHead head, int methodCode) {
        if (head.query() != null) {
            out.writeByte(ATTR_QUERY_STRING);
            string(out, head.query());
        }
        if (head.route() != null) {
            out.writeByte(ATTR_JVM_ROUTE);
            string(out, head.route());
        }
        if (head.ssl() != null) {
            AjpRequestHead.Ssl ssl = head.ssl();
            optional(out, ATTR_SSL_CIPHER, ssl.cipher());
            optional(out, ATTR_SSL_SESSION, ssl.sessionId());
            optional(out, ATTR_SSL_CERT, ssl.clientCertPem());
            if (ssl.keySize() != null) {
                out.writeByte(ATTR_SSL_KEY_SIZE);
                out.writeShort(ssl.keySize());
            }
        }
        out.writeByte(ATTR_REQ_ATTRIBUTE);
        string(out, "AJP_REMOTE_PORT");
        string(out, Integer.toString(head.remotePort()));
        for (Map.Entry<String, String> a : head.attributes().entrySet()) {
            out.writeByte(ATTR_REQ_ATTRIBUTE);
            string(out, a.getKey());
            string(out, a.getValue());
        }
        if (methodCode == 0) {
            out.writeByte(ATTR_STORED_METHOD);
            string(out, head.method());
        }
        optional(out, ATTR_SECRET, head.secret());
        out.writeByte(ATTR_END);
    }

    private static void optional(ByteBuf out, byte code, String value) {
        if (value != null) {
            out.writeByte(code);
            string(out, value);
        }
    }

    /** AJP string: 2-byte length, the bytes, a 0 byte; null is length 0xFFFF. */
    static void string(ByteBuf out, String s) {
        if (s == null) {
            out.writeShort(0xFFFF);
            return;
        }
        out.writeShort(s.length());
        out.writeCharSequence(s, StandardCharsets.ISO_8859_1);
        out.writeByte(0);
    }

    /** The largest body chunk that fits a packet of {@code packetSize}. */
    public static int maxChunk(int packetSize) {
        return packetSize - BODY_CHUNK_OVERHEAD;
    }

    /** The 6 bytes that precede {@code length} bytes of request body; an empty chunk (0) ends the body. */
    public static ByteBuf bodyChunkHeader(ByteBufAllocator alloc, int length) {
        ByteBuf out = alloc.buffer(BODY_CHUNK_OVERHEAD);
        out.writeShort(CLIENT_MAGIC);
        if (length == 0) {
            out.writeShort(0);
        } else {
            out.writeShort(length + 2);
            out.writeShort(length);
        }
        return out;
    }

    /** A CPing: "are you there and able to serve?" answered by a CPong. */
    public static ByteBuf cping(ByteBufAllocator alloc) {
        return alloc.buffer(5).writeShort(CLIENT_MAGIC).writeShort(1).writeByte(CPING_REQUEST);
    }
}
