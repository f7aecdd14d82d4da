package io.herdcat.config;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Set;

/**
 * The cluster secret of nodes started without {@code secret.file}: one random secret per user and host,
 * in {@code ~/.herdcat/cluster.secret} (mode 0600, folder 0700), created by the first node that needs it.
 * Every node that user starts on this host shares it, so they form a cluster with no setup, while
 * processes of other users — who cannot read the file — cannot join, speak for a member or replay its
 * messages. Two nodes starting at once agree: the file appears whole or not at all (hard link of a
 * finished temporary file), and the loser reads the winner's.
 */
public final class HostSecret {
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private HostSecret() {
    }

    /** Where the host secret of the user running this JVM lives. */
    public static Path defaultLocation() {
        return Path.of(System.getProperty("user.home"), ".herdcat", "cluster.secret");
    }

    /** Reads the host secret at {@code file}, creating it first if there is none. */
    public static ClusterSecret load(Path file) {
        try {
            if (!Files.exists(file)) {
                create(file);
            }
            return read(file);
        } catch (IOException e) {
            throw new ConfigException("cannot read or create this host's cluster secret " + file + " (" + e
                    + "); set secret.file to a file holding the cluster secret");
        }
    }

    private static void create(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        boolean posix = dir.getFileSystem().supportedFileAttributeViews().contains("posix");
        if (!Files.isDirectory(dir)) {
            if (posix) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rwx------")));
            } else {
                Files.createDirectories(dir);
            }
        }
        Path tmp = posix ? Files.createTempFile(dir, ".cluster.secret", ".tmp", PosixFilePermissions.asFileAttribute(
                OWNER_ONLY)) : Files.createTempFile(dir, ".cluster.secret", ".tmp");
        try {
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.write(java.nio.ByteBuffer.wrap((HexFormat.of().formatHex(random) + "\n")
                        .getBytes(StandardCharsets.US_ASCII)));
                ch.force(true);
            }
            try {
                Files.createLink(file, tmp);
            } catch (FileAlreadyExistsException e) {
                // another node created it first: use theirs
            } catch (UnsupportedOperationException e) {
                try {
                    Files.move(tmp, file);
                } catch (FileAlreadyExistsException taken) {
                    // another node created it first: use theirs
                }
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static ClusterSecret read(Path file) throws IOException {
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            for (PosixFilePermission p : perms) {
                if (!p.name().startsWith("OWNER")) {
                    throw new ConfigException("this host's cluster secret " + file + " can be read by other users ("
                            + PosixFilePermissions.toString(perms) + "); chmod 600 it, or delete it to have a new "
                            + "one made");
                }
            }
        }
        String secret = Files.readString(file, StandardCharsets.UTF_8).trim();
        if (secret.length() < ClusterSecret.MIN_LENGTH) {
            throw new ConfigException("this host's cluster secret " + file + " is shorter than "
                    + ClusterSecret.MIN_LENGTH + " characters; delete it to have a new one made");
        }
        return new ClusterSecret(secret, "this host's secret " + file);
    }
}
