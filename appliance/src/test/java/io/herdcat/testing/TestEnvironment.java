package io.herdcat.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * What a test needs from the machine (a browser, root, a tool, a second JDK). Missing, the test fails and
 * says what to install; it is skipped only when the named system property is set to true, so a plain
 * {@code mvn -B verify} never passes by checking nothing.
 */
public final class TestEnvironment {
    /** Skips the tests that drive a real Chromium. */
    public static final String SKIP_BROWSER = "herdcat.tests.skipBrowser";
    /** Skips the tests that need root (network interfaces and namespaces, packet capture). */
    public static final String SKIP_ROOT = "herdcat.tests.skipRoot";
    /** Skips the tests that run a second JDK, Java 25 (the installer's AOT cache). */
    public static final String SKIP_JAVA25 = "herdcat.tests.skipJava25";

    private TestEnvironment() {
    }

    /** Returns when {@code available}; otherwise skips if {@code skipProperty} is true, else fails. */
    public static void require(boolean available, String skipProperty, String missing) {
        if (available) {
            return;
        }
        assumeTrue(!Boolean.getBoolean(skipProperty), missing + "; skipped because -D" + skipProperty + "=true");
        throw new AssertionError(missing + " (.ci/run installs what the tests need; -D" + skipProperty
                + "=true skips these tests instead)");
    }

    /** The first of {@code names} found as an executable on the PATH, if any. */
    public static Optional<Path> onPath(List<String> names) {
        String path = System.getenv().getOrDefault("PATH", "");
        return names.stream()
                .flatMap(name -> Stream.of(path.split(File.pathSeparator)).map(d -> Path.of(d, name)))
                .filter(Files::isExecutable)
                .findFirst();
    }

    public static boolean isRoot() {
        return new com.sun.security.auth.module.UnixSystem().getUid() == 0;
    }
}
