package io.herdcat.admin;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.herdcat.testing.Chromium;
import io.herdcat.testing.DevToolsPage;
import io.herdcat.testing.NodeProcess;
import io.herdcat.testing.TestEnvironment;
import io.herdcat.upgrade.UpgradeStatus;
import io.herdcat.upgrade.Upgrades;
import io.herdcat.upgrade.WarFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * In a real headless Chromium, the status page shows a rolling upgrade above the node table while it
 * runs and for ten minutes after it ended: the WAR, the state, the time, one line per node with its step,
 * the node being worked on highlighted; and it does so within the page's Content-Security-Policy.
 * Leaves a screenshot of the running upgrade in target/.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class StatusPageUpgradeIT {
    @TempDir
    Path dir;

    private volatile UpgradeStatus status = UpgradeStatus.idle();

    @Test
    void theUpgradePanelFollowsTheUpgradeAndHighlightsTheNodeBeingWorkedOn() throws Exception {
        Optional<Path> binary = Chromium.binary();
        TestEnvironment.require(binary.isPresent(), TestEnvironment.SKIP_BROWSER,
                "no chromium on the PATH (Debian package chromium)");
        AdminServer admin = LocalAdmin.start(dir, "1m", new Upgrades() {
            @Override
            public UpgradeStatus start(WarFile war, Path file, String healthPath) throws UpgradeRefused {
                throw new UpgradeRefused(503, "not in this test");
            }

            @Override
            public UpgradeStatus restart(java.util.Set<String> only) throws UpgradeRefused {
                throw new UpgradeRefused(503, "not in this test");
            }

            @Override
            public UpgradeStatus status() {
                return status;
            }
        });
        try (Chromium chromium = Chromium.start(binary.get(), Files.createDirectories(dir.resolve("chromium")));
             DevToolsPage page = chromium.openPage()) {
            page.viewport(1100, 600);
            page.call("Page.enable", Map.of());
            page.call("Page.addScriptToEvaluateOnNewDocument", Map.of("source", StatusPageCspIT.RECORD_VIOLATIONS));
            page.navigate("http://127.0.0.1:" + admin.port() + "/");
            awaitTrue(page, "the page polls", "document.getElementById('self').textContent === 't'");
            assertEquals(true, page.evaluate("document.getElementById('upgrade').hidden"), "no panel while idle");

            long now = System.currentTimeMillis();
            status = new UpgradeStatus("u1", UpgradeStatus.State.RUNNING, "shop.war", "/shop", "ab12", "t",
                    now - 95_000, 0, "deploying shop.war on b", List.of(
                            new UpgradeStatus.NodeProgress("a", UpgradeStatus.Step.DONE, now - 50_000, ""),
                            new UpgradeStatus.NodeProgress("b", UpgradeStatus.Step.DEPLOYING, now - 41_000, ""),
                            new UpgradeStatus.NodeProgress("c", UpgradeStatus.Step.WAITING, 0, "")));
            awaitTrue(page, "the panel shows the running upgrade", "!document.getElementById('upgrade').hidden");
            assertEquals("shop.war → /shop", text(page, "#upgrade-war"));
            assertEquals("running", text(page, "#upgrade-state"));
            assertEquals(true, page.evaluate("document.getElementById('upgrade-elapsed').textContent.startsWith('1m ')"));
            assertEquals("deploying shop.war on b", text(page, "#upgrade-message"));
            assertEquals(List.of("a", "b", "c"), page.evaluate(
                    "[...document.querySelectorAll('#upgrade-nodes li')].map(li => li.dataset.node)"));
            assertEquals("deploying", text(page, "#upgrade-nodes li[data-node=\"b\"] .step"));
            assertEquals(true, page.evaluate(
                    "/^4\\ds$/.test(document.querySelector('#upgrade-nodes li[data-node=\"b\"] .elapsed').textContent)"),
                    "b's time in its step");
            assertEquals(List.of("b"), page.evaluate(
                    "[...document.querySelectorAll('#upgrade-nodes li.current')].map(li => li.dataset.node)"),
                    "only the node being worked on is highlighted");
            assertEquals("", text(page, "#upgrade-nodes li[data-node=\"c\"] .elapsed"), "a waiting node shows no time");
            Files.write(NodeProcess.jar().getParent().resolve("status-page-upgrade.png"), page.screenshot(1100, 260));

            status = new UpgradeStatus("u1", UpgradeStatus.State.ROLLED_BACK, "shop.war", "/shop", "ab12", "t",
                    now - 200_000, now - 120_000, "b failed its health check: every node is back on the old WAR",
                    List.of(new UpgradeStatus.NodeProgress("a", UpgradeStatus.Step.ROLLED_BACK, now - 121_000, ""),
                            new UpgradeStatus.NodeProgress("b", UpgradeStatus.Step.FAILED, now - 125_000, "503"),
                            new UpgradeStatus.NodeProgress("c", UpgradeStatus.Step.WAITING, 0, "")));
            awaitTrue(page, "an upgrade that ended two minutes ago is still shown",
                    "document.getElementById('upgrade-state').textContent === 'rolled-back'");
            assertEquals(false, page.evaluate("document.getElementById('upgrade').hidden"));
            assertEquals(0L, ((Number) page.evaluate("document.querySelectorAll('#upgrade-nodes li.current').length"))
                    .longValue(), "nothing is being worked on any more");
            assertEquals("503", text(page, "#upgrade-nodes li[data-node=\"b\"] .sub"));

            status = new UpgradeStatus("u1", UpgradeStatus.State.DONE, "shop.war", "/shop", "ab12", "t",
                    now - 900_000, now - 660_000, "every node runs shop.war", List.of());
            awaitTrue(page, "an upgrade that ended eleven minutes ago is not", "document.getElementById('upgrade').hidden");
            assertEquals("[]", page.evaluate("JSON.stringify(window.__violations)"), "no CSP violation");
        } finally {
            admin.stop();
        }
    }

    private static String text(DevToolsPage page, String selector) throws Exception {
        return (String) page.evaluate("document.querySelector('" + selector.replace("'", "\\'") + "').textContent");
    }

    private static void awaitTrue(DevToolsPage page, String what, String expression) {
        await(what).atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).ignoreExceptions()
                .until(() -> Boolean.TRUE.equals(page.evaluate(expression)));
    }
}
