package io.herdcat.importer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.herdcat.config.ConfigSources;
import io.herdcat.config.NodeConfig;
import io.herdcat.config.Setting;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/** Writes input files into a folder, imports them, and reads the outcome back as Herdcat does. */
final class ImportFixture {
    private final Path dir;

    ImportFixture(Path dir) throws IOException {
        this.dir = dir;
        Files.createDirectories(dir.resolve("webapps"));
    }

    Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
    }

    Path resource(String name) throws IOException {
        try (InputStream in = ImportFixture.class.getResourceAsStream("/importer/" + name)) {
            Path p = dir.resolve(name);
            Files.write(p, in.readAllBytes());
            return p;
        }
    }

    ConfigImport.Result importWorkers(String workers) throws IOException {
        return ConfigImport.run(write("workers.properties", workers), null, null, false);
    }

    /** The node's file as key/value pairs, as java.util.Properties reads it. */
    /** Whether the import listed something containing {@code text} among what it did not import. */
    static boolean listed(ConfigImport.Result r, String text) {
        return r.notImported().stream().anyMatch(l -> l.contains(text));
    }

    static Properties props(ConfigImport.Result r, String node) throws IOException {
        String text = r.files().get(node + ".properties");
        assertTrue(text != null, "no file for node " + node + " in " + r.files().keySet());
        Properties p = new Properties();
        p.load(new StringReader(text));
        return p;
    }

    /** The node's file loaded by Herdcat's own configuration parser. */
    NodeConfig load(ConfigImport.Result r, String node) throws IOException {
        Path file = write(node + ".properties", r.files().get(node + ".properties"));
        return NodeConfig.from(ConfigSources.gather(Map.of(Setting.CONFIG, file.toString()), Map.of(), dir),
                "host.example.org", dir);
    }

    /** Every file of the result loads, and names the node it is for. */
    void loadsAll(ConfigImport.Result r) throws IOException {
        for (String name : r.files().keySet()) {
            String node = name.substring(0, name.length() - ".properties".length());
            NodeConfig c = load(r, node);
            if (props(r, node).containsKey("name")) {
                assertEquals(node, c.name());
            }
        }
    }
}
