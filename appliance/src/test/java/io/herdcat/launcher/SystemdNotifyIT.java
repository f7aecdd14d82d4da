package io.herdcat.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.herdcat.testing.Cluster;
import io.herdcat.testing.DumpOutputOnFailure;
import io.herdcat.testing.Http;
import io.herdcat.testing.NodeProcess;
import io.herdcat.testing.NotifySocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Under systemd ({@code Type=notify}) a node says {@code READY=1} only once its webapps serve — the
 * moment the message arrives, the demo webapp answers — and {@code STOPPING=1} when a stop begins.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
@ExtendWith(DumpOutputOnFailure.class)
class SystemdNotifyIT {
    private static final Pattern HTTP_PORT = Pattern.compile("\"httpPort\":(\\d+)");

    @TempDir
    Path dir;

    @Test
    void readyOnlyOnceTheWebappsServeAndStoppingWhenAStopBegins() throws Exception {
        Path webapps = Cluster.prepare(dir);
        try (NotifySocket systemd = new NotifySocket(dir.resolve("notify.sock"));
             NodeProcess node = NodeProcess.start("n1", dir, webapps,
                     Map.of("NOTIFY_SOCKET", systemd.path().toString()))) {
            String ready = systemd.receive(Duration.ofSeconds(120));
            assertNotNull(ready, "no READY=1 within 120 s:\n" + node.output());
            assertTrue(ready.startsWith("READY=1\n"), ready);
            Matcher port = HTTP_PORT.matcher(Files.readString(dir.resolve("n1.ready.json")));
            assertTrue(port.find());
            assertEquals(200, Http.status("http://127.0.0.1:" + port.group(1) + "/session-demo/hello"),
                    "the webapp serves when the node says it is ready");
            node.terminate();
            assertEquals("STOPPING=1\n", systemd.receive(Duration.ofSeconds(30)));
            assertEquals(0, node.awaitExit(Duration.ofSeconds(60)));
        }
    }
}
