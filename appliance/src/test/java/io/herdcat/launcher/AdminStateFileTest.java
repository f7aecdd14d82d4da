package io.herdcat.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.herdcat.config.Activation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The admin state file is always whole: concurrent writers never leave it missing, partial or stray. */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class AdminStateFileTest {
    private static final int WRITERS = 8;
    private static final int WRITES_EACH = 50;

    @TempDir
    Path dir;

    @Test
    void concurrentWritersNeverLeaveTheFileMissingOrPartial() throws Exception {
        AdminStateFile file = new AdminStateFile(dir);
        file.save(new AdminStateFile.State(1, Activation.ACTIVE));
        ExecutorService pool = Executors.newFixedThreadPool(WRITERS + 1);
        CountDownLatch go = new CountDownLatch(1);
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicInteger unreadable = new AtomicInteger();
        AtomicInteger reads = new AtomicInteger();
        List<Future<?>> writers = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
            int weight = w + 1;
            writers.add(pool.submit(() -> {
                go.await();
                for (int i = 0; i < WRITES_EACH; i++) {
                    file.save(new AdminStateFile.State(weight, i % 2 == 0 ? Activation.DISABLED : Activation.STOPPED));
                }
                return null;
            }));
        }
        Future<?> reader = pool.submit(() -> {
            go.await();
            while (writing.get()) {
                reads.incrementAndGet();
                if (file.load().isEmpty()) {
                    unreadable.incrementAndGet();
                }
            }
            return null;
        });
        go.countDown();
        for (Future<?> f : writers) {
            f.get(90, TimeUnit.SECONDS);
        }
        writing.set(false);
        reader.get(10, TimeUnit.SECONDS);
        pool.shutdown();

        assertEquals(0, unreadable.get(), "reads that found no whole file, of " + reads.get());
        Optional<AdminStateFile.State> last = file.load();
        assertTrue(last.isPresent(), "the file after all writes");
        assertEquals(Activation.STOPPED, last.get().activation(), "the last write of every writer was 'stopped'");
        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(List.of(file.path()), left.toList(), "no temporary files are left behind");
        }
    }

    @Test
    void theLastOfSeveralChangesIsWhatALaterStartReads() {
        AdminStateFile file = new AdminStateFile(dir);
        file.save(new AdminStateFile.State(10, Activation.DISABLED));
        file.save(new AdminStateFile.State(20, Activation.STOPPED));
        assertEquals(Optional.of(new AdminStateFile.State(20, Activation.STOPPED)), new AdminStateFile(dir).load());
    }
}
