package io.herdcat.installer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the installer asks of systemd where systemd runs (this machine's PID 1 is not systemd, so
 * {@code systemctl} is a stand-in that records each call and keeps which units are enabled and
 * active): units enabled and started one after the other, nothing asked again on a second run,
 * {@code --upgrade} asking the cluster for a rolling restart of its nodes first and, when no node
 * answers, restarting them in turn, stopping at the first that does not come back and
 * going on from there when run again, going back to the previous jar, and {@code --uninstall}
 * stopping and disabling every node.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class InstallerServicesIT {
    @TempDir
    Path dir;
    Path root;
    Path stubs;
    Path state;

    @Test
    void servicesStartInTurnAndUpgradeRestartsThemInTurnStoppingAtTheFirstThatFails() throws Exception {
        TestEnvironment.require(TestEnvironment.isRoot(), TestEnvironment.SKIP_ROOT,
                "installing on this host (in a mount namespace of its own) needs a test run as root");
        root = Files.createDirectory(dir.resolve("root"));
        state = Files.createDirectory(dir.resolve("state"));
        stubs = Files.createDirectory(dir.resolve("bin"));
        Installer.stubSystemctl(stubs, state);
        String java = Installer.java();
        Path newer = Installer.newerJar(dir);

        try (Installer.MountPoints mountPoints = new Installer.MountPoints(Installer.HOST_DIRS)) {
            Result install = run("--jar", NodeProcess.jar().toString(), "--java", java, "--name", "web", "--nodes", "3");
            assertEquals(0, install.status(), install.toString());
            assertEquals(List.of("daemon-reload", "enable --quiet herdcat@web-1", "start herdcat@web-1",
                    "enable --quiet herdcat@web-2", "start herdcat@web-2", "enable --quiet herdcat@web-3",
                    "start herdcat@web-3"), changingCalls());
            assertTrue(install.out().contains("made /opt/herdcat/herdcat.jsa"),
                    "train-cds made the archive the unit names, and it loads with the jar and the java: " + install);
            assertTrue(Files.size(root.resolve("opt/herdcat/herdcat.jsa")) > 0);

            Result again = run("--jar", NodeProcess.jar().toString(), "--java", java, "--name", "web", "--nodes", "3");
            assertEquals(0, again.status(), again.toString());
            assertTrue(again.out().contains("nothing changed"), again.toString());
            assertEquals(List.of(), changingCalls(), "a second install asks systemd for nothing");

            Files.createFile(state.resolve("fail-herdcat@web-2"));
            Result stopped = run("--upgrade", "--jar", newer.toString(), "--java", java);
            assertEquals(1, stopped.status(), stopped.toString());
            String line = stopped.err().strip();
            assertFalse(line.contains("\n"), "one line: " + stopped);
            assertTrue(line.contains("herdcat@web-2 did not become ready") && line.contains("web-2 web-3 not done"),
                    stopped.toString());
            assertTrue(stopped.out().contains("rolling restart of web-1 web-2 web-3 through the cluster")
                    && stopped.out().contains("cannot take a rolling restart now (cannot reach the admin API"),
                    "the cluster's rolling restart is asked first; no node answers here: " + stopped);
            assertEquals(List.of("restart herdcat@web-1", "restart herdcat@web-2"), changingCalls(),
                    "the upgrade stops at the node that does not come back");
            assertArrayEquals(Files.readAllBytes(newer), Files.readAllBytes(root.resolve("opt/herdcat/herdcat.jar")));
            assertTrue(stopped.out().contains("made /opt/herdcat/herdcat.jsa"),
                    "the archive of the jar before does not load with the new one: made again before the restarts");

            Files.delete(state.resolve("fail-herdcat@web-2"));
            Result goOn = run("--upgrade", "--jar", newer.toString(), "--java", java);
            assertEquals(0, goOn.status(), goOn.toString());
            assertEquals(List.of("restart herdcat@web-2", "restart herdcat@web-3"), changingCalls(),
                    "run again, it goes on where it stopped");

            Result done = run("--upgrade", "--jar", newer.toString(), "--java", java);
            assertEquals(0, done.status(), done.toString());
            assertTrue(done.out().contains("nothing changed"), done.toString());
            assertEquals(List.of(), changingCalls());

            Result back = run("--upgrade", "--jar", "/opt/herdcat/herdcat.jar.previous", "--java", java);
            assertEquals(0, back.status(), back.toString());
            assertArrayEquals(Files.readAllBytes(NodeProcess.jar()),
                    Files.readAllBytes(root.resolve("opt/herdcat/herdcat.jar")), "back on the jar before");
            assertArrayEquals(Files.readAllBytes(newer), Files.readAllBytes(root.resolve("opt/herdcat/herdcat.jar.previous")));
            assertEquals(List.of("restart herdcat@web-1", "restart herdcat@web-2", "restart herdcat@web-3"),
                    changingCalls());

            Result uninstall = run("--uninstall");
            assertEquals(0, uninstall.status(), uninstall.toString());
            assertEquals(List.of("disable --now --quiet herdcat@web-1", "disable --now --quiet herdcat@web-2",
                    "disable --now --quiet herdcat@web-3", "daemon-reload"), changingCalls());
            assertFalse(Files.exists(root.resolve("etc/systemd/system/herdcat@.service")));
            assertFalse(Files.exists(root.resolve("opt/herdcat")));
            assertTrue(Files.exists(root.resolve("etc/herdcat/web-1.properties")), "config kept");
        }
    }

    private Result run(String... args) throws IOException, InterruptedException {
        return Installer.runOnHost(root, stubs, List.of(args));
    }

    /** The systemctl calls since the last look that change something (not is-enabled, is-active), then forgets them. */
    private List<String> changingCalls() throws IOException {
        Path calls = state.resolve("calls");
        List<String> changing = new ArrayList<>();
        if (Files.exists(calls)) {
            for (String call : Files.readAllLines(calls)) {
                if (!call.startsWith("is-")) {
                    changing.add(call);
                }
            }
            Files.delete(calls);
        }
        return changing;
    }
}
