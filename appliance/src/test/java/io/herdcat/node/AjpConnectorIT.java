package io.herdcat.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.herdcat.testing.AjpTestClient;
import io.herdcat.testing.DumpOutputOnFailure;
import io.herdcat.testing.NodeProcess;
import io.herdcat.testing.TestWars;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The AJP connector always requires a secret. */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
@ExtendWith(DumpOutputOnFailure.class)
class AjpConnectorIT {
    @TempDir
    Path dir;

    @Test
    void ajpRequestWithoutTheSecretOrWithAWrongOneIsRefused() throws Exception {
        Path webapps = Files.createDirectories(dir.resolve("webapps"));
        TestWars.drop(webapps, "app.war", "v1");
        try (NodeProcess node = NodeProcess.start("ajp", dir, webapps, "--ajp-secret", "right-secret").awaitReady()) {
            assertEquals(403, refusedStatus(node, null));
            assertEquals(403, refusedStatus(node, "wrong-secret"));
            try (AjpTestClient ajp = new AjpTestClient(node.ajpPort())) {
                assertEquals(200, ajp.get("/app/", null, "right-secret").status());
            }
        }
    }

    @Test
    void withoutAConfiguredSecretTheNodeGeneratesOneAndSaysSo() throws Exception {
        Path webapps = Files.createDirectories(dir.resolve("webapps"));
        TestWars.drop(webapps, "app.war", "v1");
        try (NodeProcess node = NodeProcess.start("gen", dir, webapps).awaitReady()) {
            assertTrue(node.output().contains("AJP secret generated"), node.output());
            assertEquals(403, refusedStatus(node, null));
            assertEquals(403, refusedStatus(node, ""));
        }
    }

    @Test
    void aPeerThatStallsInTheMiddleOfAPacketIsDisconnectedAfterTheConnectionTimeout() throws Exception {
        Path webapps = Files.createDirectories(dir.resolve("webapps"));
        TestWars.drop(webapps, "app.war", "v1");
        try (NodeProcess node = NodeProcess.start("stall", dir, webapps, "--ajp-connection-timeout", "2s",
                "--front-pool-idle-timeout", "1s").awaitReady();
             java.net.Socket s = new java.net.Socket("127.0.0.1", node.ajpPort())) {
            s.setSoTimeout(60_000);
            s.getOutputStream().write(new byte[] {0x12, 0x34, 0x00, 0x01, 0x0A}); // CPing
            byte[] pong = s.getInputStream().readNBytes(5);
            assertEquals(9, pong[4], "CPong");
            s.getOutputStream().write(new byte[] {0x12, 0x34, 0x00, 0x40}); // a packet head, and nothing of its 64 bytes
            assertEquals(-1, s.getInputStream().read(), "the node closed the stalled connection");
        }
    }

    private static int refusedStatus(NodeProcess node, String secret) throws IOException {
        try (AjpTestClient ajp = new AjpTestClient(node.ajpPort())) {
            return ajp.get("/app/", null, secret).status();
        }
    }
}
