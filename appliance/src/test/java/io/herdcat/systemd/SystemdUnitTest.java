package io.herdcat.systemd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The template unit {@code systemd/herdcat@.service} as systemd reads it: {@code systemd-analyze verify}
 * has nothing to say about an instance of it, and {@code systemd-analyze security} rates its exposure
 * at most 3.0.
 */
class SystemdUnitTest {
    static final Path UNIT = Path.of("..", "systemd", "herdcat@.service");
    private static final Pattern EXPOSURE = Pattern.compile("Overall exposure level for \\S+: (\\d+\\.\\d)");

    @TempDir
    Path dir;

    @Test
    void systemdFindsNothingToSayAboutAnInstance() throws Exception {
        Files.copy(UNIT, dir.resolve("herdcat@.service"));
        Result r = run("systemd-analyze", "verify", dir.resolve("herdcat@node1.service").toString());
        assertEquals(0, r.status(), r.output());
        assertEquals("", r.output().strip(), "systemd-analyze verify warns");
    }

    @Test
    void exposureIsAtMostThree() throws Exception {
        Files.copy(UNIT, dir.resolve("herdcat@.service"));
        Result r = run("systemd-analyze", "security", "--offline=true", dir.resolve("herdcat@.service").toString());
        Matcher m = EXPOSURE.matcher(r.output());
        assertTrue(m.find(), r.output());
        double exposure = Double.parseDouble(m.group(1));
        assertTrue(exposure <= 3.0, "exposure " + exposure + ":\n" + r.output());
    }

    private record Result(int status, String output) {
    }

    private static Result run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(List.of(cmd)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), String.join(" ", cmd) + " did not finish");
        return new Result(p.exitValue(), out);
    }
}
