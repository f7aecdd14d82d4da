package io.herdcat.cluster;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.herdcat.testing.Cluster;
import io.herdcat.testing.DumpOutputOnFailure;
import io.herdcat.testing.FreePorts;
import io.herdcat.testing.Http;
import io.herdcat.testing.NodeProcess;
import io.herdcat.testing.PacketCapture;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A session replication message captured on the wire and sent again later, over a plain TCP
 * connection to the receiver, changes nothing there and is counted.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
@ExtendWith(DumpOutputOnFailure.class)
class ReplicationReplayIT {
    private static final byte[] START = "FLT2002".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END = "TLF2003".getBytes(StandardCharsets.US_ASCII);
    private static final Pattern DROPPED = Pattern.compile("\"droppedMessages\":(\\d+)");

    @TempDir
    Path dir;

    @Test
    void replayedReplicationMessageChangesNothingAndIsCounted() throws Exception {
        Cluster.prepare(dir);
        Path secret = Files.writeString(dir.resolve("cluster.secret"), "replay-test-secret-0123456789abcdef");
        int tribesPortOfB = FreePorts.offsetWhereFree(1, 0);
        try (NodeProcess a = Cluster.start("a", dir, "--secret-file", secret.toString()).awaitReady();
             NodeProcess b = Cluster.start("b", dir, "--secret-file", secret.toString(),
                     "--tribes-port", Integer.toString(tribesPortOfB)).awaitReady()) {
            await().atMost(Duration.ofSeconds(30)).until(() -> Cluster.members(a).size() == 2
                    && Cluster.members(b).size() == 2);
            String[] id = {null};
            assertEquals(200, write(a, id, "guest"));
            assertEquals("guest", roleOn(b, id), "replicated to b");

            byte[] captured;
            try (PacketCapture capture = new PacketCapture(dir.resolve("tribes.pcap"), tribesPortOfB)) {
                assertEquals(200, write(a, id, "admin"));
                captured = largestTribesPackage(capture.stop());
            }
            // acknowledged by b before the response: b holds "user" from here on
            assertEquals(200, write(a, id, "user"));
            long droppedBefore = dropped(b);

            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", tribesPortOfB), 5_000);
                s.setSoTimeout(10_000);
                OutputStream out = s.getOutputStream();
                out.write(captured);
                out.flush();
                assertTrue(s.getInputStream().read() >= 0, "b acknowledges what it took in");
            }
            assertEquals("user", roleOn(b, id), "b still holds the last write after the replay");
            assertTrue(dropped(b) > droppedBefore, "the replay is counted on b: " + Cluster.status(b));
        }
    }

    /** Sets the role through {@code node}; the session's id follows the node that served it (route suffix). */
    private static int write(NodeProcess node, String[] id, String role) throws Exception {
        Http.Response r = Http.get(node.httpUrl("/session-demo/session.json?name=role&value=" + role), id[0]);
        r.sessionCookie().ifPresent(c -> id[0] = c);
        return r.status();
    }

    private static String roleOn(NodeProcess node, String[] id) throws Exception {
        Http.Response r = Http.get(node.httpUrl("/session-demo/session.json"), id[0]);
        r.sessionCookie().ifPresent(c -> id[0] = c);
        Matcher m = Pattern.compile("\"role\":\"([a-z]+)\"").matcher(Cluster.attributes(r.body()));
        return m.find() ? m.group(1) : "<none: " + r.body() + ">";
    }

    private static long dropped(NodeProcess node) throws Exception {
        Matcher m = DROPPED.matcher(Cluster.status(node));
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    /** The largest Tribes data package (FLT2002 … TLF2003) in the capture: the replicated change. */
    private static byte[] largestTribesPackage(byte[] pcap) {
        byte[] best = new byte[0];
        for (int i = indexOf(pcap, START, 0); i >= 0; i = indexOf(pcap, START, i + 1)) {
            int end = indexOf(pcap, END, i);
            if (end > i && end + END.length - i > best.length) {
                best = Arrays.copyOfRange(pcap, i, end + END.length);
            }
        }
        assertTrue(best.length > 100, "a replication message was captured (" + best.length + " bytes)");
        return best;
    }

    private static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = from; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
