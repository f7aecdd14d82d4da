package io.herdcat.installer;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.herdcat.installer.Installer.Result;
import io.herdcat.testing.DumpOutputOnFailure;
import io.herdcat.testing.Hosts;
import io.herdcat.testing.Http;
import io.herdcat.testing.NodeProcess;
import io.herdcat.testing.NotifySocket;
import io.herdcat.testing.ProcStatus;
import io.herdcat.testing.TestEnvironment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The installed tree runs: its node starts exactly as {@code herdcat@.service} starts it — the unit's
 * {@code ExecStart} (its java, flags, {@code --config} and {@code --user herdcat}), its capability
 * bounding set, {@code NoNewPrivileges} and {@code UMask}, with a {@code NOTIFY_SOCKET} — from the
 * installed paths (the {@code DESTDIR}'s {@code /opt/herdcat}, {@code /etc/herdcat} and
 * {@code /var/lib/herdcat} bound over the real ones in a mount namespace of its own, inside a network
 * namespace), says {@code READY=1}, serves the demo WAR the installer put into its webapps, directly
 * and through the front on port 80, and the installed {@code herdcat} command reads its status. On
 * Java 25 too, with the AOT cache its unit names.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
@ExtendWith(DumpOutputOnFailure.class)
class InstalledServiceIT {
    private static final List<String> INSTALLED = List.of("opt/herdcat", "etc/herdcat", "var/lib/herdcat");
    /** Binds the installed folders over the real ones, then runs the rest of the arguments. */
    private static final String AS_INSTALLED = "set -e; dest=$1; shift; "
            + "for d in " + String.join(" ", INSTALLED) + "; do mount --bind \"$dest/$d\" \"/$d\"; done; exec \"$@\"";

    @TempDir
    Path dir;

    @Test
    void theInstalledNodeStartsAsItsServiceWouldAndServesTheDemo() throws Exception {
        TestEnvironment.require(TestEnvironment.isRoot() && Hosts.available(), TestEnvironment.SKIP_ROOT,
                "starting the installed node as its service would needs a test run as root");
        installStartAndServe(Path.of(Installer.java()), false);
    }

    /**
     * On Java 25 the unit names the AOT cache; made by the command the {@code DESTDIR} install prints,
     * run where the nodes run, the node starts with it (the JVM says nothing of it: it would log why it
     * could not use it) and serves.
     */
    @Test
    void onJava25TheInstalledNodeStartsWithTheAotCacheThePrintedCommandMakes() throws Exception {
        TestEnvironment.require(TestEnvironment.isRoot() && Hosts.available(), TestEnvironment.SKIP_ROOT,
                "starting the installed node as its service would needs a test run as root");
        Installer.requireJava25();
        installStartAndServe(Installer.JAVA25, true);
    }

