package io.herdcat.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.herdcat.testing.TestEnvironment;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Prometheus' own linter, {@code promtool check metrics} (Debian package prometheus), on a scrape's text. */
final class Promtool {
    /** Skips the tests that run promtool. */
    static final String SKIP = "herdcat.tests.skipPromtool";

    private Promtool() {
    }

    /** Returns when promtool is on the PATH; otherwise fails saying so (or skips, see {@link TestEnvironment}). */
    static void require() {
        TestEnvironment.require(TestEnvironment.onPath(List.of("promtool")).isPresent(), SKIP,
                "no promtool on the PATH (Debian package prometheus)");
    }

    /** Fails with promtool's report unless it finds nothing to say about {@code exposition}. */
    static void check(String exposition) throws IOException, InterruptedException {
        require();
        Process p = new ProcessBuilder("promtool", "check", "metrics").redirectErrorStream(true).start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(exposition.getBytes(StandardCharsets.UTF_8));
        }
        String report = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "promtool did not finish");
        assertEquals("", report, "promtool check metrics reported problems");
        assertEquals(0, p.exitValue(), "promtool check metrics failed");
    }
}
