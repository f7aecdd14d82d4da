package io.herdcat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.herdcat.testing.DumpOutputOnFailure;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code herdcat upgrade} and {@code herdcat upgrade-status} run as {@code java -jar herdcat.jar}
 * against a real HTTP server that plays the admin API's {@code /upgrade} with recorded answers. The
 * command's output goes to files, so it shows plain lines, not the live bar.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
@ExtendWith(DumpOutputOnFailure.class)
class UpgradeCliIT {
    private static final String TOKEN = "s3cret-admin-token";

    @TempDir
    Path dir;
    private Path tokenFile;

    @BeforeEach
    void writeToken() throws IOException {
        tokenFile = Files.writeString(dir.resolve("admin.token"), TOKEN + "\n");
    }

    @Test
    void upgradeThatEndsDoneExitsZeroWithOneLinePerStepAndTheWarArrivedWholeWithTheToken() throws Exception {
        Path war = war("shop##2.war", 300_000);
        try (FakeUpgradeApi api = new FakeUpgradeApi(TOKEN, RecordedUpgrades.json(RecordedUpgrades.DONE))) {
            CliRun run = upgrade(api, war.getFileName().toString(), "--health-path", "/health");

            assertEquals(0, run.code(), run::toString);
            assertEquals("", run.err(), run::toString);
            List<String> expected = new ArrayList<>(List.of(
                    "sending shop##2.war (293.0 KiB) to " + api.url(),
                    "upgrade u-7f3a started: shop##2.war on 3 nodes (web2, web3, web1), coordinator web1",
                    "web2 staged", "web2 disabling", "web2 draining", "web2 deploying", "web2 checking",
                    "web2 enabling", "web2 done", "web3 disabling", "web3 draining", "web3 done", "web1 deploying",
                    "web1 checking", "web1 done",
                    "upgrade u-7f3a: shop##2.war at /shop, done after 2:05 (coordinator web1)",
                    "every node runs shop##2.war",
                    "NODE   STEP   DETAIL", "web2   done   -", "web3   done   -", "web1   done   -"));
            assertEquals(expected, run.outLines(), run::toString);

            FakeUpgradeApi.Upload upload = api.upload();
            assertEquals("Bearer " + TOKEN, upload.authorization());
            assertEquals("application/octet-stream", upload.contentType());
            assertEquals(Long.toString(Files.size(war)), upload.contentLength());
            assertEquals(Map.of("war", "shop##2.war", "health", "/health"), upload.query());
            assertEquals(Files.size(war), upload.bytes());
            assertEquals(sha256(war), upload.sha256());
            assertEquals(RecordedUpgrades.json(RecordedUpgrades.DONE).size() - 1, api.polls());
        }
    }

    @Test
    void rolledBackUpgradeExitsOneWithItsMessageOnOneLine() throws Exception {
        Path war = war("shop.war", 1000);
        try (FakeUpgradeApi api = new FakeUpgradeApi(TOKEN, RecordedUpgrades.json(RecordedUpgrades.ROLLED_BACK))) {
            CliRun run = upgrade(api, "shop.war");

            assertEquals(1, run.code(), run::toString);
            assertEquals(List.of("herdcat: upgrade shop.war: upgrade u-7f3a rolled-back: health check of /shop/ failed"
                    + " on web2; web2 is back on the previous WAR and every node runs it"), run.errLines());
            List<String> out = run.outLines();
            assertEquals(List.of("web2 staged", "web2 deploying", "web2 checking",
                    "web2 rolled-back: GET /shop/ answered 500"), out.subList(2, 6), run::toString);
            assertEquals(List.of("NODE   STEP          DETAIL", "web2   rolled-back   GET /shop/ answered 500",
                    "web3   waiting       -", "web1   waiting       -"), out.subList(out.size() - 4, out.size()),
                    run::toString);
            assertNull(api.upload().query().get("health"), "no --health-path: the node's default");
            assertEquals(Files.size(war), api.upload().bytes());
        }
    }

    @Test
    void refusedUpgradeExitsOneWithTheApisErrorAndWaitsForNothing() throws Exception {
        war("shop.war", 1000);
        try (FakeUpgradeApi api = new FakeUpgradeApi(TOKEN, RecordedUpgrades.json(RecordedUpgrades.DONE))
                .refuseWith(409, "upgrade u-1 of shop##1.war is running (coordinator web1); one at a time")) {
            CliRun run = upgrade(api, "shop.war");

            assertEquals(1, run.code(), run::toString);
            assertEquals(List.of("herdcat: upgrade shop.war: 409 upgrade u-1 of shop##1.war is running (coordinator"
                    + " web1); one at a time"), run.errLines());
            assertEquals(0, api.polls());
        }
    }

    @Test
    void rollingRestartNobodyAnswersExitsThreeSoAPlainRestartCanFollow() throws Exception {
        int closed;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        CliRun run = CliRun.herdcat(dir, Map.of(), "rolling-restart", "--nodes", "web-1,web-2", "--admin",
                "http://127.0.0.1:" + closed, "--token-file", tokenFile.toString());

        assertEquals(3, run.code(), run::toString);
        assertEquals(1, run.errLines().size(), run::toString);
        assertTrue(run.errLines().get(0).startsWith("herdcat: rolling-restart: cannot reach the admin API"),
                run::toString);
    }

