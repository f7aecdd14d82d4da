package io.herdcat.vip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.herdcat.config.NodeConfig;
import io.herdcat.testing.TestEnvironment;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Adding, announcing and removing the front's address with the real ip and arping. */
class VipHolderTest {
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger(VipHolder.class);
    private final AtomicInteger started = new AtomicInteger();
    private final ExecutorService privilegedThread = Executors.newSingleThreadExecutor(r -> new Thread(r, "test-privileged"));
    /** Counts what it runs, all on one named thread, as the node's privileged executor does. */
    private final java.util.concurrent.Executor privileged = task -> {
        started.incrementAndGet();
        privilegedThread.execute(task);
    };

    @BeforeEach
    void captureLog() {
        log.start();
        logger.addAppender(log);
    }

    @AfterEach
    void stop() {
        logger.detachAppender(log);
        privilegedThread.shutdownNow();
    }

    @Test
    void aFailedCommandIsLoggedWithItsOutputAndCounted() throws Exception {
        VipCounters counters = new VipCounters();
        VipHolder holder = new VipHolder(new NodeConfig.Vip(InetAddress.getByName("198.51.100.99"), 28, "nosuchnic0"),
                privileged, counters);
        holder.add();
        assertTrue(counters.commandFailures() >= 1);
        assertTrue(started.get() >= 1, "commands start through the given executor");
        List<String> lines = log.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("'ip addr add 198.51.100.99/28 dev nosuchnic0' failed (exit status")
                && l.contains("nosuchnic0")), lines.toString());
    }

    @Test
    void addAnnounceAndRemoveOnARealInterfaceTwiceOverWithoutFailures() throws Exception {
        TestEnvironment.require(TestEnvironment.isRoot(), TestEnvironment.SKIP_ROOT,
                "adding an address to a network interface needs root");
        String link = "hcvip" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x10000, 0xfffff));
        ip("link", "add", link, "type", "veth", "peer", "name", link + "p");
        try {
            ip("link", "set", link + "p", "up");
            ip("link", "set", link, "up");
            String address = "198.51.100." + ThreadLocalRandom.current().nextInt(2, 254);
            VipCounters counters = new VipCounters();
            VipHolder holder = new VipHolder(new NodeConfig.Vip(InetAddress.getByName(address), 32, link), privileged,
                    counters);
            assertFalse(holder.present());
            holder.add();
            assertTrue(ip("-o", "addr", "show", "dev", link).contains(" " + address + "/32 "));
            assertTrue(holder.present());
            holder.add();
            holder.remove("test");
            assertFalse(ip("-o", "addr", "show", "dev", link).contains(" " + address + "/32 "));
            holder.remove("test again");
            assertEquals(0, counters.commandFailures(), log.list.toString());
            assertTrue(started.get() >= 6, "ip and arping start through the given executor");
        } finally {
            ip("link", "del", link);
        }
    }

    private static String ip(String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("ip"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + out.strip());
        }
        return out;
    }
}