    private void installStartAndServe(Path java, boolean aotCache) throws Exception {
        Path dest = Files.createDirectory(dir.resolve("root"));
        try (Hosts hosts = new Hosts(1); Installer.MountPoints mountPoints = new Installer.MountPoints(INSTALLED)) {
            String address = hosts.address(0);
            Result install = Installer.runWith(java, dest, "--name", "svc", "--war", System.getProperty("herdcat.demoWar"),
                    "--peers", address + ":7800", "--set", "cluster.address=" + address);
            assertEquals(0, install.status(), install.toString());
            Path unit = dest.resolve("etc/systemd/system/herdcat@.service");
            if (aotCache) {
                String make = install.out().lines().filter(l -> l.contains("-XX:AOTCacheOutput=")).findFirst()
                        .orElseThrow(() -> new AssertionError("no command to make the AOT cache:\n" + install));
                List<String> cmd = new ArrayList<>(inNamespaceAsInstalled(hosts.namespace(0), dest));
                cmd.addAll(Arrays.asList(make.strip().split("\\s+")));
                Result made = run(cmd);
                assertEquals(0, made.status(), made.toString());
                assertTrue(Files.size(dest.resolve("opt/herdcat/herdcat.aot")) > 0, made.toString());
                assertTrue(value(unit, "ExecStart").contains(" -XX:AOTCache=/opt/herdcat/herdcat.aot "));
            }
            Path notifyDir = Files.createDirectory(dir.resolve("notify"));
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x"));
            Files.setPosixFilePermissions(notifyDir, PosixFilePermissions.fromString("rwx--x--x"));
            try (NotifySocket systemd = new NotifySocket(notifyDir.resolve("notify.sock"))) {
                Files.setPosixFilePermissions(systemd.path(), PosixFilePermissions.fromString("rw-rw-rw-"));
                List<String> cmd = new ArrayList<>(inNamespaceAsInstalled(hosts.namespace(0), dest));
                cmd.addAll(List.of("setpriv", "--bounding-set", boundingSet(unit), "--no-new-privs", "--"));
                cmd.addAll(execStart(unit, "svc"));
                try (NodeProcess node = NodeProcess.run("svc", umask(unit, cmd), dir,
                        Map.of("NOTIFY_SOCKET", systemd.path().toString()))) {
                    String ready = systemd.receive(Duration.ofSeconds(120));
                    assertNotNull(ready, "no READY=1 within 120 s:\n" + node.output());
                    assertTrue(ready.startsWith("READY=1\n"), ready);
                    assertEquals(200, Http.status("http://" + address + ":8080/session-demo/hello"),
                            "the demo WAR serves once the node says it is ready");
                    if (aotCache) {
                        assertFalse(node.output().contains("][aot]"), "the JVM used the AOT cache:\n" + node.output());
                    }
                    await("the front on port 80").atMost(Duration.ofSeconds(30))
                            .until(() -> Http.status("http://" + address + "/session-demo/hello") == 200);
                    for (ProcStatus.Thread t : ProcStatus.threads(node.pid())) {
                        assertFalse(t.hasRootId(), "no thread has uid or gid 0: " + t);
                    }
                    try (Stream<Path> work = Files.walk(dest.resolve("var/lib/herdcat/svc/work"))) {
                        int herdcat = ProcStatus.uidOf("herdcat");
                        for (Path p : work.toList()) {
                            assertEquals(herdcat, (int) Files.getAttribute(p, "unix:uid"), p + " belongs to herdcat");
                        }
                    }

                    List<String> status = new ArrayList<>(inNamespaceAsInstalled(hosts.namespace(0), dest));
                    status.addAll(List.of(dest.resolve("usr/local/bin/herdcat").toString(), "status", "--config",
                            "/etc/herdcat/svc.properties"));
                    Result table = run(status);
                    assertEquals(0, table.status(), table.toString());
                    assertTrue(table.out().contains("svc"), "herdcat status lists the node:\n" + table);

                    node.terminate();
                    assertEquals("STOPPING=1\n", systemd.receive(Duration.ofSeconds(30)));
                    assertEquals(0, node.awaitExit(Duration.ofSeconds(60)));
                }
            }
        }
    }

    /** {@code ip netns exec NS unshare --mount ... sh -c AS_INSTALLED sh DEST}, to be followed by a command. */
    private static List<String> inNamespaceAsInstalled(String namespace, Path dest) {
        return List.of("ip", "netns", "exec", namespace, "unshare", "--mount", "--propagation", "private", "sh", "-c",
                AS_INSTALLED, "sh", dest.toString());
    }

    /** The command with the unit's {@code UMask} set first. */
    private static List<String> umask(Path unit, List<String> cmd) throws Exception {
        String umask = value(unit, "UMask");
        List<String> all = new ArrayList<>(List.of("sh", "-c", "umask " + umask + "; exec \"$@\"", "sh"));
        all.addAll(cmd);
        return all;
    }

    /** The unit's {@code ExecStart} for instance {@code instance}, split into words. */
    private static List<String> execStart(Path unit, String instance) throws Exception {
        String line = value(unit, "ExecStart").replace("%i", instance);
        assertFalse(line.contains("%") || line.contains("\"") || line.contains("'"), "a plain command line: " + line);
        return Arrays.asList(line.split("\\s+"));
    }

    /** The unit's {@code CapabilityBoundingSet} as setpriv's {@code -all,+cap,...}. */
    private static String boundingSet(Path unit) throws Exception {
        assertEquals("yes", value(unit, "NoNewPrivileges"));
        List<String> caps = new ArrayList<>();
        for (String cap : value(unit, "CapabilityBoundingSet").split("\\s+")) {
            caps.add("+" + cap.toLowerCase(Locale.ROOT).replaceFirst("^cap_", ""));
        }
        return "-all," + String.join(",", caps);
    }

    private static String value(Path unit, String key) throws Exception {
        return Files.readAllLines(unit).stream().filter(l -> l.startsWith(key + "="))
                .map(l -> l.substring(key.length() + 1).trim()).reduce((a, b) -> b)
                .orElseThrow(() -> new AssertionError(unit + " has no " + key));
    }

    private static Result run(List<String> cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(1, TimeUnit.MINUTES), cmd + " did not finish");
        return new Result(p.exitValue(), out, err);
    }
}
