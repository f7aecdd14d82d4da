package io.herdcat.installer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.herdcat.installer.Installer.Result;
import io.herdcat.testing.NodeProcess;
import io.herdcat.testing.TestEnvironment;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code installer/install.sh} into a {@code DESTDIR}, as root (it creates the {@code herdcat} user on
 * this host, which is what owns the nodes' state): the tree, its modes and owners, units systemd
 * accepts, a second run that changes nothing, the cluster secret never replaced, {@code --upgrade},
 * {@code --uninstall} and {@code --purge}, and bad input refused in one line before anything is written.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class InstallerIT {
    private static final Pattern EXPOSURE = Pattern.compile("Overall exposure level for \\S+: (\\d+\\.\\d)");
    /** Folders of the system that the installer creates inside an empty DESTDIR and leaves there. */
    private static final List<String> SYSTEM_DIRS = List.of("etc", "etc/systemd", "etc/systemd/system", "opt", "usr",
            "usr/local", "usr/local/bin", "var", "var/lib");

    @TempDir
    Path dir;
    Path dest;

    @BeforeEach
    void destdir() throws IOException {
        TestEnvironment.require(TestEnvironment.isRoot(), TestEnvironment.SKIP_ROOT,
                "the installer creates the herdcat user and gives it the nodes' state: it needs a test run as root");
        dest = Files.createDirectory(dir.resolve("root"));
    }

    private static String demoWar() {
        return System.getProperty("herdcat.demoWar");
    }

    private Result installTwoNodes() throws Exception {
        return Installer.run(dest, "--name", "web", "--nodes", "2", "--peers", "192.0.2.1:7800,192.0.2.2:7800",
                "--vip", "192.0.2.10/24", "--war", demoWar());
    }

    @Test
    void shellcheckFindsNothing() throws Exception {
        Process p = new ProcessBuilder("shellcheck", Installer.SCRIPT.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(1, TimeUnit.MINUTES));
        assertEquals(0, p.exitValue(), out);
        assertEquals("", out);
    }

    @Test
    void installsTheTreeTheServicesNeedWithItsModesAndOwners() throws Exception {
        Result r = installTwoNodes();
        assertEquals(0, r.status(), r.toString());

        Map<String, String> expected = new TreeMap<>();
        expected.put("opt/herdcat", "d rwxr-xr-x root:root");
        expected.put("opt/herdcat/herdcat.jar", "f rw-r--r-- root:root");
        expected.put("usr/local/bin/herdcat", "f rwxr-xr-x root:root");
        expected.put("etc/herdcat", "d rwxr-x--- root:herdcat");
        expected.put("etc/herdcat/cluster.secret", "f rw-r----- root:herdcat");
        expected.put("etc/herdcat/admin.token", "f rw-r----- root:herdcat");
        expected.put("etc/systemd/system/herdcat@.service", "f rw-r--r-- root:root");
        expected.put("var/lib/herdcat", "d rwxr-xr-x root:root");
        for (String node : List.of("web-1", "web-2")) {
            expected.put("etc/herdcat/" + node + ".properties", "f rw-r----- root:herdcat");
            expected.put("etc/systemd/system/herdcat@" + node + ".service.d", "d rwxr-xr-x root:root");
            expected.put("etc/systemd/system/herdcat@" + node + ".service.d/vip.conf", "f rw-r--r-- root:root");
            expected.put("var/lib/herdcat/" + node, "d rwxr-x--- herdcat:herdcat");
            expected.put("var/lib/herdcat/" + node + "/webapps", "d rwxr-x--- herdcat:herdcat");
            expected.put("var/lib/herdcat/" + node + "/webapps/session-demo.war", "f rw-r----- herdcat:herdcat");
            expected.put("var/lib/herdcat/" + node + "/work", "d rwxr-x--- herdcat:herdcat");
        }
        Map<String, String> installed = Installer.modes(dest);
        SYSTEM_DIRS.forEach(installed::remove);
        assertEquals(expected, installed);

        assertArrayEquals(Files.readAllBytes(NodeProcess.jar()), Files.readAllBytes(dest.resolve("opt/herdcat/herdcat.jar")));
        String secret = Files.readString(dest.resolve("etc/herdcat/cluster.secret")).strip();
        String token = Files.readString(dest.resolve("etc/herdcat/admin.token")).strip();
        assertTrue(secret.length() >= 16, "secret of " + secret.length() + " characters");
        assertTrue(token.length() >= 16, "token of " + token.length() + " characters");
        assertNotEquals(secret, token);

        for (int i = 0; i < 2; i++) {
            String node = "web-" + (i + 1);
            Properties config = load(dest.resolve("etc/herdcat/" + node + ".properties"));
            assertEquals(node, config.getProperty("name"));
            assertEquals(Integer.toString(i), config.getProperty("port.offset"));
            assertEquals("/var/lib/herdcat/" + node + "/webapps", config.getProperty("webapps"));
            assertEquals("/var/lib/herdcat/" + node + "/work", config.getProperty("work.dir"));
            assertEquals("/etc/herdcat/cluster.secret", config.getProperty("secret.file"));
            assertEquals("/etc/herdcat/admin.token", config.getProperty("admin.token.file"));
            assertEquals("192.0.2.1:7800,192.0.2.2:7800", config.getProperty("peers"));
            assertEquals("192.0.2.10/24", config.getProperty("front.vip"));
            assertEquals(8, config.size(), "no other setting: " + config);
        }

        String unit = Files.readString(dest.resolve("etc/systemd/system/herdcat@.service"));
        assertEquals(Files.readString(Installer.UNIT).replace("ExecStart=/usr/bin/java ",
                "ExecStart=" + Installer.java() + " "), unit, "the shipped unit, running the java it was given");
        assertTrue(unit.contains(" -XX:SharedArchiveFile=/opt/herdcat/herdcat.jsa -jar "), "Java 17: the archive train-cds makes");
        assertTrue(r.out().contains(" -XX:ArchiveClassesAtExit=/opt/herdcat/herdcat.jsa -jar /opt/herdcat/herdcat.jar train-cds"),
                "a DESTDIR install prints how to make the archive where the nodes run: " + r);
        assertTrue(Files.readString(dest.resolve("usr/local/bin/herdcat"))
                .contains("exec " + Installer.java() + " "), "the command runs the same java");

        for (String instance : List.of("herdcat@web-1.service", "herdcat@web-2.service")) {
            assertUnitVerifies(instance);
        }
        double template = exposure("systemd-analyze", "security", "--offline=true",
                dest.resolve("etc/systemd/system/herdcat@.service").toString());
        double withVip = exposure("systemd-analyze", "security", "--offline=true", "--root=" + dest,
                "herdcat@web-1.service");
        assertTrue(template <= 3.0, "exposure of herdcat@.service: " + template);
        assertTrue(withVip <= 3.0, "exposure of herdcat@web-1.service with its VIP drop-in: " + withVip);
        System.out.println("systemd-analyze security: herdcat@.service " + template + ", with the VIP drop-in " + withVip);
    }

    @Test
    void onJava19To24TheUnitHasEachNodesJvmMakeItsOwnClassDataArchive() throws Exception {
        Path java21 = Installer.javaSaying(dir, 21);
        Result r = installNodeWebAndAssertExecStart(java21,
                "-XX:SharedArchiveFile=/var/lib/herdcat/%i/herdcat.jsa -XX:+AutoCreateSharedArchive");
        assertFalse(r.out().contains("train-cds"), "nothing to make at install: " + r);
        assertFalse(Files.exists(dest.resolve("opt/herdcat/herdcat.jsa")));
    }

    @Test
    void onJava25TheUnitNamesTheAotCacheThatADestdirInstallSaysHowToMake() throws Exception {
        Path java25 = Installer.javaSaying(dir, 25);
        Result r = installNodeWebAndAssertExecStart(java25, "-XX:AOTCache=/opt/herdcat/herdcat.aot");
        assertTrue(r.out().contains("  " + java25 + " -XX:+UseSerialGC -Xms32m -Xmx512m -Xlog:aot=off "
                + "-XX:AOTCacheOutput=/opt/herdcat/herdcat.aot -jar /opt/herdcat/herdcat.jar train-cds\n"),
                "the cache holds the jar's path: made where the nodes run, with the unit's flags: " + r);
        assertFalse(Files.exists(dest.resolve("opt/herdcat/herdcat.aot")));
        assertFalse(Files.exists(dest.resolve("opt/herdcat/herdcat.jsa")));
    }

    /** Installs node web to run on {@code java}; its unit, which systemd accepts, starts it with {@code archiveFlags}. */
    private Result installNodeWebAndAssertExecStart(Path java, String archiveFlags) throws Exception {
        Result r = Installer.runExactly(dest, List.of("--jar", NodeProcess.jar().toString(), "--java", java.toString(),
                "--name", "web"));
        assertEquals(0, r.status(), r.toString());
        assertEquals("ExecStart=" + java + " -XX:+UseSerialGC -Xms32m -Xmx512m " + archiveFlags
                + " -jar /opt/herdcat/herdcat.jar --config /etc/herdcat/%i.properties --user herdcat",
                Installer.execStart(dest.resolve("etc/systemd/system/herdcat@.service")));
        assertUnitVerifies("herdcat@web.service");
        return r;
    }

    private void assertUnitVerifies(String instance) throws Exception {
        Result verify = command("systemd-analyze", "verify", dest.resolve("etc/systemd/system/" + instance).toString());
        assertEquals(0, verify.status(), verify.toString());
        assertEquals("", verify.out().strip() + verify.err().strip(), "systemd-analyze verify " + instance + " warns");
    }

    @Test
    void aSecondInstallChangesNothingUninstallKeepsOnlyTheDataAndPurgeLeavesNothing() throws Exception {
        assertEquals(0, installTwoNodes().status());
        Map<String, String> first = Installer.tree(dest);

        Result again = installTwoNodes();
        assertEquals(0, again.status(), again.toString());
        assertTrue(again.out().contains("nothing changed"), again.toString());
        assertEquals(first, Installer.tree(dest), "a second install writes nothing");

        Path dropin = dest.resolve("etc/systemd/system/herdcat@web-1.service.d/vip.conf");
        Files.delete(dropin);
        Result mend = installTwoNodes();
        assertEquals(0, mend.status(), mend.toString());
        assertTrue(mend.out().contains("installed /etc/systemd/system/herdcat@web-1.service.d/vip.conf")
                && !mend.out().contains("nothing changed"), "a missing file is put back, and said: " + mend);
        assertTrue(Files.exists(dropin));
        first = Installer.tree(dest);

        Result uninstall = Installer.runExactly(dest, List.of("--uninstall"));
        assertEquals(0, uninstall.status(), uninstall.toString());
        Map<String, String> data = new TreeMap<>(first);
        data.keySet().removeIf(p -> !p.startsWith("etc/herdcat") && !p.startsWith("var/lib/herdcat"));
        Map<String, String> left = Installer.tree(dest);
        SYSTEM_DIRS.forEach(left::remove);
        assertEquals(data, left, "only config, secrets, webapps and state are left, untouched");

        Result nothing = Installer.runExactly(dest, List.of("--uninstall"));
        assertEquals(0, nothing.status(), nothing.toString());
        assertEquals(data.keySet(), withoutSystemDirs(Installer.tree(dest)).keySet());

        Result purge = Installer.runExactly(dest, List.of("--uninstall", "--purge"));
        assertEquals(0, purge.status(), purge.toString());
        assertEquals(Map.of(), withoutSystemDirs(Installer.tree(dest)), "nothing left after --purge");
    }

    @Test
    void theClusterSecretIsMadeOnceOrBroughtAndNeverReplaced() throws Exception {
        Path first = Files.writeString(dir.resolve("first-host.secret"), "  secret-of-the-first-host-0123\n");
        Result r = Installer.run(dest, "--name", "web", "--secret-file", first.toString());
        assertEquals(0, r.status(), r.toString());
        Path installed = dest.resolve("etc/herdcat/cluster.secret");
        assertEquals("secret-of-the-first-host-0123", Files.readString(installed), "brought as the node reads it");
        Map<String, String> tree = Installer.tree(dest);

        Path other = Files.writeString(dir.resolve("other.secret"), "some-other-cluster-secret-4567");
        Result refused = Installer.run(dest, "--name", "web", "--secret-file", other.toString());
        assertOneLineRefusal(refused, "--secret-file");
        assertEquals(tree, Installer.tree(dest), "the refused run wrote nothing");

        Result without = Installer.run(dest, "--name", "web");
        assertEquals(0, without.status(), without.toString());
        assertEquals(tree, Installer.tree(dest), "a run without --secret-file keeps the secret");
    }

    @Test
    void upgradeSwapsTheJarKeepsThePreviousOneAndRestartsTheNodesOneAtATime() throws Exception {
        assertEquals(0, installTwoNodes().status());
        Map<String, String> data = Installer.tree(dest);
        data.keySet().removeIf(p -> !p.startsWith("etc/herdcat") && !p.startsWith("var/lib/herdcat"));
        Path newer = Installer.newerJar(dir);

        Path notAJar = Files.writeString(dir.resolve("broken.jar"), "not a jar");
        Result broken = Installer.runExactly(dest, List.of("--upgrade", "--jar", notAJar.toString(), "--java",
                Installer.java()));
        assertOneLineRefusal(broken, "--jar");

        Result upgrade = Installer.runExactly(dest, List.of("--upgrade", "--jar", newer.toString(), "--java",
                Installer.java()));
        assertEquals(0, upgrade.status(), upgrade.toString());
        assertArrayEquals(Files.readAllBytes(newer), Files.readAllBytes(dest.resolve("opt/herdcat/herdcat.jar")));
        assertArrayEquals(Files.readAllBytes(NodeProcess.jar()),
                Files.readAllBytes(dest.resolve("opt/herdcat/herdcat.jar.previous")), "the previous jar, to go back");
        int first = upgrade.out().indexOf("systemctl restart herdcat@web-1");
        int second = upgrade.out().indexOf("systemctl restart herdcat@web-2");
        assertTrue(first >= 0 && second > first, "restart one node after the other:\n" + upgrade);
        Map<String, String> after = Installer.tree(dest);
        after.keySet().removeIf(p -> !p.startsWith("etc/herdcat") && !p.startsWith("var/lib/herdcat"));
        assertEquals(data, after, "config, secrets and state untouched");

        Result again = Installer.runExactly(dest, List.of("--upgrade", "--jar", newer.toString(), "--java",
                Installer.java()));
        assertEquals(0, again.status(), again.toString());
        assertTrue(again.out().contains("nothing changed"), again.toString());

        Result back = Installer.runExactly(dest, List.of("--upgrade", "--jar",
                dest.resolve("opt/herdcat/herdcat.jar.previous").toString(), "--java", Installer.java()));
        assertEquals(0, back.status(), back.toString());
        assertArrayEquals(Files.readAllBytes(NodeProcess.jar()), Files.readAllBytes(dest.resolve("opt/herdcat/herdcat.jar")),
                "--jar herdcat.jar.previous goes back");
        assertArrayEquals(Files.readAllBytes(newer), Files.readAllBytes(dest.resolve("opt/herdcat/herdcat.jar.previous")));
    }

    static Stream<Arguments> badInput() {
        return Stream.of(
                Arguments.of(List.of("--colour", "blue"), "unknown option --colour"),
                Arguments.of(List.of("--java", "/nonexistent/bin/java"), "no java at /nonexistent/bin/java"),
                Arguments.of(List.of("--java", "OLD_JAVA"), "is Java 11; Herdcat needs Java 17 or later"),
                Arguments.of(List.of("--name", "web/1"), "--name 'web/1'"),
                Arguments.of(List.of("--secret-file", "SHORT_SECRET"), "a cluster secret needs at least 16"),
                Arguments.of(List.of("--nodes", "0"), "--nodes 0"),
                Arguments.of(List.of("--peers", "10.0.0.1"), "--peers: '10.0.0.1' is not host:port"),
                Arguments.of(List.of("--vip", "10.0.0.10"), "--vip 10.0.0.10 is not ADDR/PREFIX"),
                Arguments.of(List.of("--set", "name=other"), "name is set by the installer"),
                Arguments.of(List.of("--war", "/nonexistent/app.war"), "--war /nonexistent/app.war"),
                Arguments.of(List.of("--purge"), "--purge goes with --uninstall"));
    }

    @ParameterizedTest
    @MethodSource("badInput")
    void badInputIsRefusedInOneLineBeforeAnythingIsWritten(List<String> args, String message) throws Exception {
        Path oldJava = dir.resolve("old-java");
        Files.writeString(oldJava, "#!/bin/sh\necho '    java.specification.version = 11' >&2\n");
        Files.setPosixFilePermissions(oldJava, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path shortSecret = Files.writeString(dir.resolve("short.secret"), "only-15-chars..\n");
        List<String> all = new ArrayList<>(List.of("--jar", NodeProcess.jar().toString(), "--java", Installer.java()));
        for (String a : args) {
            all.add(a.replace("OLD_JAVA", oldJava.toString()).replace("SHORT_SECRET", shortSecret.toString()));
        }
        Result r = Installer.runExactly(dest, all);
        assertOneLineRefusal(r, message);
        assertEquals(Map.of(), Installer.tree(dest), "nothing installed");
    }

    private static void assertOneLineRefusal(Result r, String message) {
        assertEquals(2, r.status(), r.toString());
        assertEquals("", r.out(), r.toString());
        String line = r.err().strip();
        assertFalse(line.contains("\n"), "one line: " + r);
        assertTrue(line.startsWith("herdcat install: ") && line.contains(message), "names the problem: " + r);
    }

    private static Map<String, String> withoutSystemDirs(Map<String, String> tree) {
        SYSTEM_DIRS.forEach(tree::remove);
        return tree;
    }

    private static Properties load(Path file) throws IOException {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file)) {
            p.load(in);
        }
        return p;
    }

    private static double exposure(String... cmd) throws Exception {
        Result r = command(cmd);
        Matcher m = EXPOSURE.matcher(r.out() + r.err());
        assertTrue(m.find(), r.toString());
        return Double.parseDouble(m.group(1));
    }

    private static Result command(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(1, TimeUnit.MINUTES), String.join(" ", cmd) + " did not finish");
        return new Result(p.exitValue(), out, err);
    }
}
