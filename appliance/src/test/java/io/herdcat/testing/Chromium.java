package io.herdcat.testing;

import static org.awaitility.Awaitility.await;

import io.herdcat.cli.JsonReader;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A headless Chromium process with its DevTools port open on 127.0.0.1, in a profile folder of its
 * own. {@link #close()} kills it and every process it started.
 */
public final class Chromium implements AutoCloseable {
    private static final List<String> NAMES = List.of("chromium", "chromium-browser");
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Process process;
    private final Path log;
    private int port;

    private Chromium(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** The Chromium executable on the PATH, if there is one. */
    public static Optional<Path> binary() {
        return TestEnvironment.onPath(NAMES);
    }

    /** Starts Chromium on about:blank with its profile in {@code dir}/profile and waits for its DevTools port. */
    public static Chromium start(Path binary, Path dir) throws IOException {
        Path profile = Files.createDirectories(dir.resolve("profile"));
        Path log = dir.resolve("chromium.log");
        ProcessBuilder builder = new ProcessBuilder(binary.toString(), "--headless=new", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--no-first-run", "--no-default-browser-check", "--hide-scrollbars",
                "--remote-debugging-port=0", "--user-data-dir=" + profile, "about:blank")
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("TMPDIR", Files.createDirectories(dir.resolve("tmp")).toString());
        Process p = builder.start();
        Chromium chromium = new Chromium(p, log);
        Path activePort = profile.resolve("DevToolsActivePort");
        try {
            await("Chromium's DevTools port").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                    .until(() -> {
                        if (!p.isAlive()) {
                            throw new AssertionError("Chromium exited with " + p.exitValue() + ":\n" + chromium.output());
                        }
                        return Files.exists(activePort) && Files.readAllLines(activePort).size() >= 2;
                    });
            chromium.port = Integer.parseInt(Files.readAllLines(activePort).get(0).trim());
        } catch (RuntimeException | IOException | Error e) {
            chromium.close();
            throw e;
        }
        return chromium;
    }

    /** Connects to a page target (the first tab, or a new one). */
    public DevToolsPage openPage() throws IOException, InterruptedException {
        String url = null;
        for (Object target : (List<?>) JsonReader.read(get("/json/list", "GET"))) {
            Map<?, ?> t = (Map<?, ?>) target;
            if ("page".equals(t.get("type")) && t.get("webSocketDebuggerUrl") != null) {
                url = (String) t.get("webSocketDebuggerUrl");
                break;
            }
        }
        if (url == null) {
            url = (String) JsonReader.object(get("/json/new?about:blank", "PUT")).get("webSocketDebuggerUrl");
        }
        return DevToolsPage.connect(URI.create(url));
    }

    /** What Chromium wrote on its standard output and error. */
    public String output() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }

    private String get(String path, String method) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(10)).build();
        HttpResponse<String> r = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException(method + " " + path + " answered " + r.statusCode() + ": " + r.body());
        }
        return r.body();
    }

    /** SIGTERM, so Chromium removes its temporary files; then SIGKILL to whatever of it is left. */
    @Override
    public void close() {
        List<ProcessHandle> children = process.descendants().toList();
        try {
            process.destroy();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            for (ProcessHandle child : children) {
                child.destroyForcibly();
                child.onExit().get(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("a Chromium process did not exit", e);
        }
    }
}
