package io.herdcat.admin;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.herdcat.testing.DumpOutputOnFailure;
import io.herdcat.testing.NodeProcess;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clients that open the admin port and never finish a request cannot freeze it: probes and reads are
 * answered while they hang on, and the node closes them once the request head is overdue.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
@ExtendWith(DumpOutputOnFailure.class)
class AdminStallIT {
    private static final int STALLED = 100;

    @TempDir
    Path dir;

    @Test
    void liveAndStatusAnswerWhileAHundredHalfSentRequestsAreOpenAndThoseAreClosedOnceOverdue() throws Exception {
        try (NodeProcess a = NodeProcess.start("a", dir, Files.createDirectories(dir.resolve("webapps"))).awaitReady()) {
            List<Socket> stalled = new ArrayList<>();
            try {
                for (int i = 0; i < STALLED; i++) {
                    stalled.add(halfRequest(a.adminPort()));
                }
                RawAdmin.Response live = RawAdmin.get(a.adminPort(), "/health/live", "127.0.0.1");
                RawAdmin.Response status = RawAdmin.get(a.adminPort(), "/status", "127.0.0.1");
                long open = stalled.stream().filter(RawAdmin::stillOpen).count();

                assertEquals(200, live.status(), "/health/live with " + STALLED + " stalled connections: " + live);
                assertEquals(200, status.status(), "/status with " + STALLED + " stalled connections");
                assertEquals(STALLED, open, "the stalled connections were still open when the probe was answered");
                await("stalled connections closed by the node").atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofMillis(500))
                        .until(() -> stalled.stream().noneMatch(RawAdmin::stillOpen));
            } finally {
                for (Socket s : stalled) {
                    s.close();
                }
            }
        }
    }

    @Test
    void moreStalledConnectionsThanTheCapStillLeaveRoomForProbes() throws Exception {
        try (NodeProcess a = NodeProcess.start("a", dir, Files.createDirectories(dir.resolve("webapps"))).awaitReady()) {
            List<Socket> stalled = new ArrayList<>();
            try {
                for (int i = 0; i < 1500; i++) {
                    stalled.add(halfRequest(a.adminPort()));
                }
                for (int i = 0; i < 3; i++) {
                    RawAdmin.Response live = RawAdmin.get(a.adminPort(), "/health/live", "127.0.0.1");
                    assertEquals(200, live.status(), "/health/live with 1500 stalled connections: " + live);
                }
                assertTrue(a.output().contains("admin connections"), "the eviction is logged:\n" + a.output());
            } finally {
                for (Socket s : stalled) {
                    s.close();
                }
            }
        }
    }

    /** A connection that sent the start of a request head and then nothing. */
    private static Socket halfRequest(int port) throws IOException {
        Socket s = new Socket("127.0.0.1", port);
        s.getOutputStream().write("GET /status HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Wait: "
                .getBytes(StandardCharsets.ISO_8859_1));
        s.getOutputStream().flush();
        return s;
    }
}
