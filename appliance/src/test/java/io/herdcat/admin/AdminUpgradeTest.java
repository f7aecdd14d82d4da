package io.herdcat.admin;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.herdcat.cli.JsonReader;
import io.herdcat.upgrade.UpgradeStatus;
import io.herdcat.upgrade.Upgrades;
import io.herdcat.upgrade.WarFile;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /upgrade} and {@code GET /upgrade} on a real admin server over real sockets, with an
 * {@link Upgrades} that records what it is handed: the token and the query are checked before a byte of
 * the body is taken, the body streams to a file of its own that is deleted on every failure, and the
 * checked WAR reaches the upgrade whole.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class AdminUpgradeTest {
    private static final String TOKEN = LocalAdmin.TOKEN;
    private static final int MIB = 1024 * 1024;

    @TempDir
    Path dir;

    private AdminServer admin;
    private RecordingUpgrades upgrades;
    private Path uploads;

    @AfterEach
    void stop() {
        if (admin != null) {
            admin.stop();
        }
    }

    @Test
    void withoutTheTokenAFiftyMegabyteUploadGets401AndNothingIsStored() throws Exception {
        start("100m", true);
        try (Socket s = open()) {
            sendHead(s, "/upgrade?war=shop.war", null, "Content-Length: " + 50 * MIB);
            Thread sender = sendInBackground(s, 50 * MIB, false);
            RawAdmin.Response r = readResponse(s.getInputStream());
            assertEquals(401, r.status(), r.toString());
            assertEquals("Bearer", r.header("WWW-Authenticate"));
            assertNoUploadFile();
            sender.join(60_000);
        }
        assertNoUploadFile();
        try (Socket s = open()) {
            sendHead(s, "/upgrade?war=shop.war", "wrong-token-0123456789abcdef",
                    "Content-Length: " + 50 * MIB, "Expect: 100-continue");
            RawAdmin.Response r = readResponse(s.getInputStream());
            assertEquals(401, r.status(), "a wrong token is refused at once, with no 100 Continue: " + r);
        }
        assertNoUploadFile();
        assertTrue(upgrades.started.isEmpty(), "nothing started");
    }

    @Test
    void aValidWarWithTheTokenReachesTheUpgradeWholeAndGets202() throws Exception {
        start("1m", true);
        byte[] war = war(300_000);
        try (Socket s = open()) {
            sendHead(s, "/upgrade?war=shop%23%232.war&health=/healthz", TOKEN, "Content-Length: " + war.length,
                    "Content-Type: application/java-archive", "Expect: 100-continue");
            RawAdmin.Response cont = readResponse(s.getInputStream());
            assertEquals(100, cont.status(), "the head passed its checks: " + cont);
            s.getOutputStream().write(war);
            s.getOutputStream().flush();
            RawAdmin.Response r = readResponse(s.getInputStream());
            assertEquals(202, r.status(), r.toString());
            Map<String, Object> body = JsonReader.object(r.body());
            assertEquals("running", body.get("state"));
            assertEquals("shop##2.war", body.get("war"));
        }
        assertEquals(1, upgrades.started.size());
        RecordingUpgrades.Started started = upgrades.started.get(0);
        assertEquals("shop##2.war", started.war().fileName());
        assertEquals("/shop", started.war().contextPath());
        assertEquals("/healthz", started.health());
        assertArrayEquals(war, started.bytes(), "the upgrade got the uploaded bytes");
        assertTrue(started.file().startsWith(uploads), "the WAR was stored under work.dir/upgrade-uploads: " + started.file());
        assertEquals("rw-------", started.permissions(), "only the node may read the upload");
        assertNoUploadFile();
    }

    @Test
    void aChunkedUploadWithoutExpectContinueWorksToo() throws Exception {
        start("1m", true);
        byte[] war = war(50_000);
        try (Socket s = open()) {
            sendHead(s, "/upgrade?war=shop.war", TOKEN, "Transfer-Encoding: chunked",
                    "Content-Type: application/octet-stream");
            OutputStream out = s.getOutputStream();
            for (int at = 0; at < war.length; at += 7000) {
                int n = Math.min(7000, war.length - at);
                out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                out.write(war, at, n);
                out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
            }
            out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            RawAdmin.Response r = readResponse(s.getInputStream());
            assertEquals(202, r.status(), r.toString());
        }
        assertArrayEquals(war, upgrades.started.get(0).bytes());
        assertEquals("", upgrades.started.get(0).health(), "no health parameter: the context root");
    }

    @Test
    void aTruncatedWarGets400StartsNothingAndIsDeleted() throws Exception {
        start("1m", true);
        byte[] war = war(100_000);
        byte[] truncated = Arrays.copyOf(war, war.length / 2);
        RawAdmin.Response r = upload("/upgrade?war=shop.war", TOKEN, truncated);
        assertEquals(400, r.status(), r.toString());
        String error = (String) JsonReader.object(r.body()).get("error");
        assertTrue(error.contains("shop.war") && error.contains("not a complete zip"), error);
        assertTrue(upgrades.started.isEmpty(), "nothing started");
        assertNoUploadFile();
    }

    @Test
    void aBodyOverTheCapGets413BeforeItIsReadOrOnceItPassesTheCap() throws Exception {
        start("1m", true);
        try (Socket s = open()) {
            sendHead(s, "/upgrade?war=shop.war", TOKEN, "Content-Length: " + (MIB + 1));
            RawAdmin.Response r = readResponse(s.getInputStream());
            assertEquals(413, r.status(), "refused from the head alone, no body sent: " + r);
            assertTrue(r.body().contains("upgrade.max.war"), r.body());
        }
        assertNoUploadFile();
        try (Socket s = open()) {
            sendHead(s, "/upgrade?war=shop.war", TOKEN, "Transfer-Encoding: chunked");
            Thread sender = sendInBackground(s, 4 * MIB, true);
            RawAdmin.Response r = readResponse(s.getInputStream());
            assertEquals(413, r.status(), "a chunked body is cut once it passes the cap: " + r);
            sender.join(60_000);
        }
        awaitNoUploadFile();
        assertTrue(upgrades.started.isEmpty(), "nothing started");
    }

    @Test
    void anUploadThatStallsIsClosedAfterTheStallLimitAndItsFileDeleted() throws Exception {
        start("1m", true);
        try (Socket s = open()) {
            sendHead(s, "/upgrade?war=shop.war", TOKEN, "Content-Length: 100000");
            s.getOutputStream().write(new byte[1000]);
            s.getOutputStream().flush();
            Instant lastByte = Instant.now();
            await("the upload is being stored").atMost(Duration.ofSeconds(10)).until(() -> uploadFiles().size() == 1);
            assertEquals(200, RawAdmin.get(admin.port(), "/health/live", "127.0.0.1").status(), "probes answered meanwhile");
            assertEquals(200, RawAdmin.get(admin.port(), "/upgrade", "127.0.0.1").status());
            s.setSoTimeout(60_000);
            int end = s.getInputStream().read();
            assertEquals(-1, end, "the node closed the connection without answering");
            assertTrue(Duration.between(lastByte, Instant.now()).compareTo(AdminServer.STALL_LIMIT.minusSeconds(1)) >= 0,
                    "not before the stall limit");
        }
        awaitNoUploadFile();
        assertTrue(upgrades.started.isEmpty(), "nothing started");
    }

    @Test
    void anUploadWhoseClientLeavesMidBodyIsDeletedAndStartsNothing() throws Exception {
        start("1m", true);
        try (Socket s = open()) {
            sendHead(s, "/upgrade?war=shop.war", TOKEN, "Content-Length: 100000");
            s.getOutputStream().write(new byte[40_000]);
            s.getOutputStream().flush();
            await("the upload is being stored").atMost(Duration.ofSeconds(10)).until(() -> uploadFiles().size() == 1);
        }
        awaitNoUploadFile();
        assertTrue(upgrades.started.isEmpty(), "nothing started");
        byte[] war = war(1000);
        await("the slot is free again").atMost(Duration.ofSeconds(20))
                .until(() -> upload("/upgrade?war=shop.war", TOKEN, war).status() == 202);
    }

    @Test
    void aSecondUploadWhileOneIsReceivedGets409() throws Exception {
        start("1m", true);
        byte[] war = war(20_000);
        try (Socket first = open()) {
            sendHead(first, "/upgrade?war=shop.war", TOKEN, "Content-Length: " + war.length, "Expect: 100-continue");
            assertEquals(100, readResponse(first.getInputStream()).status());

            RawAdmin.Response second = upload("/upgrade?war=other.war", TOKEN, war);
            assertEquals(409, second.status(), second.toString());
            assertTrue(second.body().contains("another WAR is being uploaded"), second.body());

            first.getOutputStream().write(war);
            first.getOutputStream().flush();
            assertEquals(202, readResponse(first.getInputStream()).status());
        }
        assertEquals(1, upgrades.started.size());
        assertEquals("shop.war", upgrades.started.get(0).war().fileName());
        assertEquals(202, upload("/upgrade?war=other.war", TOKEN, war).status(), "the next upload is taken again");
    }

    @Test
    void aMissingOrBadWarParameterGets400NamingIt() throws Exception {
        start("1m", true);
        byte[] war = war(1000);
        for (String path : List.of("/upgrade", "/upgrade?health=/x", "/upgrade?war=", "/upgrade?war=../shop.war",
                "/upgrade?war=shop.zip", "/upgrade?war=a.war&war=b.war")) {
            RawAdmin.Response r = upload(path, TOKEN, war);
            assertEquals(400, r.status(), path + ": " + r);
            assertTrue(r.body().contains("'war'"), path + " names the parameter: " + r.body());
        }
        RawAdmin.Response r = upload("/upgrade?war=shop.war&health=http://elsewhere/", TOKEN, war);
        assertEquals(400, r.status(), r.toString());
        assertTrue(r.body().contains("'health'"), r.body());
        try (Socket s = open()) {
            sendHead(s, "/upgrade?war=shop.war", TOKEN, "Content-Length: 10", "Content-Type: text/plain");
            assertEquals(415, readResponse(s.getInputStream()).status());
        }
        try (Socket s = open()) {
            sendHead(s, "/upgrade?war=shop.war", TOKEN);
            assertEquals(411, readResponse(s.getInputStream()).status(), "a body of unknown length");
        }
        assertNoUploadFile();
        assertTrue(upgrades.started.isEmpty());
    }

    @Test
    void aRefusedUpgradeAnswersItsStatusAndTheFileIsDeleted() throws Exception {
        start("1m", true);
        upgrades.refusal = new Upgrades.UpgradeRefused(409, "upgrade u7 of shop.war runs (coordinator b)");
        RawAdmin.Response r = upload("/upgrade?war=shop.war", TOKEN, war(10_000));
        assertEquals(409, r.status(), r.toString());
        assertEquals("upgrade u7 of shop.war runs (coordinator b)", JsonReader.object(r.body()).get("error"));
        assertNoUploadFile();
    }

    @Test
    void withoutUpgradesBothEndpointsAnswer503() throws Exception {
        start("1m", false);
        RawAdmin.Response get = RawAdmin.get(admin.port(), "/upgrade", "127.0.0.1");
        assertEquals(503, get.status());
        assertTrue(get.body().contains("this node runs no cluster upgrades"), get.body());
        RawAdmin.Response post = upload("/upgrade?war=shop.war", TOKEN, war(1000));
        assertEquals(503, post.status(), post.toString());
        assertNoUploadFile();
        Map<String, Object> status = JsonReader.object(RawAdmin.get(admin.port(), "/status", "127.0.0.1").body());
        assertTrue(!status.containsKey("upgrade"), "no upgrade in /status: " + status.keySet());
    }

    @Test
    void otherWritesKeepTheirSmallBodyLimit() throws Exception {
        start("1m", true);
        try (Socket s = open()) {
            sendHead(s, "/nodes/a/weight", TOKEN, "Content-Length: 5000");
            s.getOutputStream().write(new byte[5000]);
            assertEquals(413, readResponse(s.getInputStream()).status());
        }
    }

    @Test
    void aRollingRestartNeedsTheTokenAndAnswersItsStatus() throws Exception {
        start("1m", true);
        RawAdmin.Response refused = RawAdmin.request(admin.port(), "POST /restart HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Content-Length: 0");
        assertEquals(401, refused.status(), refused.toString());
        assertEquals(0, upgrades.restarts.get(), "nothing restarted without the token");
        RawAdmin.Response started = RawAdmin.request(admin.port(), "POST /restart HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Authorization: Bearer " + TOKEN + "\r\nContent-Length: 0");
        assertEquals(202, started.status(), started.toString());
        assertEquals("r1", JsonReader.object(started.body()).get("id"));
        assertEquals(1, upgrades.restarts.get());
        assertEquals(java.util.Set.of(), upgrades.restartOnly, "every node");
        RawAdmin.Response some = RawAdmin.request(admin.port(), "POST /restart?nodes=web-1,web-2&nodes=web-3 HTTP/1.1\r\n"
                + "Host: 127.0.0.1\r\nAuthorization: Bearer " + TOKEN + "\r\nContent-Length: 0");
        assertEquals(202, some.status(), some.toString());
        assertEquals(java.util.Set.of("web-1", "web-2", "web-3"), upgrades.restartOnly, "the nodes named");
        upgrades.refusal = new Upgrades.UpgradeRefused(409, "upgrade u1 of shop.war is running");
        RawAdmin.Response busy = RawAdmin.request(admin.port(), "POST /restart HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Authorization: Bearer " + TOKEN + "\r\nContent-Length: 0");
        assertEquals(409, busy.status(), busy.toString());
    }

    @Test
    void getUpgradeAndStatusShowWhereTheUpgradeIs() throws Exception {
        start("1m", true);
        long now = System.currentTimeMillis();
        upgrades.status = new UpgradeStatus("u3", UpgradeStatus.State.RUNNING, "shop.war", "/shop", "ab12", "a",
                now - 65_000, 0, "deploying on b", List.of(
                        new UpgradeStatus.NodeProgress("a", UpgradeStatus.Step.DONE, now - 30_000, ""),
                        new UpgradeStatus.NodeProgress("b", UpgradeStatus.Step.DEPLOYING, now - 4_000, "shop##2.war"),
                        new UpgradeStatus.NodeProgress("c", UpgradeStatus.Step.WAITING, 0, "")));

        RawAdmin.Response r = RawAdmin.get(admin.port(), "/upgrade", "127.0.0.1");
        assertEquals(200, r.status(), r.toString());
        Map<String, Object> u = JsonReader.object(r.body());
        assertEquals(List.of("id", "state", "war", "contextPath", "sha256", "coordinator", "startedAt", "endedAt",
                "elapsedMillis", "message", "nodes"), List.copyOf(u.keySet()));
        assertEquals("u3", u.get("id"));
        assertEquals("running", u.get("state"));
        assertEquals(Instant.ofEpochMilli(now - 65_000).toString(), u.get("startedAt"));
        assertNull(u.get("endedAt"));
        assertTrue(((Number) u.get("elapsedMillis")).longValue() >= 65_000, u.toString());
        List<?> nodes = (List<?>) u.get("nodes");
        assertEquals(3, nodes.size());
        Map<?, ?> b = (Map<?, ?>) nodes.get(1);
        assertEquals(List.of("node", "step", "since", "elapsedMillis", "detail"), List.copyOf(b.keySet()));
        assertEquals("b", b.get("node"));
        assertEquals("deploying", b.get("step"));
        assertEquals(Instant.ofEpochMilli(now - 4_000).toString(), b.get("since"));
        assertTrue(((Number) b.get("elapsedMillis")).longValue() >= 4_000, b.toString());
        assertEquals("shop##2.war", b.get("detail"));
        Map<?, ?> c = (Map<?, ?>) nodes.get(2);
        assertEquals("waiting", c.get("step"));
        assertNull(c.get("since"));
        assertEquals(0L, ((Number) c.get("elapsedMillis")).longValue());

        upgrades.status = new UpgradeStatus("u3", UpgradeStatus.State.ROLLED_BACK, "shop.war", "/shop", "ab12", "a",
                now - 65_000, now - 5_000, "b failed its health check; every node is back on the old WAR", List.of(
                        new UpgradeStatus.NodeProgress("b", UpgradeStatus.Step.ROLLED_BACK, now - 6_000, "")));
        Map<String, Object> status = JsonReader.object(RawAdmin.get(admin.port(), "/status", "127.0.0.1").body());
        Map<?, ?> inStatus = (Map<?, ?>) status.get("upgrade");
        assertEquals("rolled-back", inStatus.get("state"));
        assertEquals(Instant.ofEpochMilli(now - 5_000).toString(), inStatus.get("endedAt"));
        assertEquals(60_000L, ((Number) inStatus.get("elapsedMillis")).longValue(), "an ended upgrade took what it took");
        assertEquals("rolled-back", ((Map<?, ?>) ((List<?>) inStatus.get("nodes")).get(0)).get("step"));

        upgrades.status = UpgradeStatus.idle();
        Map<String, Object> idle = JsonReader.object(RawAdmin.get(admin.port(), "/upgrade", "127.0.0.1").body());
        assertEquals("idle", idle.get("state"));
        assertNull(idle.get("startedAt"));
        assertEquals(0L, ((Number) idle.get("elapsedMillis")).longValue());
        assertEquals(List.of(), idle.get("nodes"));
    }

    /** Starts the admin server with {@code upgrade.max.war} at {@code maxWar}, with or without upgrades. */
    private void start(String maxWar, boolean withUpgrades) throws IOException {
        upgrades = new RecordingUpgrades();
        admin = LocalAdmin.start(dir, maxWar, withUpgrades ? upgrades : null);
        uploads = LocalAdmin.uploads(dir);
    }

    private Socket open() throws IOException {
        Socket s = new Socket("127.0.0.1", admin.port());
        s.setSoTimeout(60_000);
        return s;
    }

    /** Sends a whole upload with Content-Length and reads the answer. */
    private RawAdmin.Response upload(String path, String token, byte[] body) throws IOException {
        try (Socket s = open()) {
            sendHead(s, path, token, "Content-Length: " + body.length, "Content-Type: application/octet-stream");
            Thread sender = new Thread(() -> {
                try {
                    s.getOutputStream().write(body);
                    s.getOutputStream().flush();
                } catch (IOException e) {
                    // refused before the body: the node may close while it is sent
                }
            });
            sender.start();
            RawAdmin.Response r = readResponse(s.getInputStream());
            try {
                sender.join(60_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return r;
        }
    }

    private static void sendHead(Socket s, String path, String token, String... headers) throws IOException {
        StringBuilder head = new StringBuilder("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        if (token != null) {
            head.append("Authorization: Bearer ").append(token).append("\r\n");
        }
        for (String h : headers) {
            head.append(h).append("\r\n");
        }
        s.getOutputStream().write(head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
        s.getOutputStream().flush();
    }

    /**
     * Writes {@code size} zero bytes (in 64 KiB chunks of chunked encoding, or plain) on another thread
     * until done or the node closes the connection.
     */
    private static Thread sendInBackground(Socket s, int size, boolean chunked) {
        Thread t = new Thread(() -> {
            try {
                OutputStream out = s.getOutputStream();
                byte[] chunk = new byte[64 * 1024];
                for (int sent = 0; sent < size; sent += chunk.length) {
                    int n = Math.min(chunk.length, size - sent);
                    if (chunked) {
                        out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                    }
                    out.write(chunk, 0, n);
                    if (chunked) {
                        out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
                    }
                }
                out.flush();
            } catch (IOException e) {
                // the node stopped taking it
            }
        }, "upload-sender");
        t.start();
        return t;
    }

    /** Reads one response (head, then a body of its Content-Length) off {@code in}. */
    private static RawAdmin.Response readResponse(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed after " + head.toString(StandardCharsets.ISO_8859_1));
            }
            head.write(b);
            String h = head.toString(StandardCharsets.ISO_8859_1);
            if (h.endsWith("\r\n\r\n")) {
                RawAdmin.Response parsed = RawAdmin.parse(h);
                String length = parsed.header("content-length");
                byte[] body = in.readNBytes(length == null ? 0 : Integer.parseInt(length));
                return new RawAdmin.Response(parsed.status(), parsed.headers(), new String(body, StandardCharsets.UTF_8));
            }
        }
    }

    private List<Path> uploadFiles() throws IOException {
        if (!Files.isDirectory(uploads)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(uploads)) {
            return files.toList();
        }
    }

    private void assertNoUploadFile() throws IOException {
        assertEquals(List.of(), uploadFiles(), "no file left in " + uploads);
    }

    private void awaitNoUploadFile() {
        await("the upload's file deleted").atMost(Duration.ofSeconds(20)).until(() -> uploadFiles().isEmpty());
    }

    /** A WAR with an index page and an entry of {@code size} random-ish (incompressible) bytes. */
    private static byte[] war(int size) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry("index.html"));
            zip.write("<p>v2</p>".getBytes(StandardCharsets.UTF_8));
            zip.putNextEntry(new ZipEntry("WEB-INF/lib/blob.bin"));
            byte[] blob = new byte[size];
            new java.util.Random(size).nextBytes(blob);
            zip.write(blob);
        }
        return bytes.toByteArray();
    }

    /** An {@link Upgrades} that keeps what each start was handed (and takes the file over, as the real one does). */
    static final class RecordingUpgrades implements Upgrades {
        record Started(WarFile war, Path file, byte[] bytes, String permissions, String health) {
        }

        final List<Started> started = new CopyOnWriteArrayList<>();
        volatile UpgradeRefused refusal;
        volatile UpgradeStatus status = UpgradeStatus.idle();

        @Override
        public UpgradeStatus start(WarFile war, Path file, String healthPath) throws UpgradeRefused {
            if (refusal != null) {
                throw refusal;
            }
            try {
                String permissions = java.nio.file.attribute.PosixFilePermissions.toString(
                        Files.getPosixFilePermissions(file));
                started.add(new Started(war, file, Files.readAllBytes(file), permissions, healthPath));
                Files.delete(file);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            status = new UpgradeStatus("u1", UpgradeStatus.State.RUNNING, war.fileName(), war.contextPath(),
                    war.sha256(), "t", System.currentTimeMillis(), 0, "starting", List.of());
            return status;
        }

        final java.util.concurrent.atomic.AtomicInteger restarts = new java.util.concurrent.atomic.AtomicInteger();
        volatile java.util.Set<String> restartOnly;

        @Override
        public UpgradeStatus restart(java.util.Set<String> only) throws UpgradeRefused {
            if (refusal != null) {
                throw refusal;
            }
            restartOnly = only;
            restarts.incrementAndGet();
            status = new UpgradeStatus("r1", UpgradeStatus.State.RUNNING, "", "", "", "t", System.currentTimeMillis(), 0,
                    "restarting every node, one at a time", List.of());
            return status;
        }

        @Override
        public UpgradeStatus status() {
            return status;
        }
    }
}
