package io.herdcat.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** Prometheus' own linter, {@code promtool check metrics} (Debian package prometheus), on a scrape's text. */
final class Promtool {
    private Promtool() {
    }

    /** Fails with promtool's report unless it finds nothing to say about {@code exposition}. */
    static void check(String exposition) throws IOException, InterruptedException {
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
