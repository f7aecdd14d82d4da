package io.herdcat.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostSecretTest {
    @TempDir
    Path dir;

    @Test
    void createdOnFirstUseReadableByItsOwnerOnlyAndTheSameAfterwards() throws Exception {
        Path file = dir.resolve(".herdcat/cluster.secret");
        ClusterSecret first = HostSecret.load(file);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())));
        assertTrue(Files.readString(file).trim().length() >= 64);
        assertArrayEquals(first.derive("x"), HostSecret.load(file).derive("x"));
        try (var listing = Files.list(file.getParent())) {
            assertEquals(1, listing.count(), "no temporary file left behind");
        }
    }

    @Test
    void nodesStartingAtOnceAgreeOnOneSecret() throws Exception {
        Path file = dir.resolve("cluster.secret");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<byte[]>> keys = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            keys.add(pool.submit(() -> {
                go.await();
                return HostSecret.load(file).derive("x");
            }));
        }
        go.countDown();
        for (Future<byte[]> k : keys) {
            assertArrayEquals(keys.get(0).get(), k.get());
        }
        pool.shutdown();
    }

    @Test
    void aSecretOthersCanReadIsRefused() throws Exception {
        Path file = dir.resolve("cluster.secret");
        HostSecret.load(file);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        ConfigException e = assertThrows(ConfigException.class, () -> HostSecret.load(file));
        assertTrue(e.getMessage().contains("chmod 600"), e.getMessage());
    }
}
