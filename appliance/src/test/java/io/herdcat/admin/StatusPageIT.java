package io.herdcat.admin;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.herdcat.cli.JsonReader;
import io.herdcat.testing.Args;
import io.herdcat.testing.Chromium;
import io.herdcat.testing.Cluster;
import io.herdcat.testing.DevToolsPage;
import io.herdcat.testing.DumpOutputOnFailure;
import io.herdcat.testing.FreePorts;
import io.herdcat.testing.Http;
import io.herdcat.testing.NodeProcess;
import io.herdcat.testing.TestEnvironment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The status page in a real headless Chromium against a two-node cluster: it shows both nodes live,
 * asks for the token, drains a node through the admin API, and leaves a screenshot in target/ (and, when
 * asked, in docs/ for the README). First, the demo page through the front shows, in its live panel, the
 * node name its WebSocket pushed (so its script and WebSocket pass the page's Content-Security-Policy).
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
@ExtendWith(DumpOutputOnFailure.class)
class StatusPageIT {
    private static final int WIDTH = 1366;
    private static final int HEIGHT = 800;
    /** Seconds of traffic the sparklines show before the screenshot. */
    private static final int SPARK_POINTS = 20;
    /** Set to true to write the screenshot into docs/status-page.png as well (the README's picture). */
    static final String UPDATE_SCREENSHOT = "herdcat.tests.updateScreenshot";

    @TempDir
    Path dir;

    @Test
    void pageShowsTheClusterLiveAndDisablesANodeWithTheToken() throws Exception {
        Optional<Path> binary = Chromium.binary();
        TestEnvironment.require(binary.isPresent(), TestEnvironment.SKIP_BROWSER,
                "no chromium on the PATH (Debian package chromium)");
        Cluster.prepare(dir);
        int frontPort = FreePorts.offsetWhereFree(1, 0);
        String[] args = Args.with(Cluster.frontArgs(dir, frontPort), "--access-log", "false");
        AtomicBoolean traffic = new AtomicBoolean(true);
        try (NodeProcess a = Cluster.start("a", dir, Args.with(args, "--dispatcher", "always")).awaitReady();
             NodeProcess b = Cluster.start("b", dir, Args.with(args, "--dispatcher", "never")).awaitReady();
             Chromium chromium = Chromium.start(binary.get(), Files.createDirectories(dir.resolve("chromium")))) {
            await().atMost(Duration.ofSeconds(20)).until(() -> Cluster.members(a).size() == 2);
            String front = "http://127.0.0.1:" + frontPort + "/session-demo/";
            await().atMost(Duration.ofSeconds(20)).until(() -> Http.status(front + "hello") == 200);
            Thread load = startTraffic(front, traffic);

            try (DevToolsPage demo = chromium.openPage()) {
                demo.navigate(front);
                awaitTrue(demo, "the demo page's live panel names the node its WebSocket (through the front) is on",
                        "['a', 'b'].includes(document.getElementById('ws-node').textContent)");
                assertEquals(demo.evaluate("document.getElementById('node').textContent"),
                        demo.evaluate("document.getElementById('ws-node').textContent"),
                        "the WebSocket went to the node of the page's session");
            }

            try (DevToolsPage page = chromium.openPage()) {
                page.viewport(WIDTH, HEIGHT);
                page.navigate(a.adminUrl("/"));
                await("both nodes in the table, as the front sees them").atMost(Duration.ofSeconds(20))
                        .ignoreExceptions().until(() -> Boolean.TRUE.equals(page.evaluate(
                                "document.querySelector('tr[data-node=\"a\"] td.state').textContent === 'ok'"
                                + " && document.querySelector('tr[data-node=\"b\"] td.state').textContent === 'ok'")));
                assertEquals("a", page.evaluate("document.getElementById('front').textContent"));
                assertEquals(true, page.evaluate("document.querySelector('tr[data-node=\"a\"]').classList.contains('front')"),
                        "the front's node is highlighted");
                await("sparklines over several seconds of traffic").atMost(Duration.ofSeconds(45)).until(() ->
                        ((Number) page.evaluate("Math.min(...['a', 'b'].map(n => document.querySelector("
                                + "'tr[data-node=\"' + n + '\"] svg.spark.requests polyline')?.getAttribute('points')"
                                + ".split(' ').length ?? 0))")).intValue() >= SPARK_POINTS);

                page.click("button[data-action=\"disable\"][data-node=\"b\"]");
                awaitTrue(page, "the token is asked for", "!document.getElementById('token-dialog').hidden");
                page.type("wrong-token-0123456789");
                page.click("#token-save");
                awaitTrue(page, "a refused token is asked for again",
                        "document.getElementById('message').textContent.includes('401')"
                        + " && !document.getElementById('token-dialog').hidden"
                        + " && document.getElementById('token').value === ''");
                assertEquals("active", fieldOf(b, "b", "activation"), "a refused write changes nothing");

                page.type(Cluster.ADMIN_TOKEN);
                page.click("#token-save");
                awaitTrue(page, "b's row shows it disabled",
                        "document.querySelector('tr[data-node=\"b\"] td.activation').textContent === 'disabled'");
                assertEquals("disabled", fieldOf(a, "b", "activation"));
                assertEquals("disabled", fieldOf(b, "b", "activation"));
                assertTrue(((String) page.evaluate("document.getElementById('message').textContent")).contains("disabled"));
                assertEquals(Cluster.ADMIN_TOKEN, page.evaluate("sessionStorage.getItem('herdcat.adminToken')"),
                        "the token is kept for the next change");

                page.click("button[data-action=\"weight\"][data-node=\"b\"]");
                awaitTrue(page, "the weight is asked for, without the token again",
                        "!document.getElementById('weight-dialog').hidden && document.getElementById('token-dialog').hidden");
                page.type("3");
                page.click("#weight-save");
                awaitTrue(page, "b's row shows its new weight",
                        "document.querySelector('tr[data-node=\"b\"] td.weight').textContent === '3'");
                assertEquals(3L, fieldOf(a, "b", "weight"));

                await("b's Disable button is greyed out").atMost(Duration.ofSeconds(20)).until(() -> Boolean.TRUE.equals(
                        page.evaluate("document.querySelector('button[data-action=\"disable\"][data-node=\"b\"]').disabled")));
                awaitTrue(page, "the drained node's requests/s falls to zero while the other takes the traffic",
                        "document.querySelector('tr[data-node=\"b\"] td.requests .rate span').textContent === '0.0/s'"
                        + " && parseFloat(document.querySelector('tr[data-node=\"a\"] td.requests .rate span').textContent) > 0");
                assertEquals(true, page.evaluate("document.documentElement.scrollWidth <= " + WIDTH
                        + " && document.querySelector('main table').getBoundingClientRect().right <= " + WIDTH),
                        "the table fits a laptop screen without scrolling sideways");
                int height = ((Number) page.evaluate(
                        "Math.ceil(document.querySelector('main').getBoundingClientRect().bottom)")).intValue();
                writeScreenshot(page.screenshot(WIDTH, Math.min(HEIGHT, height)));
            } finally {
                traffic.set(false);
                load.join(10_000);
            }
        }
    }

    /** Requests to the front in the background (a few with sessions, the rest without), until told to stop. */
    private static Thread startTraffic(String front, AtomicBoolean running) {
        Thread t = new Thread(() -> {
            for (int i = 0; running.get(); i++) {
                String path = i < 6 ? "session.json?name=visit&value=" + i : "hello";
                try {
                    Http.get(front + path);
                    TimeUnit.MILLISECONDS.sleep(20);
                } catch (IOException e) {
                    // the page shows what the front saw; the test checks the page, not this client
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }, "status-page-traffic");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static void awaitTrue(DevToolsPage page, String what, String expression) {
        await(what).atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                .until(() -> Boolean.TRUE.equals(page.evaluate(expression)));
    }

    /** Field {@code key} of node {@code name}'s row in {@code node}'s GET /status. */
    private static Object fieldOf(NodeProcess node, String name, String key) throws IOException, InterruptedException {
        List<?> nodes = (List<?>) JsonReader.object(Cluster.status(node)).get("nodes");
        assertNotNull(nodes, "/status lists the nodes");
        for (Object n : nodes) {
            Map<?, ?> row = (Map<?, ?>) n;
            if (name.equals(row.get("name"))) {
                return row.get(key);
            }
        }
        throw new AssertionError("no node " + name + " on /status of " + node.adminPort());
    }

    /**
     * Into appliance/target; into docs/ of the working tree, where the README shows it, only when
     * {@value #UPDATE_SCREENSHOT} is true, so a test run leaves the tracked files alone.
     */
    private static void writeScreenshot(byte[] png) throws IOException {
        Path target = NodeProcess.jar().getParent();
        Files.write(target.resolve("status-page.png"), png);
        if (!Boolean.getBoolean(UPDATE_SCREENSHOT)) {
            return;
        }
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve("docs/decisions.md"))) {
                Files.write(d.resolve("docs/status-page.png"), png);
                return;
            }
        }
        throw new AssertionError("-D" + UPDATE_SCREENSHOT + "=true, but no docs/ folder above " + Path.of("").toAbsolutePath());
    }
}
