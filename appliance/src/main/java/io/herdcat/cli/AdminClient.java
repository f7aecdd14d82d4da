package io.herdcat.cli;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Calls a node's admin API: {@code GET} for reads, {@code POST} with a text body for writes and with
 * a file streamed from disk for uploads, with the admin token as {@code Authorization: Bearer} when
 * there is one. Every failure becomes an {@link AdminCallException} whose message says in one line
 * what went wrong and what to do.
 */
final class AdminClient {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(15);
    /** An upload's answer comes once the node has the whole file and has checked it. */
    private static final Duration UPLOAD_TIMEOUT = Duration.ofMinutes(10);
    private static final int MAX_REASON = 200;

    private final AdminTarget target;
    private final HttpClient http;

    AdminClient(AdminTarget target) {
        this.target = target;
        this.http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();
    }

    /** The body of a successful {@code GET path}. */
    String get(String path) throws AdminCallException {
        return send(request(path, ANSWER_TIMEOUT).GET().build(), ANSWER_TIMEOUT);
    }

    /** The JSON object a successful {@code GET path} answered. */
    Map<String, Object> getObject(String path) throws AdminCallException {
        return object(path, get(path));
    }

    /** The JSON object a successful {@code POST path} with this body answered. */
    Map<String, Object> post(String path, String body) throws AdminCallException {
        String answer = send(request(path, ANSWER_TIMEOUT)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .header("Content-Type", "text/plain; charset=utf-8").build(), ANSWER_TIMEOUT);
        return object(path, answer);
    }

    /**
     * The JSON object a successful {@code POST path} answered, the body being {@code file}'s bytes read
     * from disk as they are sent (never the whole file in memory).
     */
    Map<String, Object> upload(String path, Path file) throws AdminCallException {
        HttpRequest.BodyPublisher body;
        try {
            body = HttpRequest.BodyPublishers.ofFile(file);
        } catch (FileNotFoundException e) {
            throw new UsageException(file + " does not exist");
        }
        String answer = send(request(path, UPLOAD_TIMEOUT).POST(body)
                .header("Content-Type", "application/octet-stream").build(), UPLOAD_TIMEOUT);
        return object(path, answer);
    }

    private Map<String, Object> object(String path, String answer) throws AdminCallException {
        try {
            return JsonReader.object(answer);
        } catch (IllegalArgumentException e) {
            throw new AdminCallException(target.base() + path + " answered something that is not a JSON object");
        }
    }

    private HttpRequest.Builder request(String path, Duration timeout) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(target.base() + path)).timeout(timeout);
        if (target.token() != null) {
            b.header("Authorization", "Bearer " + target.token());
        }
        return b;
    }

    private String send(HttpRequest request, Duration timeout) throws AdminCallException {
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpConnectTimeoutException e) {
            throw unreachable("no connection within " + CONNECT_TIMEOUT.toSeconds() + " s");
        } catch (HttpTimeoutException e) {
            throw new AdminCallException("the admin API at " + target.base() + " did not answer within "
                    + timeout.toSeconds() + " s", true);
        } catch (ConnectException e) {
            throw unreachable("connection refused");
        } catch (IOException e) {
            throw unreachable(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AdminCallException("interrupted");
        }
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            return response.body();
        }
        throw failure(status, reason(response.body()));
    }

    private AdminCallException failure(int status, String reason) {
        String hint = "";
        if (status == 401) {
            hint = target.token() == null ? "; give --token-file FILE (the node's admin.token.file)"
                    : "; check the token in " + target.tokenOrigin();
        }
        return new AdminCallException(status + " " + reason + hint, status == 503);
    }

    private AdminCallException unreachable(String why) {
        return new AdminCallException("cannot reach the admin API at " + target.base() + " (" + why
                + "); is the node running? give --admin URL or --config FILE", true);
    }

    /** The {@code error} of a JSON answer, else the answer's first line. */
    static String reason(String body) {
        try {
            Object error = JsonReader.object(body).get("error");
            if (error != null) {
                return error.toString();
            }
        } catch (IllegalArgumentException e) {
            // not the admin API's JSON; show what came back
        }
        String line = body.strip().lines().findFirst().orElse("(empty answer)");
        return line.length() > MAX_REASON ? line.substring(0, MAX_REASON) + "…" : line;
    }
}
