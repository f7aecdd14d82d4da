package io.herdcat.admin;

import io.herdcat.upgrade.UpgradeStatus;
import io.herdcat.upgrade.Upgrades;
import io.herdcat.upgrade.WarFile;
import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WARs uploaded to this node for an upgrade, one at a time: each goes to a file of its own under
 * {@code work.dir/upgrade-uploads/} (readable by the node alone), is checked whole, and is handed to
 * {@link Upgrades#start}; on every other outcome the file is deleted. The files are written, checked
 * and handed over on one thread of their own, in order, so the admin port's event loop never waits for
 * the disk and the two admin workers are never held by a large WAR. Partial files an earlier run left
 * behind (a node killed mid-upload) are deleted before the first upload of this run.
 */
final class UpgradeUploads {
    private static final Logger LOG = LoggerFactory.getLogger(UpgradeUploads.class);
    static final String FOLDER = "upgrade-uploads";
    private static final String PARTIAL = ".part";

    private final Path folder;
    private final Supplier<Upgrades> upgrades;
    private final AtomicBoolean busy = new AtomicBoolean();
    private final ThreadPoolExecutor disk;
    private boolean leftoversDeleted; // on the disk thread only

    UpgradeUploads(Path workDir, Supplier<Upgrades> upgrades) {
        this.folder = workDir.resolve(FOLDER);
        this.upgrades = upgrades;
        this.disk = new ThreadPoolExecutor(1, 1, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                new DefaultThreadFactory("admin-upload", true));
        disk.allowCoreThreadTimeOut(true);
    }

    /**
     * Takes this node's upload slot for {@code admitted} and starts creating its file; null while another
     * upload holds the slot.
     */
    Upload claim(UploadAdmission.Admitted admitted, Object from) {
        if (!busy.compareAndSet(false, true)) {
            return null;
        }
        Upload upload = new Upload(admitted, from);
        upload.open();
        return upload;
    }

    void stop() {
        disk.shutdownNow();
    }

    /** What a failed upload answers. */
    static AdminResponse error(int status, String message) {
        return AdminResponse.json(status, JsonWriter.write(Map.of("error", message)));
    }

    /** One upload that holds the slot: its file, written in order on the disk thread, and its outcome. */
    final class Upload {
        private final UploadAdmission.Admitted admitted;
        private final Object from;
        // on the disk thread only:
        private Path file;
        private FileChannel channel;
        private IOException failure;
        private boolean ended;

        private Upload(UploadAdmission.Admitted admitted, Object from) {
            this.admitted = admitted;
            this.from = from;
        }

        String war() {
            return admitted.war();
        }

        private void open() {
            submit(() -> {
                try {
                    Files.createDirectories(folder, permissions("rwx------"));
                    deleteLeftovers();
                    file = Files.createTempFile(folder, "upload-", ".war" + PARTIAL, permissions("rw-------"));
                    channel = FileChannel.open(file, StandardOpenOption.WRITE);
                } catch (IOException e) {
                    failure = e;
                }
                return null;
            });
        }

        /** Appends {@code bytes} (released once written); completes when they are on their way to the disk. */
        CompletableFuture<Void> write(ByteBuf bytes) {
            return submit(() -> {
                try {
                    if (failure == null && !ended) {
                        ByteBuffer[] buffers = bytes.nioBuffers();
                        for (long left = bytes.readableBytes(); left > 0; ) {
                            left -= channel.write(buffers);
                        }
                    }
                } catch (IOException e) {
                    failure = e;
                } finally {
                    bytes.release();
                }
                if (failure != null) {
                    throw new IOException("cannot store the upload in " + folder + ": " + failure.getMessage(), failure);
                }
                return null;
            });
        }

        /**
         * The body is complete: checks the WAR and, while {@code clientThere} still holds, starts the
         * upgrade with it. Completes with the answer, or null when the client left before the start.
         */
        CompletableFuture<AdminResponse> finish(BooleanSupplier clientThere) {
            return submit(() -> {
                try {
                    return checkAndStart(clientThere);
                } finally {
                    end();
                }
            });
        }

        /** The upload ended without a WAR ({@code why}): its file is deleted and the slot freed. */
        void discard(String why) {
            CompletableFuture<Object> done = submit(() -> {
                if (!ended) {
                    LOG.info("Upload of {} from {} dropped: {}", admitted.war(), from, why);
                    end();
                }
                return null;
            });
            done.exceptionally(e -> {
                busy.set(false); // the node is stopping: nothing runs on the disk thread any more
                return null;
            });
        }

        private AdminResponse checkAndStart(BooleanSupplier clientThere) throws IOException {
            if (failure != null) {
                LOG.warn("Upload of {} from {} could not be stored in {}: {}", admitted.war(), from, folder,
                        failure.toString());
                return error(500, "cannot store the upload on this node: " + failure.getMessage());
            }
            channel.close();
            Path whole = file.resolveSibling(file.getFileName().toString().replace(PARTIAL, ""));
            Files.move(file, whole, StandardCopyOption.ATOMIC_MOVE);
            file = whole;
            WarFile war;
            try {
                war = WarFile.check(file, admitted.war());
            } catch (WarFile.NotAWar e) {
                LOG.info("Upload of {} from {} refused: {}", admitted.war(), from, e.getMessage());
                return error(400, e.getMessage());
            }
            Upgrades target = upgrades.get();
            if (target == null) {
                return error(503, AdminServer.NO_UPGRADES);
            }
            if (!clientThere.getAsBoolean()) {
                LOG.info("Upload of {} from {} not started: the client left", admitted.war(), from);
                return null;
            }
            try {
                UpgradeStatus started = target.start(war, file, admitted.health());
                LOG.info("Upgrade {} started from {}: {} ({} bytes, sha256 {}), health path '{}'", started.id(), from,
                        war.fileName(), war.size(), war.sha256(), admitted.health());
                file = null; // the upgrade took it over
                return AdminResponse.json(202, JsonWriter.write(UpgradeJson.upgrade(started, System.currentTimeMillis())))
                        .with("Location", "/upgrade");
            } catch (Upgrades.UpgradeRefused e) {
                LOG.info("Upgrade with {} from {} refused ({}): {}", war.fileName(), from, e.status(), e.getMessage());
                return error(e.status(), e.getMessage());
            }
        }

        /** Closes and deletes what is left of the file and frees the slot. */
        private void end() {
            ended = true;
            try {
                if (channel != null) {
                    channel.close();
                }
                if (file != null) {
                    Files.deleteIfExists(file);
                }
            } catch (IOException e) {
                LOG.warn("Cannot delete the upload {}: {}", file, e.toString());
            } finally {
                file = null;
                busy.set(false);
            }
        }

        private void deleteLeftovers() throws IOException {
            if (leftoversDeleted) {
                return;
            }
            leftoversDeleted = true;
            try (DirectoryStream<Path> partial = Files.newDirectoryStream(folder, "upload-*" + PARTIAL)) {
                for (Path p : partial) {
                    Files.deleteIfExists(p);
                    LOG.info("Deleted {}, an upload an earlier run left unfinished", p);
                }
            }
        }
    }

    private <T> CompletableFuture<T> submit(Callable<T> task) {
        CompletableFuture<T> result = new CompletableFuture<>();
        try {
            disk.execute(() -> {
                try {
                    result.complete(task.call());
                } catch (Exception | Error e) {
                    result.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException e) {
            result.completeExceptionally(e);
        }
        return result;
    }

    private FileAttribute<?>[] permissions(String posix) {
        return folder.getFileSystem().supportedFileAttributeViews().contains("posix")
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(posix))}
                : new FileAttribute<?>[0];
    }
}
