package io.herdcat.testing;

import io.herdcat.cluster.NodeRecord;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Other builds of the jar under test, for tests of nodes of two Herdcat versions side by side. */
public final class TestJars {
    private static final long BUILD_MINUTES = 10;

    private TestJars() {
    }

    /**
     * The jar of the commit before the one under test ({@code HEAD~1} of this repository), built from
     * that commit's sources (with {@code git archive} and Maven, tests skipped) once per build folder and
     * kept in {@code target/previous-commit/SHA/herdcat.jar}.
     *
     * @throws IllegalStateException when there is no previous commit (a shallow clone) or it does not build
     */
    public static synchronized Path previousCommit() throws IOException, InterruptedException {
        Path root = repositoryRoot();
        String sha;
        try {
            sha = run(root, List.of("git", "rev-parse", "--verify", "HEAD~1"), "no previous commit").strip();
        } catch (IllegalStateException shallow) { // a shallow clone: one commit more from where it came from
            run(root, List.of("git", "fetch", "-q", "--deepen=1"), "there is no previous commit in " + root
                    + " (a shallow clone whose origin cannot be reached?); this test runs the previous commit's jar,"
                    + " so clone with history");
            sha = run(root, List.of("git", "rev-parse", "--verify", "HEAD~1"), "no previous commit in " + root).strip();
        }
        Path cache = Path.of("target", "previous-commit", sha).toAbsolutePath();
        Path jar = cache.resolve("herdcat.jar");
        if (Files.exists(jar)) {
            return jar;
        }
        Path sources = Files.createDirectories(cache.resolve("sources"));
        run(root, List.of("bash", "-c", "git archive --format=tar " + sha + " | tar -x -C '" + sources + "'"),
                "cannot extract commit " + sha);
        List<String> maven = List.of("mvn", "-B", "-q", "-Dmaven.test.skip=true", "package");
        try {
            run(sources, concat(maven, "-o"), "offline build");
        } catch (IllegalStateException offline) {
            run(sources, maven, "the previous commit " + sha + " does not build");
        }
        Files.copy(sources.resolve("appliance/target/herdcat.jar"), jar);
        try (java.util.stream.Stream<Path> tree = Files.walk(sources)) {
            for (Path p : tree.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
        return jar;
    }

    /**
     * The jar a rolling restart onto the jar under test starts from: the previous commit's
     * ({@link #previousCommit()}), unless that commit speaks another session replication format. Nodes
     * of two formats do not exchange sessions, so a roll across formats is refused by design (see
     * {@code MixedVersionsIT}); then the jar under test itself is rolled, as a release that keeps the
     * format would be.
     */
    public static synchronized Path previousWithSameReplicationFormat() throws IOException, InterruptedException {
        Path previous = previousCommit();
        int theirs = replicationFormat(previous);
        if (theirs == NodeRecord.REPLICATION_FORMAT) {
            return previous;
        }
        System.out.printf("the previous commit speaks replication format %d, this one %d: rolling this jar%n",
                theirs, NodeRecord.REPLICATION_FORMAT);
        return NodeProcess.jar();
    }

    /** {@code NodeRecord.REPLICATION_FORMAT} as compiled into {@code jar}. */
    static int replicationFormat(Path jar) throws IOException {
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()},
                ClassLoader.getPlatformClassLoader())) {
            return Class.forName(NodeRecord.class.getName(), false, loader).getField("REPLICATION_FORMAT").getInt(null);
        } catch (ReflectiveOperationException e) {
            throw new IOException(jar + " has no readable replication format", e);
        }
    }

    private static List<String> concat(List<String> command, String arg) {
        List<String> all = new java.util.ArrayList<>(command);
        all.add(2, arg);
        return all;
    }

    private static Path repositoryRoot() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.exists(p.resolve(".git"))) {
                return p;
            }
        }
        throw new IllegalStateException("not in a git repository (" + Path.of("").toAbsolutePath()
                + "); this test runs the previous commit's jar");
    }

    /** Runs {@code command} in {@code dir}; its standard output, or an exception with {@code failure} and its output. */
    private static String run(Path dir, List<String> command, String failure) throws IOException, InterruptedException {
        Path log = Files.createTempFile("test-jars", ".log");
        try {
            Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            if (!p.waitFor(BUILD_MINUTES, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IllegalStateException(failure + ": " + String.join(" ", command) + " took over "
                        + BUILD_MINUTES + " minutes");
            }
            String out = Files.readString(log);
            if (p.exitValue() != 0) {
                throw new IllegalStateException(failure + ": " + String.join(" ", command) + " exited "
                        + p.exitValue() + ":\n" + out);
            }
            return out;
        } finally {
            Files.deleteIfExists(log);
        }
    }

    /** A copy of the jar under test at {@code target} that calls itself Herdcat {@code version}. */
    public static Path withVersion(Path target, String version) throws IOException {
        return withVersion(NodeProcess.jar(), target, version);
    }

    /** A copy of {@code jar} at {@code target} that calls itself Herdcat {@code version}. */
    public static Path withVersion(Path jar, Path target, String version) throws IOException {
        Files.copy(jar, target);
        try (FileSystem zip = FileSystems.newFileSystem(URI.create("jar:" + target.toUri()), Map.of())) {
            Files.writeString(zip.getPath("io", "herdcat", "node", "version.properties"), "version=" + version + "\n");
        }
        return target;
    }
}
