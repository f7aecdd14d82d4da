package io.herdcat.cluster;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * One join at a time among the nodes that share a discovery folder: an exclusive lock on a file in the
 * folder, held from a node's first look into the folder until it is in a view. The node that holds it
 * reads a folder in which every other node is either a member already or not yet looking, so it needs no
 * window for nodes starting at the same moment: alone, it forms the cluster at once; otherwise it joins
 * the coordinator it reads. The operating system releases the lock of a process that dies; nodes in one
 * JVM (tests) take turns on a semaphore first, since a JVM cannot lock a file twice.
 */
final class FolderJoinLock implements AutoCloseable {
    private static final ConcurrentMap<Path, Semaphore> IN_THIS_JVM = new ConcurrentHashMap<>();
    private static final long POLL_MILLIS = 10;

    private final Semaphore turn;
    private final FileChannel file;
    private final FileLock lock;
    private boolean released;

    private FolderJoinLock(Semaphore turn, FileChannel file, FileLock lock) {
        this.turn = turn;
        this.file = file;
        this.lock = lock;
    }

    /**
     * Waits up to {@code wait} for the folder's join lock.
     *
     * @return the lock, or null when it was not had in time or the folder cannot be locked (the caller then
     *         falls back on a window for nodes starting together)
     */
    static FolderJoinLock acquire(Path lockFile, Duration wait) throws InterruptedException {
        Path key = lockFile.toAbsolutePath().normalize();
        Semaphore turn = IN_THIS_JVM.computeIfAbsent(key, k -> new Semaphore(1));
        long deadline = System.nanoTime() + wait.toNanos();
        if (!turn.tryAcquire(wait.toNanos(), TimeUnit.NANOSECONDS)) {
            return null;
        }
        FileChannel file = null;
        try {
            file = FileChannel.open(key, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            while (true) {
                FileLock lock = file.tryLock();
                if (lock != null) {
                    return new FolderJoinLock(turn, file, lock);
                }
                if (System.nanoTime() - deadline >= 0) {
                    break;
                }
                Thread.sleep(POLL_MILLIS);
            }
        } catch (IOException e) {
            // a folder that cannot be locked (some network file systems): no lock, the window instead
        } catch (InterruptedException e) {
            closeQuietly(file);
            turn.release();
            throw e;
        }
        closeQuietly(file);
        turn.release();
        return null;
    }

    /** Releases the lock; later calls do nothing. */
    @Override
    public synchronized void close() {
        if (released) {
            return;
        }
        released = true;
        try {
            lock.release();
        } catch (IOException e) {
            // closing the channel releases it too
        }
        closeQuietly(file);
        turn.release();
    }

    private static void closeQuietly(FileChannel file) {
        if (file == null) {
            return;
        }
        try {
            file.close();
        } catch (IOException e) {
            // nothing more to release
        }
    }
}
