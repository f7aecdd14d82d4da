package io.herdcat.testing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A WebSocket client for tests (the JDK's): the text messages it received, in order, and the status
 * code it was closed with (-1 when the connection broke without a Close, 1006 in the RFC's terms).
 */
public final class WsClient implements WebSocket.Listener {
    private final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();
    private WebSocket socket;

    private WsClient() {
    }

    /** Opens a WebSocket to {@code uri}; {@code headers} are name, value pairs (a Cookie, say). */
    public static CompletableFuture<WsClient> open(HttpClient http, URI uri, String... headers) {
        WsClient client = new WsClient();
        WebSocket.Builder builder = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10));
        for (int i = 0; i < headers.length; i += 2) {
            builder.header(headers[i], headers[i + 1]);
        }
        return builder.buildAsync(uri, client).thenApply(ws -> {
            client.socket = ws;
            return client;
        });
    }

    /** Opens and waits; fails with the handshake's failure. */
    public static WsClient connect(HttpClient http, URI uri, String... headers) {
        return open(http, uri, headers).orTimeout(20, TimeUnit.SECONDS).join();
    }

    /** The HTTP status a refused handshake got (-1 when it failed otherwise). */
    public static int refusedStatus(HttpClient http, URI uri, String... headers) {
        try {
            connect(http, uri, headers).abort();
            return 101;
        } catch (CompletionException e) {
            return e.getCause() instanceof WebSocketHandshakeException h ? h.getResponse().statusCode() : -1;
        }
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        webSocket.request(Long.MAX_VALUE);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            messages.add(partial.toString());
            partial.setLength(0);
        }
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closed.complete(statusCode);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closed.complete(-1);
    }

    /** The next text message, waiting at most 10 s; fails without one. */
    public String next() throws InterruptedException {
        String m = messages.poll(10, TimeUnit.SECONDS);
        if (m == null) {
            throw new AssertionError("no message within 10 s" + (closed.isDone() ? " (closed " + closed.join() + ")" : ""));
        }
        return m;
    }

    /** Sends {@code text} and returns the next message. */
    public String echo(String text) throws InterruptedException {
        send(text);
        return next();
    }

    public void send(String text) {
        socket.sendText(text, true).orTimeout(10, TimeUnit.SECONDS).join();
    }

    /** Completes with the status code of the Close this client got, or -1 when the connection broke. */
    public CompletableFuture<Integer> closed() {
        return closed;
    }

    public boolean isOpen() {
        return !closed.isDone() && !socket.isInputClosed();
    }

    /** Closes with 1000 (normal). */
    public void close() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "").exceptionally(e -> null);
        }
    }

    public void abort() {
        socket.abort();
    }
}
