package io.herdcat.admin;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.herdcat.testing.Chromium;
import io.herdcat.testing.DevToolsPage;
import io.herdcat.testing.DumpOutputOnFailure;
import io.herdcat.testing.NodeProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * In a real browser, the status page's own inline script and style run under its Content-Security-Policy
 * without a single violation, and a script injected into the page does not.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
@ExtendWith(DumpOutputOnFailure.class)
class StatusPageCspIT {
    /** Collects the page's CSP violations from before its first script runs. */
    static final String RECORD_VIOLATIONS = "window.__violations = [];"
            + "document.addEventListener('securitypolicyviolation', e => window.__violations.push("
            + "e.violatedDirective + ' ' + e.blockedURI + ' ' + (e.sample || '')));";

    @TempDir
    Path dir;

    @Test
    void ownScriptAndStyleRunWithoutViolationsAndAnInjectedScriptIsBlocked() throws Exception {
        Optional<Path> binary = Chromium.binary();
        if (binary.isEmpty()) {
            assumeTrue(System.getenv("CI") != null, "no chromium on the PATH (Debian package chromium); skipped");
            throw new AssertionError("CI is set but chromium is not on the PATH: .ci/run installs it");
        }
        try (NodeProcess a = NodeProcess.start("a", dir, Files.createDirectories(dir.resolve("webapps"))).awaitReady();
             Chromium chromium = Chromium.start(binary.get(), Files.createDirectories(dir.resolve("chromium")));
             DevToolsPage page = chromium.openPage()) {
            page.call("Page.enable", Map.of());
            page.call("Page.addScriptToEvaluateOnNewDocument", Map.of("source", RECORD_VIOLATIONS));
            page.navigate(a.adminUrl("/"));
            await("the page's script filled in this node").atMost(Duration.ofSeconds(20)).ignoreExceptions()
                    .until(() -> "a".equals(page.evaluate("document.getElementById('self').textContent")));
            assertEquals("flex", page.evaluate("getComputedStyle(document.querySelector('header')).display"),
                    "the inline style applies");
            assertEquals("[]", page.evaluate("JSON.stringify(window.__violations)"), "no violation by the page itself");

            page.evaluate("(() => { const s = document.createElement('script');"
                    + " s.textContent = 'window.__injected = true'; document.body.appendChild(s); })()");
            await("the injected script is reported").atMost(Duration.ofSeconds(10)).ignoreExceptions()
                    .until(() -> ((Number) page.evaluate("window.__violations.length")).intValue() > 0);
            assertEquals(false, page.evaluate("window.__injected === true"), "an injected inline script does not run");
        }
    }
}
