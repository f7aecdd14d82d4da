package io.herdcat.launcher;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.herdcat.cli.JsonReader;
import io.herdcat.testing.Cluster;
import io.herdcat.testing.FreePorts;
import io.herdcat.testing.NodeProcess;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What operators' tools expect of a node: {@code --version}, log lines with ISO-8601 time and zone,
 * {@code log.format=json} (every line of the output one JSON object) with levels per logger, the front's
 * access log in Apache's combined format with the front's own answers, and {@code /health} following
 * the drain. One node runs the front, disabled and with {@code health.drain}; the JSON test starts its own.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OperatorConventionsIT {
    /** Apache's combined format: %h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-agent}i". */
    private static final Pattern COMBINED = Pattern.compile("(\\S+) - - "
            + "\\[(\\d{2}/[A-Z][a-z]{2}/\\d{4}:\\d{2}:\\d{2}:\\d{2} [+-]\\d{4})] "
            + "\"([A-Z]+) (\\S+) (HTTP/[0-9.]+)\" (\\d{3}) (\\d+|-) \"((?:[^\"\\\\]|\\\\.)*)\" "
            + "\"((?:[^\"\\\\]|\\\\.)*)\"");
    /** A plain log line: ISO-8601 date, time with milliseconds and zone, then the level and the node. */
    private static final Pattern PLAIN = Pattern.compile(
            "(\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}(?:Z|[+-]\\d{2}:\\d{2})) "
                    + "(TRACE|DEBUG|INFO |WARN |ERROR) \\[ops] .*");
    /** A line of a logged exception, which belongs to the event line before it. */
    private static final Pattern THROWABLE =
            Pattern.compile("(\\s|Caused by: |Suppressed: |[\\w$]+(\\.[\\w$]+)+(: |$)).*");
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    private Path dir;
    private NodeProcess node;
    private int frontPort;
    private Path accessLog;

    @BeforeAll
    void startDisabledFrontNode(@TempDir Path tempDir) throws Exception {
        dir = tempDir;
        Cluster.prepare(dir);
        frontPort = FreePorts.offsetWhereFree(1, 0);
        accessLog = dir.resolve("front_access.log");
        List<String> args = new ArrayList<>(List.of(Cluster.frontArgs(dir, frontPort)));
        args.addAll(List.of("--dispatcher", "always", "--activation", "disabled", "--health-drain", "true",
                "--front-access-log", accessLog.toString()));
        node = Cluster.start("ops", dir, args.toArray(String[]::new)).awaitReady();
        await().atMost(Duration.ofSeconds(20)).until(() -> admin("/health/front").statusCode() == 200);
    }

    @AfterAll
    void stop() throws InterruptedException {
        if (node != null) {
            node.close();
        }
    }

    @Test
    void versionNamesHerdcatTomcatJGroupsAndJavaOneLineEach() throws Exception {
        String out;
        int exit;
        try (NodeProcess p = NodeProcess.exec("version", dir, Map.of(), List.of("--version"))) {
            exit = p.awaitExit(Duration.ofSeconds(60));
            out = p.output().strip();
        }
        assertEquals(0, exit, out);
        List<String> lines = out.lines().toList();
        assertEquals(4, lines.size(), out);
        assertTrue(lines.get(0).matches("Herdcat \\S+"), out);
        assertEquals("Tomcat " + org.apache.catalina.util.ServerInfo.getServerNumber(), lines.get(1));
        assertEquals("JGroups " + org.jgroups.Version.printVersion(), lines.get(2));
        assertTrue(lines.get(3).startsWith("Java " + Runtime.version().feature() + "."), out);
    }

    @Test
    void healthAnswers503WithTheActivationWhileTheNodeIsDrained() throws Exception {
        HttpResponse<String> drained = admin("/health");
        assertEquals(503, drained.statusCode(), drained.body());
        assertEquals(Map.of("status", "DRAINING", "activation", "disabled"), JsonReader.object(drained.body()));

        assertEquals(202, Cluster.adminPost(node, "/nodes/ops/activation", "active", Cluster.ADMIN_TOKEN));
        await().atMost(Duration.ofSeconds(10)).until(() -> admin("/health").statusCode() == 200);
        assertEquals(Map.of("status", "UP"), JsonReader.object(admin("/health").body()));

        assertEquals(202, Cluster.adminPost(node, "/nodes/ops/activation", "stopped", Cluster.ADMIN_TOKEN));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            HttpResponse<String> stopped = admin("/health");
            assertEquals(503, stopped.statusCode());
            assertEquals(Map.of("status", "DRAINING", "activation", "stopped"), JsonReader.object(stopped.body()));
        });
        assertEquals(202, Cluster.adminPost(node, "/nodes/ops/activation", "disabled", Cluster.ADMIN_TOKEN));
        await().atMost(Duration.ofSeconds(10)).until(() -> admin("/health").body().contains("\"disabled\""));
    }

    @Test
    void theFrontLogsItsOwn400And503InCombinedFormat() throws Exception {
        // the only node is disabled: a request without a session has nowhere to go
        await().atMost(Duration.ofSeconds(10)).until(() -> admin("/health").body().contains("\"disabled\""));
        HttpResponse<String> unavailable = CLIENT.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + frontPort + "/session-demo/hello?x=1"))
                .header("Referer", "http://example.net/start").header("User-Agent", "probe \"7\"").build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(503, unavailable.statusCode(), unavailable.body());
        assertTrue(rawRequest("GET /no-host HTTP/1.1\r\n\r\n").startsWith("HTTP/1.1 400 "));

        List<Matcher> lines = new ArrayList<>();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            lines.clear();
            for (String line : Files.readAllLines(accessLog, StandardCharsets.UTF_8)) {
                Matcher m = COMBINED.matcher(line);
                assertTrue(m.matches(), "not in combined format: " + line);
                lines.add(m);
            }
            assertEquals(2, lines.size());
        });
        Matcher m503 = lines.get(0);
        assertEquals("127.0.0.1", m503.group(1));
        OffsetDateTime.parse(m503.group(2), java.time.format.DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z",
                java.util.Locale.ROOT));
        assertEquals(List.of("GET", "/session-demo/hello?x=1", "HTTP/1.1", "503"),
                List.of(m503.group(3), m503.group(4), m503.group(5), m503.group(6)));
        assertEquals(unavailable.body().getBytes(StandardCharsets.UTF_8).length, Integer.parseInt(m503.group(7)));
        assertEquals("http://example.net/start", m503.group(8));
        assertEquals("probe \\\"7\\\"", m503.group(9));
        Matcher m400 = lines.get(1);
        assertEquals(List.of("GET", "/no-host", "HTTP/1.1", "400", "-", "-", "-"), List.of(m400.group(3), m400.group(4),
                m400.group(5), m400.group(6), m400.group(7), m400.group(8), m400.group(9)));
    }

    @Test
    void everyPlainLogLineStartsWithIsoDateTimeAndZone() {
        List<String> lines = node.output().lines().toList();
        assertTrue(lines.size() > 5, node.output());
        int events = 0;
        for (String line : lines) {
            Matcher m = PLAIN.matcher(line);
            if (m.matches()) {
                OffsetDateTime.parse(m.group(1));
                events++;
            } else if (!THROWABLE.matcher(line).matches() || events == 0) {
                fail("not a log line with an ISO-8601 time and zone: " + line);
            }
        }
    }

    @Test
    void jsonLogsAreOneObjectPerLineAndLevelsApplyPerLogger() throws Exception {
        Path jsonDir = Files.createDirectories(dir.resolve("json"));
        Cluster.prepare(jsonDir);
        // one logger's level from the file, the root's and another's from the flag: they add up
        Files.writeString(jsonDir.resolve("herdcat.properties"), "log.level.io.herdcat.launcher=info\n");
        // the node's output goes straight to a file, so every byte it wrote is read, and nothing else
        Path log = jsonDir.resolve("node.out");
        Path ready = jsonDir.resolve("json.ready.json");
        List<String> command = new ArrayList<>(List.of("sh", "-c", "exec \"$@\" > node.out 2>&1", "sh"));
        List<String> args = new ArrayList<>(List.of("--name", "json", "--webapps", "webapps", "--ready-file",
                ready.toString(), "--http-port", "0", "--ajp-port", "0", "--admin-port", "0", "--tribes-port", "0",
                "--jgroups-port", "0", "--front-port", "0", "--front-address", "127.0.0.1", "--cluster",
                NodeProcess.CLUSTER, "--discovery-dir", "discovery", "--log-format", "json",
                "--log-level", "warn,org.apache.catalina.core=debug"));
        if (io.herdcat.testing.TestEnvironment.isRoot()) {
            args.addAll(List.of("--allow-root", "true"));
        }
        command.addAll(NodeProcess.command(args));
        try (NodeProcess json = NodeProcess.run("json", command, jsonDir, Map.of())) {
            await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(ready) && Files.size(ready) > 0);
            Object httpPort = JsonReader.object(Files.readString(ready)).get("httpPort");
            assertEquals(200, CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort
                    + "/session-demo/hello")).build(), HttpResponse.BodyHandlers.ofString()).statusCode());
            json.terminate();
            assertEquals(0, json.awaitExit(Duration.ofSeconds(60)), Files.readString(log));
        }
        String out = Files.readString(log, StandardCharsets.UTF_8);
        List<String> lines = out.lines().toList();
        assertTrue(lines.size() > 5, out);
        List<Map<String, Object>> events = new ArrayList<>();
        for (String line : lines) {
            try {
                events.add(JsonReader.object(line));
            } catch (IllegalArgumentException e) {
                throw new AssertionError("not one JSON object: " + line, e);
            }
        }
        boolean started = false;
        boolean catalinaDebug = false;
        for (Map<String, Object> event : events) {
            String line = event.toString();
            String level = (String) event.get("level");
            String logger = (String) event.get("loggerName");
            assertTrue(event.get("timestamp") instanceof Long, line);
            assertTrue(event.get("formattedMessage") instanceof String, line);
            @SuppressWarnings("unchecked")
            Map<String, Object> context = (Map<String, Object>) event.get("context");
            @SuppressWarnings("unchecked")
            Map<String, Object> properties = (Map<String, Object>) context.get("properties");
            assertEquals("json", properties.get("herdcat.node"), line);
            if (level.equals("DEBUG")) {
                assertTrue(logger.startsWith("org.apache.catalina.core."), "DEBUG only where asked: " + line);
                catalinaDebug = true;
            } else if (level.equals("INFO")) {
                assertTrue(logger.startsWith("io.herdcat.launcher.") || logger.startsWith("org.apache.catalina.core."),
                        "INFO only where asked (root warn): " + line);
                started |= ((String) event.get("formattedMessage")).startsWith("Started node json");
            }
            assertFalse(level.equals("TRACE"), line);
        }
        assertTrue(started, "io.herdcat.launcher at info (from the file) logs the start:\n" + out);
        assertTrue(catalinaDebug, "org.apache.catalina.core at debug (from the flag):\n" + out);
    }

    private HttpResponse<String> admin(String path) throws IOException, InterruptedException {
        return CLIENT.send(HttpRequest.newBuilder(URI.create(node.adminUrl(path))).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private String rawRequest(String request) throws IOException {
        try (Socket s = new Socket("127.0.0.1", frontPort)) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }
}
