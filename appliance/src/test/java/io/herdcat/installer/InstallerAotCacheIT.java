package io.herdcat.installer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.herdcat.installer.Installer.Result;
import io.herdcat.testing.NodeProcess;
import io.herdcat.testing.TestEnvironment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * On Java 25 and later the installer makes an AOT cache of the installed jar with {@code train-cds}
 * (JEP 483: the classes a node uses, loaded and linked ahead), and the unit names it. Installed as
 * on a host where systemd runs (see {@link Installer#runOnHost}) with the real Java 25, the machine's
 * second JDK: the JVM started with the unit's own flags and {@code -XX:AOTMode=on}, which refuses to
 * start on a cache it cannot use, accepts the cache; a second install keeps it, and a change to a java
 * below 25 removes it. ({@code --upgrade} makes it again through the same check as the class-data
 * archive's, which {@link InstallerServicesIT} covers.)
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class InstallerAotCacheIT {
    private static final Path JAVA25 = Installer.JAVA25;
    private static final String JAR = "/opt/herdcat/herdcat.jar";

    @TempDir
    Path dir;
    Path root;
    Path stubs;

    @Test
    void onJava25TheInstallerMakesTheAotCacheTheUnitNames() throws Exception {
        TestEnvironment.require(TestEnvironment.isRoot(), TestEnvironment.SKIP_ROOT,
                "installing on this host (in a mount namespace of its own) needs a test run as root");
        Installer.requireJava25();
        root = Files.createDirectory(dir.resolve("root"));
        stubs = Files.createDirectory(dir.resolve("bin"));
        Installer.stubSystemctl(stubs, Files.createDirectory(dir.resolve("state")));
        Path opt = root.resolve("opt/herdcat");
        Files.createDirectories(opt);
        Files.writeString(opt.resolve("herdcat.jsa"), "the class-data archive of a Java 17 install");

        try (Installer.MountPoints mountPoints = new Installer.MountPoints(Installer.HOST_DIRS)) {
            Result install = run("--jar", NodeProcess.jar().toString(), "--java", JAVA25.toString(), "--name", "web");
            assertEquals(0, install.status(), install.toString());
            assertTrue(install.out().contains("made /opt/herdcat/herdcat.aot"), install.toString());
            assertTrue(install.out().contains("removed /opt/herdcat/herdcat.jsa"), install.toString());
            assertEquals(List.of("herdcat.aot", "herdcat.jar"), files(opt), "nothing else left in /opt/herdcat");
            String execStart = Installer.execStart(root.resolve("etc/systemd/system/herdcat@.service"));
            assertEquals("ExecStart=" + JAVA25 + " -XX:+UseSerialGC -Xms32m -Xmx512m "
                    + "-XX:AOTCache=/opt/herdcat/herdcat.aot -jar " + JAR
                    + " --config /etc/herdcat/%i.properties --user herdcat", execStart);
            assertStartsOnlyWithTheCache(execStart);

            Result again = run("--jar", NodeProcess.jar().toString(), "--java", JAVA25.toString(), "--name", "web");
            assertEquals(0, again.status(), again.toString());
            assertTrue(again.out().contains("nothing changed"), "the cache loads: not made again: " + again);

            Result java21 = run("--jar", JAR, "--java", Installer.javaSaying(dir, 21).toString(), "--name", "web");
            assertEquals(0, java21.status(), java21.toString());
            assertTrue(java21.out().contains("removed /opt/herdcat/herdcat.aot"), java21.toString());
            assertFalse(Files.exists(opt.resolve("herdcat.aot")), "on Java 19 to 24 the JVM makes its own archive");
        }
    }

    /**
     * The unit's java with its flags, {@code -XX:AOTMode=on} and {@code --version} for the node's
     * arguments, run where the installer installed: exit 0 means the JVM used the cache.
     */
    private void assertStartsOnlyWithTheCache(String execStart) throws IOException, InterruptedException {
        List<String> words = Arrays.asList(execStart.substring("ExecStart=".length()).split("\\s+"));
        List<String> cmd = new ArrayList<>(List.of(words.get(0), "-XX:AOTMode=on"));
        cmd.addAll(words.subList(1, words.indexOf(JAR) + 1));
        cmd.add("--version");
        Result version = Installer.onHost(root, stubs, cmd);
        assertEquals(0, version.status(), "-XX:AOTMode=on refuses the cache: " + version);
        assertTrue(version.out().contains("Java 25"), version.toString());
    }

    private Result run(String... args) throws IOException, InterruptedException {
        return Installer.runOnHost(root, stubs, List.of(args));
    }

    private static List<String> files(Path folder) throws IOException {
        try (Stream<Path> all = Files.list(folder)) {
            return all.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
