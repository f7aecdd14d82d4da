package io.herdcat.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP server on a free loopback port that plays the admin API's upgrade endpoints:
 * {@code POST /upgrade} reads the whole upload (counting and hashing it, never keeping it), checks the
 * bearer token and answers 202 with the first recorded answer, or the refusal it was given;
 * {@code GET /upgrade} answers the recorded answers in order, one per request, then the last one again
 * (or, when told, stops answering after a number of them).
 */
final class FakeUpgradeApi implements AutoCloseable {
    /** What one upload brought. */
    record Upload(String authorization, String contentType, String contentLength, Map<String, String> query,
                  long bytes, String sha256) {
    }

    private final HttpServer server;
    private final String token;
    private final List<String> answers;
    private final AtomicInteger polls = new AtomicInteger();
    private volatile int refusal;
    private volatile String refusalJson;
    private volatile Upload upload;
    private volatile int closeAfterPolls = Integer.MAX_VALUE;

    /**
     * @param token   the admin token uploads must present
     * @param answers {@code /upgrade} answers in order (the first is the upload's 202)
     */
    FakeUpgradeApi(String token, List<String> answers) throws IOException {
        this.token = token;
        this.answers = List.copyOf(answers);
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/upgrade", this::handle);
        server.start();
    }

    /** Uploads are answered with this status and {@code {"error":error}} instead. */
    FakeUpgradeApi refuseWith(int status, String error) {
        this.refusal = status;
        this.refusalJson = "{\"error\":\"" + error + "\"}";
        return this;
    }

    /** Stops answering once this many {@code GET /upgrade} were answered, as a node that goes away. */
    FakeUpgradeApi closeAfterPolls(int polls) {
        this.closeAfterPolls = polls;
        return this;
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The upload received, or null. */
    Upload upload() {
        return upload;
    }

    /** How many {@code GET /upgrade} were answered. */
    int polls() {
        return polls.get();
    }

    /** Stops answering: connections are refused from now on. */
    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if ("GET".equals(exchange.getRequestMethod())) {
                int n = polls.getAndIncrement();
                answer(exchange, 200, answers.get(Math.min(n + 1, answers.size() - 1)));
                if (n + 1 == closeAfterPolls) {
                    new Thread(this::close, "close-fake-admin-api").start();
                }
            } else if ("POST".equals(exchange.getRequestMethod())) {
                upload(exchange);
            } else {
                answer(exchange, 405, "{\"error\":\"GET or POST\"}");
            }
        }
    }

    private void upload(HttpExchange exchange) throws IOException {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        long bytes;
        try (InputStream in = new DigestInputStream(exchange.getRequestBody(), sha)) {
            bytes = in.transferTo(OutputStream.nullOutputStream());
        }
        upload = new Upload(authorization, exchange.getRequestHeaders().getFirst("Content-Type"),
                exchange.getRequestHeaders().getFirst("Content-Length"), query(exchange.getRequestURI().getRawQuery()),
                bytes, HexFormat.of().formatHex(sha.digest()));
        if (!("Bearer " + token).equals(authorization)) {
            answer(exchange, 401, "{\"error\":\"missing or wrong admin token\"}");
        } else if (refusal != 0) {
            answer(exchange, refusal, refusalJson);
        } else {
            answer(exchange, 202, answers.get(0));
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> q = new LinkedHashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                q.put(URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
                        eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return q;
    }

    private static void answer(HttpExchange exchange, int status, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
    }
}
