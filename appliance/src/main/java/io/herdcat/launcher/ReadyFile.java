package io.herdcat.launcher;

import io.herdcat.admin.JsonWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;

/** Tells scripts and tests that a node is up, and on which ports, by writing a small JSON file atomically. */
final class ReadyFile {
    private ReadyFile() {
    }

    static void write(Path file, String name, int httpPort, int ajpPort, int adminPort) throws IOException {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("name", name);
        doc.put("pid", ProcessHandle.current().pid());
        doc.put("httpPort", httpPort);
        doc.put("ajpPort", ajpPort);
        doc.put("adminPort", adminPort);
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = Files.createTempFile(parent, ".ready", ".tmp");
        Files.writeString(tmp, JsonWriter.write(doc) + "\n", StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
