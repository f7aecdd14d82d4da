package io.herdcat.installer;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.herdcat.testing.NodeProcess;
import io.herdcat.testing.TestEnvironment;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Runs {@code installer/install.sh} into a {@code DESTDIR} and describes the tree it leaves. */
final class Installer {
    static final Path SCRIPT = Path.of("..", "installer", "install.sh").toAbsolutePath().normalize();
    static final Path UNIT = Path.of("..", "systemd", "herdcat@.service").toAbsolutePath().normalize();

    private Installer() {
    }

    /** What one run printed and how it ended. */
    record Result(int status, String out, String err) {
        @Override
        public String toString() {
            return "exit " + status + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    /** The machines' second JDK, which the tests of the AOT cache run. */
    static final Path JAVA25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64/bin/java");

    /** Fails, or skips with {@code -Dherdcat.tests.skipJava25=true}, when {@link #JAVA25} is missing. */
    static void requireJava25() {
        TestEnvironment.require(Files.isExecutable(JAVA25), TestEnvironment.SKIP_JAVA25,
                "no Java 25 at " + JAVA25 + " (Temurin 25, the second JDK of the project's machines)");
    }

    /** The java running the tests: the installer is told to run nodes with it. */
    static String java() {
        return ProcessHandle.current().info().command().orElseThrow();
    }

    /** {@code install.sh ARGS} with {@code DESTDIR=destdir} and the jar under test. */
    static Result run(Path destdir, String... args) throws IOException, InterruptedException {
        return runWith(Path.of(java()), destdir, args);
    }

    /** {@code install.sh ARGS} with {@code DESTDIR=destdir}, the jar under test and {@code --java java}. */
    static Result runWith(Path java, Path destdir, String... args) throws IOException, InterruptedException {
        List<String> all = new ArrayList<>(List.of("--jar", NodeProcess.jar().toString(), "--java", java.toString()));
        all.addAll(List.of(args));
        return runExactly(destdir, all);
    }

    /** {@code install.sh ARGS}, nothing added. */
    static Result runExactly(Path destdir, List<String> args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("bash", SCRIPT.toString()));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("DESTDIR", destdir.toString());
        return exec(pb, args);
    }

    /**
     * {@code install.sh ARGS} as on a host where systemd runs, without {@code DESTDIR}: in a mount
     * namespace of its own, {@code root}'s folders are bound over the ones the installer writes,
     * {@code /run} is a fresh tmpfs holding {@code /run/systemd/system} (how the installer tells that
     * systemd runs) and {@code stubs} comes first on {@code PATH}. Needs root.
     */
    static Result runOnHost(Path root, Path stubs, List<String> args) throws IOException, InterruptedException {
        List<String> script = new ArrayList<>(List.of("bash", SCRIPT.toString()));
        script.addAll(args);
        return onHost(root, stubs, script);
    }

