package io.herdcat.config;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What every webapp of a node shares, as Tomcat's {@code lib/} folder and the {@code <GlobalNamingResources>}
 * of its server.xml give it: the jars of {@code lib.dir} (JDBC drivers, shared libraries), in name order,
 * and the global JNDI entries read from {@code resources.file}. Both are checked at start, so a missing
 * folder, an unreadable jar or a malformed file stops the node with the key (and the file's line) named.
 */
public record SharedResources(Path libDir, List<Path> libJars, Path resourcesFile, List<NamingEntry> globals) {
    public SharedResources {
        libJars = List.copyOf(libJars);
        globals = List.copyOf(globals);
    }

    /** Nothing shared: no lib.dir, no resources.file. */
    public static SharedResources none() {
        return new SharedResources(null, List.of(), null, List.of());
    }

    static SharedResources parse(SettingParser p) {
        Path libDir = p.existingDirectory(Setting.LIB_DIR);
        List<Path> jars = libDir == null ? List.of() : jars(p, libDir);
        Path file = p.existingFile(Setting.RESOURCES_FILE);
        List<NamingEntry> globals = file == null ? List.of() : GlobalResourcesFile.read(p.value(Setting.RESOURCES_FILE), file);
        return new SharedResources(libDir, jars, file, globals);
    }

    private static List<Path> jars(SettingParser p, Path dir) {
        List<Path> jars = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, "*.jar")) {
            for (Path jar : entries) {
                if (!Files.isRegularFile(jar) || !Files.isReadable(jar)) {
                    throw ConfigException.of(p.value(Setting.LIB_DIR), "cannot read " + jar
                            + "; make it a readable file or remove it from the folder");
                }
                jars.add(jar);
            }
        } catch (IOException e) {
            throw ConfigException.of(p.value(Setting.LIB_DIR), "cannot read folder " + dir + ": " + e.getMessage());
        }
        jars.sort(null);
        return jars;
    }
}
