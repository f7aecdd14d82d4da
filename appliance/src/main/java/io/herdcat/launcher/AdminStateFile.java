package io.herdcat.launcher;

import io.herdcat.cluster.NodeRecord;
import io.herdcat.config.Activation;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The weight and activation an operator set through the admin API, kept in the node's work folder so
 * a restart does not undo them (mod_jk's status worker forgets its edits on restart). They win over
 * the configured values until changed again through the API, or until the file is deleted.
 */
final class AdminStateFile {
    private static final Logger LOG = LoggerFactory.getLogger(AdminStateFile.class);
    private final Path file;

    record State(int weight, Activation activation) {
    }

    AdminStateFile(Path workDir) {
        this.file = workDir.resolve("admin-state.properties");
    }

    Path path() {
        return file;
    }

    Optional<State> load() {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(in);
            int weight = Integer.parseInt(p.getProperty("weight", "").trim());
            Activation activation = Activation.valueOf(p.getProperty("activation", "").trim().toUpperCase(Locale.ROOT));
            if (weight < 1 || weight > 100) {
                throw new IllegalArgumentException("weight " + weight + " is not 1-100");
            }
            return Optional.of(new State(weight, activation));
        } catch (IOException | RuntimeException e) {
            LOG.warn("Ignoring {} ({}): the configured weight and activation apply", file, e.toString());
            return Optional.empty();
        }
    }

    void save(NodeRecord self) {
        Properties p = new Properties();
        p.setProperty("weight", Integer.toString(self.weight()));
        p.setProperty("activation", self.activation().name().toLowerCase(Locale.ROOT));
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            try (Writer out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                p.store(out, "Set through the admin API; wins over the configuration until changed or deleted");
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            LOG.warn("Could not keep the admin change in {}: {}", file, e.toString());
        }
    }
}