    /** Any command as {@link #runOnHost} runs the installer: it sees what the installer wrote where it wrote it. */
    static Result onHost(Path root, Path stubs, List<String> command) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("unshare", "--mount", "--propagation", "private", "sh", "-c",
                "set -e; root=$1; stubs=$2; shift 2; mount -t tmpfs tmpfs /run; mkdir -p /run/systemd/system; "
                        + "for d in " + String.join(" ", HOST_DIRS) + "; do mkdir -p \"$root/$d\"; "
                        + "mount --bind \"$root/$d\" \"/$d\"; done; PATH=$stubs:$PATH exec \"$@\"",
                "sh", root.toString(), stubs.toString()));
        cmd.addAll(command);
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().remove("DESTDIR");
        return exec(pb, command);
    }

    /**
     * A stand-in for {@code systemctl} in {@code stubs}, for {@link #runOnHost}: it records each call in
     * {@code state/calls} and keeps which units are enabled and active as files in {@code state}; start
     * and restart fail for a unit with a {@code fail-UNIT} file there.
     */
    static void stubSystemctl(Path stubs, Path state) throws IOException {
        Path systemctl = Files.writeString(stubs.resolve("systemctl"), SYSTEMCTL.replace("STATE", state.toString()));
        Files.setPosixFilePermissions(systemctl, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private static final String SYSTEMCTL = """
            #!/bin/sh
            s=STATE
            echo "$*" >>"$s/calls"
            verb=$1
            shift
            unit=""
            for a in "$@"; do case $a in --*) ;; *) unit=$a ;; esac; done
            case $verb in
              daemon-reload) ;;
              is-enabled) test -e "$s/enabled-$unit" ;;
              is-active) test -e "$s/active-$unit" ;;
              enable) touch "$s/enabled-$unit" ;;
              start | restart) if test -e "$s/fail-$unit"; then exit 1; fi; touch "$s/active-$unit" ;;
              disable) rm -f "$s/enabled-$unit" "$s/active-$unit" ;;
              *) echo "systemctl $verb is not expected" >&2; exit 3 ;;
            esac
            """;

    /**
     * A java that says it is Java {@code version} and runs as the java running the tests: the installer
     * takes it for that version (it reads {@code java.specification.version}), the jar still runs.
     */
    static Path javaSaying(Path dir, int version) throws IOException {
        Path java = dir.resolve("java" + version);
        Files.writeString(java, "#!/bin/sh\n"
                + "case \"$*\" in *-XshowSettings:properties*) echo '    java.specification.version = " + version
                + "' >&2; exit 0 ;; esac\n"
                + "exec " + java() + " \"$@\"\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        return java;
    }

    /** The {@code ExecStart=} line of a unit file. */
    static String execStart(Path unit) throws IOException {
        return Files.readAllLines(unit).stream().filter(l -> l.startsWith("ExecStart=")).findFirst()
                .orElseThrow(() -> new AssertionError(unit + " has no ExecStart"));
    }

    /**
     * The folders the installer writes on a host, relative to /: {@code /opt} as a whole, because
     * {@code --uninstall} removes {@code /opt/herdcat} itself, which a mount point cannot be.
     */
    static final List<String> HOST_DIRS = List.of("opt", "etc/herdcat", "var/lib/herdcat", "etc/systemd/system",
            "usr/local/bin");

    /**
     * Creates the mount points a test binds its own folders over, where this host lacks them, and
     * removes those it created on {@link #close()}: nothing of a test stays on the host.
     */
    static final class MountPoints implements AutoCloseable {
        private final List<Path> made = new ArrayList<>();

        MountPoints(List<String> dirs) throws IOException {
            for (String d : dirs) {
                Path p = Path.of("/", d);
                if (!Files.exists(p)) {
                    Files.createDirectories(p);
                    made.add(p);
                }
            }
        }

        @Override
        public void close() throws IOException {
            for (Path p : made) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static Result exec(ProcessBuilder pb, List<String> args) throws IOException, InterruptedException {
        pb.environment().keySet().removeIf(k -> k.startsWith("HERDCAT_"));
        Process p = pb.start();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
        assertTrue(p.waitFor(2, TimeUnit.MINUTES), "install.sh " + args + " did not finish");
        return new Result(p.exitValue(), out.join(), err.join());
    }

    /** A copy of the jar under test with one more entry: another build, for {@code --upgrade}. */
    static Path newerJar(Path dir) throws IOException {
        Path newer = dir.resolve("newer.jar");
        Files.copy(NodeProcess.jar(), newer);
        try (java.nio.file.FileSystem zip = java.nio.file.FileSystems.newFileSystem(
                java.net.URI.create("jar:" + newer.toUri()), Map.of())) {
            Files.writeString(zip.getPath("META-INF", "herdcat-upgrade-test.txt"), "a newer build\n");
        }
        return newer;
    }

    private static String read(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Every path under {@code root} (relative, "/"-separated) with its type, mode, owner, group,
     * modification time and, for files, a hash of its content: two equal trees had nothing written.
     */
    static Map<String, String> tree(Path root) throws IOException {
        Map<String, String> tree = new TreeMap<>();
        if (!Files.exists(root)) {
            return tree;
        }
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.toList()) {
                if (p.equals(root)) {
                    continue;
                }
                PosixFileAttributes a = Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                String kind = a.isDirectory() ? "d" : a.isRegularFile() ? "f" : "?";
                String content = a.isRegularFile() ? " " + sha256(p) : "";
                tree.put(root.relativize(p).toString(), kind + " " + PosixFilePermissions.toString(a.permissions()) + " "
                        + a.owner().getName() + ":" + a.group().getName() + " " + a.lastModifiedTime() + content);
            }
        }
        return tree;
    }

    /** Like {@link #tree} but only type, mode, owner and group: {@code "d rwxr-x--- herdcat:herdcat"}. */
    static Map<String, String> modes(Path root) throws IOException {
        Map<String, String> modes = new TreeMap<>();
        tree(root).forEach((path, entry) -> {
            String[] f = entry.split(" ");
            modes.put(path, f[0] + " " + f[1] + " " + f[2]);
        });
        return modes;
    }

    private static String sha256(Path file) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
