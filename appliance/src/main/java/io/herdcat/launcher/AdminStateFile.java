package io.herdcat.launcher;

import io.herdcat.cluster.NodeRecord;
import io.herdcat.config.Activation;
import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.StandardOpenOption;
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
 * the configured values until changed again through the API, or until the file is deleted. A write
 * is durable before it returns (file and folder forced to disk) and atomic (a temporary file of its own,
 * renamed over the old one), so a crash never brings a stopped node back active.
 */
final class AdminStateFile {
    private static final Logger LOG = LoggerFactory.getLogger(AdminStateFile.class);
    private static final String TMP_SUFFIX = ".tmp";
    private final Path file;
    private long savedRevision = Long.MIN_VALUE;

    record State(int weight, Activation activation) {
    }

    AdminStateFile(Path workDir) {
        this.file = workDir.resolve("admin-state.properties");
    }

    Path path() {
        return file;
    }

    /** The kept state, if the file is there and valid; also deletes what an interrupted write left. */
    synchronized Optional<State> load() {
        deleteLeftovers();
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

    /** Keeps the weight and activation of {@code self}, unless a newer revision of it is kept already. */
    synchronized void save(NodeRecord self) {
        if (self.revision() < savedRevision) {
            return;
        }
        savedRevision = self.revision();
        save(new State(self.weight(), self.activation()));
    }

    /**
     * Writes {@code state} to a temporary file of its own, forces it to disk, renames it over the file and
     * forces the folder, so that after a crash or power loss the file holds either the previous state or
     * this one, never nothing or a part. One writer at a time.
     */
    synchronized void save(State state) {
        Properties p = new Properties();
        p.setProperty("weight", Integer.toString(state.weight()));
        p.setProperty("activation", state.activation().name().toLowerCase(Locale.ROOT));
        StringWriter text = new StringWriter();
        Path tmp = null;
        try {
            p.store(text, "Set through the admin API; wins over the configuration until changed or deleted");
            Path folder = Files.createDirectories(file.toAbsolutePath().getParent());
            tmp = Files.createTempFile(folder, file.getFileName() + ".", TMP_SUFFIX);
            try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ByteBuffer bytes = ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8));
                while (bytes.hasRemaining()) {
                    out.write(bytes);
                }
                out.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            tmp = null;
            forceFolder(folder);
        } catch (IOException e) {
            LOG.warn("Could not keep the admin change in {}: {}", file, e.toString());
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException e) {
                    LOG.debug("Could not delete {}: {}", tmp, e.toString());
                }
            }
        }
    }

    /** A rename is durable only once the folder's entry is on disk too (Linux; other systems may refuse). */
    private static void forceFolder(Path folder) {
        try (FileChannel dir = FileChannel.open(folder, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException e) {
            LOG.debug("Cannot force folder {} to disk: {}", folder, e.toString());
        }
    }

    /** Temporary files a crash left behind in the middle of a write. */
    private void deleteLeftovers() {
        Path folder = file.toAbsolutePath().getParent();
        if (!Files.isDirectory(folder)) {
            return;
        }
        String prefix = file.getFileName() + ".";
        try (DirectoryStream<Path> left = Files.newDirectoryStream(folder,
                f -> f.getFileName().toString().startsWith(prefix) && f.getFileName().toString().endsWith(TMP_SUFFIX))) {
            for (Path f : left) {
                Files.deleteIfExists(f);
            }
        } catch (IOException e) {
            LOG.debug("Could not delete unfinished writes of {}: {}", file, e.toString());
        }
    }
}
