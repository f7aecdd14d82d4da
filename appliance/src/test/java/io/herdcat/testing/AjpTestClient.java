package io.herdcat.testing;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * The smallest AJP/1.3 client that can check a node: one GET forward request (with or without the
 * secret) and CPing. The dispatcher has the real codec; this one only exists to test the node.
 */
public final class AjpTestClient implements Closeable {
    private static final int FORWARD_REQUEST = 2;
    private static final int METHOD_GET = 2;
    private static final int SC_REQ_HOST = 0xA00B;
    private static final int ATTR_QUERY = 0x05;
    private static final int ATTR_SECRET = 0x0C;
    private static final int ATTR_END = 0xFF;
    private static final int SEND_BODY_CHUNK = 3;
    private static final int SEND_HEADERS = 4;
    private static final int END_RESPONSE = 5;
    private static final int GET_BODY_CHUNK = 6;
    private static final int CPONG = 9;
    private static final int CPING = 10;

    private final Socket socket;
    private final DataInputStream in;
    private final DataOutputStream out;

    public record Response(int status, String body) {
    }

    public AjpTestClient(int port) throws IOException {
        socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        socket.setSoTimeout(15_000);
        in = new DataInputStream(socket.getInputStream());
        out = new DataOutputStream(socket.getOutputStream());
    }

    /** Sends a GET; {@code secret} null sends none. */
    public Response get(String uri, String query, String secret) throws IOException {
        sendGet(uri, query, secret);
        return readResponse();
    }

    /** Sends a GET and leaves its response unread; {@code secret} null sends none. */
    public void sendGet(String uri, String query, String secret) throws IOException {
        ByteArrayOutputStream payload = new ByteArrayOutputStream();
        DataOutputStream p = new DataOutputStream(payload);
        p.writeByte(FORWARD_REQUEST);
        p.writeByte(METHOD_GET);
        writeString(p, "HTTP/1.1");
        writeString(p, uri);
        writeString(p, "127.0.0.1");
        writeString(p, "localhost");
        writeString(p, "localhost");
        p.writeShort(80);
        p.writeBoolean(false);
        p.writeShort(1);
        p.writeShort(SC_REQ_HOST);
        writeString(p, "localhost");
        if (query != null) {
            p.writeByte(ATTR_QUERY);
            writeString(p, query);
        }
        if (secret != null) {
            p.writeByte(ATTR_SECRET);
            writeString(p, secret);
        }
        p.writeByte(ATTR_END);
        sendPacket(payload.toByteArray());
    }

    /** Bytes the node has sent that are not read yet (without waiting for more). */
    public int available() throws IOException {
        return in.available();
    }

    /** True when the node answers a CPing with a CPong. */
    public boolean cping() throws IOException {
        sendPacket(new byte[] {CPING});
        byte[] reply = readPacket();
        return reply.length == 1 && reply[0] == CPONG;
    }

    /** Reads the response to a request sent with {@link #sendGet}, to its END. */
    public Response readResponse() throws IOException {
        int status = -1;
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            DataInputStream packet = new DataInputStream(new java.io.ByteArrayInputStream(readPacket()));
            int type = packet.readUnsignedByte();
            switch (type) {
                case SEND_HEADERS -> status = packet.readUnsignedShort();
                case SEND_BODY_CHUNK -> {
                    int len = packet.readUnsignedShort();
                    body.write(packet.readNBytes(len));
                }
                case GET_BODY_CHUNK -> sendPacket(new byte[0]);
                case END_RESPONSE -> {
                    return new Response(status, body.toString(StandardCharsets.UTF_8));
                }
                default -> throw new IOException("unexpected AJP packet type " + type);
            }
        }
    }

    private void sendPacket(byte[] payload) throws IOException {
        out.writeShort(0x1234);
        out.writeShort(payload.length);
        out.write(payload);
        out.flush();
    }

    /** The payload of the next packet from the node (its first byte is the packet's type). */
    public byte[] readPacket() throws IOException {
        int magic = in.readUnsignedShort();
        if (magic != 0x4142) {
            throw new IOException("bad AJP magic " + Integer.toHexString(magic));
        }
        return in.readNBytes(in.readUnsignedShort());
    }

    private static void writeString(DataOutputStream p, String s) throws IOException {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        p.writeShort(bytes.length);
        p.write(bytes);
        p.writeByte(0);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
