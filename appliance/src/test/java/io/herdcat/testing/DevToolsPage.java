package io.herdcat.testing;

import io.herdcat.admin.JsonWriter;
import io.herdcat.cli.JsonReader;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;

/**
 * One browser tab driven over the Chrome DevTools Protocol: commands go out as JSON over the tab's
 * WebSocket and each waits for the answer with its id. Clicks and typing are dispatched as input
 * events, the way a user's would be.
 */
public final class DevToolsPage implements AutoCloseable {
    private static final long TIMEOUT_SECONDS = 30;

    private final Map<Long, CompletableFuture<Map<String, Object>>> pending = new ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();
    private WebSocket socket;

    private DevToolsPage() {
    }

    static DevToolsPage connect(URI webSocketUrl) throws IOException, InterruptedException {
        DevToolsPage page = new DevToolsPage();
        try {
            page.socket = HttpClient.newHttpClient().newWebSocketBuilder()
                    .buildAsync(webSocketUrl, page.new Listener()).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("cannot open DevTools WebSocket " + webSocketUrl, e);
        }
        return page;
    }

    /** Sends a command and returns its result; a DevTools error is thrown. */
    public Map<String, Object> call(String method, Map<String, Object> params) throws IOException, InterruptedException {
        long id = ids.incrementAndGet();
        CompletableFuture<Map<String, Object>> answer = new CompletableFuture<>();
        pending.put(id, answer);
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("id", id);
        message.put("method", method);
        message.put("params", params);
        try {
            synchronized (this) {
                socket.sendText(JsonWriter.write(message), true).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            }
            Map<String, Object> reply = answer.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            if (reply.get("error") != null) {
                throw new IOException(method + " failed: " + reply.get("error"));
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> result = (Map<String, Object>) reply.getOrDefault("result", Map.of());
            return result;
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException(method + " got no answer", e);
        } finally {
            pending.remove(id);
        }
    }

    /** Evaluates a JavaScript expression in the page and returns its value (JSON-like); a thrown error is thrown. */
    public Object evaluate(String expression) throws IOException, InterruptedException {
        Map<String, Object> r = call("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true,
                "awaitPromise", true));
        if (r.get("exceptionDetails") != null) {
            throw new IOException("script failed: " + expression + ": " + r.get("exceptionDetails"));
        }
        return ((Map<?, ?>) r.get("result")).get("value");
    }

    /**
     * Loads a URL in the tab and returns once the new document has been parsed. DevTools answers
     * {@code Page.navigate} when the navigation starts, so until then scripts would still run in the
     * old document (or fail while it is being replaced).
     */
    public void navigate(String url) throws IOException, InterruptedException {
        Map<String, Object> r = call("Page.navigate", Map.of("url", url));
        if (r.get("errorText") != null) {
            throw new IOException("cannot load " + url + ": " + r.get("errorText"));
        }
        String loaded = "location.href === " + JsonWriter.write(url) + " && document.readyState !== 'loading'";
        Awaitility.await("the tab shows " + url).atMost(Duration.ofSeconds(TIMEOUT_SECONDS))
                .pollInterval(Duration.ofMillis(20)).ignoreExceptions()
                .until(() -> Boolean.TRUE.equals(evaluate(loaded)));
    }

    /** Makes the viewport {@code width} x {@code height} CSS pixels. */
    public void viewport(int width, int height) throws IOException, InterruptedException {
        call("Emulation.setDeviceMetricsOverride", Map.of("width", width, "height", height,
                "deviceScaleFactor", 1, "mobile", false));
    }

    /**
     * Clicks the middle of the element {@code selector} finds with the mouse; fails when there is no
     * such element or something else (a dialog) covers it.
     */
    public void click(String selector) throws IOException, InterruptedException {
        Object at = evaluate("(() => { const e = document.querySelector(" + JsonWriter.write(selector) + ");"
                + " if (!e) return 'missing'; e.scrollIntoView({block: 'center'});"
                + " const r = e.getBoundingClientRect(); const x = r.x + r.width / 2, y = r.y + r.height / 2;"
                + " const hit = document.elementFromPoint(x, y);"
                + " return hit && (hit === e || e.contains(hit)) ? [x, y] : 'covered by ' + (hit ? hit.outerHTML.slice(0, 80) : 'nothing'); })()");
        if (!(at instanceof List<?> xy)) {
            throw new IOException("cannot click " + selector + ": " + at);
        }
        double x = ((Number) xy.get(0)).doubleValue();
        double y = ((Number) xy.get(1)).doubleValue();
        call("Input.dispatchMouseEvent", Map.of("type", "mouseMoved", "x", x, "y", y));
        for (String type : List.of("mousePressed", "mouseReleased")) {
            call("Input.dispatchMouseEvent", Map.of("type", type, "x", x, "y", y, "button", "left", "clickCount", 1));
        }
    }

    /** Types text into the focused element. */
    public void type(String text) throws IOException, InterruptedException {
        call("Input.insertText", Map.of("text", text));
    }

    /** A PNG of the top {@code height} CSS pixels of the viewport, {@code width} wide. */
    public byte[] screenshot(int width, int height) throws IOException, InterruptedException {
        Map<String, Object> clip = Map.of("x", 0, "y", 0, "width", width, "height", height, "scale", 1);
        Map<String, Object> r = call("Page.captureScreenshot", Map.of("format", "png", "clip", clip));
        return Base64.getDecoder().decode((String) r.get("data"));
    }

    @Override
    public void close() {
        socket.abort();
    }

    /** Joins message fragments and completes the command each answer belongs to; events are ignored. */
    private final class Listener implements WebSocket.Listener {
        private final StringBuilder message = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            message.append(data);
            if (last) {
                Map<String, Object> m = JsonReader.object(message.toString());
                message.setLength(0);
                if (m.get("id") instanceof Number id) {
                    CompletableFuture<Map<String, Object>> answer = pending.get(id.longValue());
                    if (answer != null) {
                        answer.complete(m);
                    }
                }
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            pending.values().forEach(f -> f.completeExceptionally(error));
        }
    }
}