    @Test
    void wrongTokenExitsOneSayingWhereTheTokenCameFrom() throws Exception {
        war("shop.war", 1000);
        try (FakeUpgradeApi api = new FakeUpgradeApi("another-token", RecordedUpgrades.json(RecordedUpgrades.DONE))) {
            CliRun run = upgrade(api, "shop.war");

            assertEquals(1, run.code(), run::toString);
            assertEquals(List.of("herdcat: upgrade shop.war: 401 missing or wrong admin token; check the token in"
                    + " --token-file " + tokenFile), run.errLines());
        }
    }

    @Test
    void missingFileOrANameNotEndingInWarIsAUsageMistakeAndNothingIsSent() throws Exception {
        war("shop.zip", 1000);
        Files.createDirectories(dir.resolve("folder.war"));
        try (FakeUpgradeApi api = new FakeUpgradeApi(TOKEN, RecordedUpgrades.json(RecordedUpgrades.DONE))) {
            CliRun missing = upgrade(api, "nowhere.war");
            assertEquals(2, missing.code(), missing::toString);
            assertEquals(List.of("herdcat: upgrade nowhere.war: nowhere.war does not exist; give the WAR to deploy"),
                    missing.errLines());

            CliRun zip = upgrade(api, "shop.zip");
            assertEquals(2, zip.code(), zip::toString);
            assertEquals(List.of("herdcat: upgrade shop.zip: shop.zip is not a .war file; its name gives the context"
                    + " path, like shop.war"), zip.errLines());

            CliRun folder = upgrade(api, "folder.war");
            assertEquals(2, folder.code(), folder::toString);
            assertEquals(List.of("herdcat: upgrade folder.war: folder.war is a folder; give the WAR file to deploy"),
                    folder.errLines());

            CliRun none = CliRun.herdcat(dir, Map.of(), "upgrade", "--admin", api.url());
            assertEquals(2, none.code(), none::toString);
            assertEquals(1, none.errLines().size(), none::toString);
            assertTrue(none.err().contains("FILE.war"), none::toString);

            assertEquals("", missing.out() + zip.out() + folder.out() + none.out());
            assertNull(api.upload());
        }
    }

    @Test
    void uploadIsStreamedSoA200MegabyteWarGoesThroughA64MegabyteHeap() throws Exception {
        Path war = dir.resolve("big.war");
        try (RandomAccessFile f = new RandomAccessFile(war.toFile(), "rw")) {
            f.setLength(200L * 1024 * 1024); // sparse: takes no disk
            f.seek(f.length() - 4);
            f.writeInt(0x0badcafe);
        }
        List<String> done = RecordedUpgrades.json(RecordedUpgrades.DONE);
        try (FakeUpgradeApi api = new FakeUpgradeApi(TOKEN, List.of(done.get(0), done.get(done.size() - 1)))) {
            CliRun run = CliRun.herdcat(dir, Map.of(), List.of("-Xmx64m"), Duration.ofMinutes(2), "upgrade", "big.war",
                    "--admin", api.url(), "--token-file", tokenFile.toString());

            assertEquals(0, run.code(), run::toString);
            assertEquals("sending big.war (200.0 MiB) to " + api.url(), run.outLines().get(0));
            assertEquals(Files.size(war), api.upload().bytes());
            assertEquals(sha256(war), api.upload().sha256());
        }
    }

    @Test
    void noWaitReturnsOnceTheUpgradeStarted() throws Exception {
        war("shop.war", 1000);
        try (FakeUpgradeApi api = new FakeUpgradeApi(TOKEN, RecordedUpgrades.json(RecordedUpgrades.DONE))) {
            CliRun run = upgrade(api, "shop.war", "--no-wait");

            assertEquals(0, run.code(), run::toString);
            assertEquals(List.of("sending shop.war (1000 bytes) to " + api.url(),
                    "upgrade u-7f3a started: shop.war on 3 nodes (web2, web3, web1), coordinator web1",
                    "follow it with: herdcat upgrade-status"), run.outLines());
            assertEquals(0, api.polls());
        }
    }

    @Test
    void upgradeStatusShowsTheLastUpgradeOrItsJsonAsIs() throws Exception {
        List<String> recorded = RecordedUpgrades.json(RecordedUpgrades.ROLLED_BACK);
        String last = recorded.get(recorded.size() - 1);
        try (FakeUpgradeApi api = new FakeUpgradeApi(TOKEN, List.of(last))) {
            CliRun table = CliRun.herdcat(dir, Map.of(), "upgrade-status", "--admin", api.url());
            assertEquals(0, table.code(), table::toString);
            assertEquals(List.of("upgrade u-7f3a: shop.war at /shop, rolled-back after 0:21 (coordinator web1)",
                    "health check of /shop/ failed on web2; web2 is back on the previous WAR and every node runs it",
                    "NODE   STEP          DETAIL", "web2   rolled-back   GET /shop/ answered 500",
                    "web3   waiting       -", "web1   waiting       -"), table.outLines());
            assertEquals("", table.err());

            CliRun json = CliRun.herdcat(dir, Map.of(), "upgrade-status", "--admin", api.url(), "--json");
            assertEquals(0, json.code(), json::toString);
            assertEquals(last + "\n", json.out());
        }
    }

    private CliRun upgrade(FakeUpgradeApi api, String file, String... more) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("upgrade", file, "--admin", api.url(), "--token-file",
                tokenFile.toString()));
        args.addAll(List.of(more));
        return CliRun.herdcat(dir, Map.of(), args.toArray(String[]::new));
    }

    /** A file of random bytes (the fake API does not look inside). */
    private Path war(String name, int size) throws IOException {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return Files.write(dir.resolve(name), bytes);
    }

    private static String sha256(Path file) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), sha)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(sha.digest());
    }
}
