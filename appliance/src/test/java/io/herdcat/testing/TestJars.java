package io.herdcat.testing;

import java.io.IOException;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Other builds of the jar under test, for tests of nodes of two Herdcat versions side by side. */
public final class TestJars {
    private TestJars() {
    }

    /** A copy of the jar under test at {@code target} that calls itself Herdcat {@code version}. */
    public static Path withVersion(Path target, String version) throws IOException {
        Files.copy(NodeProcess.jar(), target);
        try (FileSystem zip = FileSystems.newFileSystem(URI.create("jar:" + target.toUri()), Map.of())) {
            Files.writeString(zip.getPath("io", "herdcat", "node", "version.properties"), "version=" + version + "\n");
        }
        return target;
    }
}
