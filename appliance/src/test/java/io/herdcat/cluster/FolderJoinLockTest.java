package io.herdcat.cluster;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FolderJoinLockTest {
    @TempDir
    Path dir;

    @Test
    void oneHolderAtATimeAndTheNextGetsItOnceReleased() throws Exception {
        Path file = dir.resolve(".join-c.lock");
        FolderJoinLock first = FolderJoinLock.acquire(file, Duration.ofSeconds(1));
        assertNotNull(first);
        assertNull(FolderJoinLock.acquire(file, Duration.ofMillis(100)), "held: the next one waits, then gives up");
        CompletableFuture<FolderJoinLock> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return FolderJoinLock.acquire(file, Duration.ofSeconds(30));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        first.close();
        first.close(); // a second release does nothing
        FolderJoinLock second = waiting.get(30, TimeUnit.SECONDS);
        assertNotNull(second, "released: the waiting one has it");
        second.close();
    }

    @Test
    void foldersLockApart() throws Exception {
        try (FolderJoinLock a = FolderJoinLock.acquire(dir.resolve("a.lock"), Duration.ofSeconds(1));
             FolderJoinLock b = FolderJoinLock.acquire(dir.resolve("b.lock"), Duration.ofSeconds(1))) {
            assertNotNull(a);
            assertNotNull(b);
        }
    }
}
