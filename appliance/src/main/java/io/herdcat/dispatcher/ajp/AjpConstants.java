package io.herdcat.dispatcher.ajp;

import java.util.Locale;
import java.util.Map;

/** AJP/1.3 wire constants (the protocol's codes for packets, methods, headers and attributes). */
final class AjpConstants {
    static final int CLIENT_MAGIC = 0x1234;
    static final int SERVER_MAGIC = 0x4142; // "AB"
    static final int HEADER_SIZE = 4;
    /** Bytes of a body chunk packet that are not data: magic, packet length, chunk length. */
    static final int BODY_CHUNK_OVERHEAD = 6;

    static final byte FORWARD_REQUEST = 2;
    static final byte SEND_BODY_CHUNK = 3;
    static final byte SEND_HEADERS = 4;
    static final byte END_RESPONSE = 5;
    static final byte GET_BODY_CHUNK = 6;
    static final byte CPONG_REPLY = 9;
    static final byte CPING_REQUEST = 10;

    static final byte METHOD_STORED = (byte) 0xFF;

    static final byte ATTR_REMOTE_USER = 0x03;
    static final byte ATTR_AUTH_TYPE = 0x04;
    static final byte ATTR_QUERY_STRING = 0x05;
    static final byte ATTR_JVM_ROUTE = 0x06;
    static final byte ATTR_SSL_CERT = 0x07;
    static final byte ATTR_SSL_CIPHER = 0x08;
    static final byte ATTR_SSL_SESSION = 0x09;
    static final byte ATTR_REQ_ATTRIBUTE = 0x0A;
    static final byte ATTR_SSL_KEY_SIZE = 0x0B;
    static final byte ATTR_SECRET = 0x0C;
    static final byte ATTR_STORED_METHOD = 0x0D;
    static final byte ATTR_END = (byte) 0xFF;

    private static final Map<String, Integer> METHODS = Map.ofEntries(
            Map.entry("OPTIONS", 1), Map.entry("GET", 2), Map.entry("HEAD", 3), Map.entry("POST", 4),
            Map.entry("PUT", 5), Map.entry("DELETE", 6), Map.entry("TRACE", 7), Map.entry("PROPFIND", 8),
            Map.entry("PROPPATCH", 9), Map.entry("MKCOL", 10), Map.entry("COPY", 11), Map.entry("MOVE", 12),
            Map.entry("LOCK", 13), Map.entry("UNLOCK", 14), Map.entry("ACL", 15), Map.entry("REPORT", 16),
            Map.entry("VERSION-CONTROL", 17), Map.entry("CHECKIN", 18), Map.entry("CHECKOUT", 19),
            Map.entry("UNCHECKOUT", 20), Map.entry("SEARCH", 21), Map.entry("MKWORKSPACE", 22),
            Map.entry("UPDATE", 23), Map.entry("LABEL", 24), Map.entry("MERGE", 25),
            Map.entry("BASELINE-CONTROL", 26), Map.entry("MKACTIVITY", 27));

    private static final Map<String, Integer> REQUEST_HEADERS = Map.ofEntries(
            Map.entry("accept", 0xA001), Map.entry("accept-charset", 0xA002), Map.entry("accept-encoding", 0xA003),
            Map.entry("accept-language", 0xA004), Map.entry("authorization", 0xA005), Map.entry("connection", 0xA006),
            Map.entry("content-type", 0xA007), Map.entry("content-length", 0xA008), Map.entry("cookie", 0xA009),
            Map.entry("cookie2", 0xA00A), Map.entry("host", 0xA00B), Map.entry("pragma", 0xA00C),
            Map.entry("referer", 0xA00D), Map.entry("user-agent", 0xA00E));

    private static final String[] RESPONSE_HEADERS = {
        "Content-Type", "Content-Language", "Content-Length", "Date", "Last-Modified", "Location", "Set-Cookie",
        "Set-Cookie2", "Servlet-Engine", "Status", "WWW-Authenticate"};

    private AjpConstants() {
    }

    /** The method's code, or 0 when it has none (it is then sent as a stored-method attribute). */
    static int methodCode(String method) {
        return METHODS.getOrDefault(method, 0);
    }

    /** The request header's code, or 0 when it is sent by name. */
    static int requestHeaderCode(String name) {
        return REQUEST_HEADERS.getOrDefault(name.toLowerCase(Locale.ROOT), 0);
    }

    /** The name of response header code 0xA0nn. */
    static String responseHeaderName(int code) {
        int index = (code & 0xFF) - 1;
        if ((code & 0xFF00) != 0xA000 || index < 0 || index >= RESPONSE_HEADERS.length) {
            throw new IllegalArgumentException("unknown AJP response header code " + Integer.toHexString(code));
        }
        return RESPONSE_HEADERS[index];
    }
}
