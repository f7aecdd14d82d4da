package io.herdcat.testing;

import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** tcpdump on the loopback interface for one TCP port: what really crossed the wire. Needs root. */
public final class PacketCapture implements AutoCloseable {
    private static final int PCAP_HEADER = 24;
    private final Process tcpdump;
    private final Path file;

    public PacketCapture(Path file, int port) throws IOException {
        this(file, "tcp port " + port);
    }

    /** Captures what matches a tcpdump filter expression, e.g. {@code tcp port 1 or tcp port 2}. */
    public PacketCapture(Path file, String filter) throws IOException {
        this.file = file;
        this.tcpdump = new ProcessBuilder("tcpdump", "-Z", "root", "-i", "lo", "-U", "-s", "0", "-w", file.toString(),
                filter).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(tcpdump.getInputStream(), StandardCharsets.UTF_8));
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            if (line.contains("listening on")) {
                return;
            }
        }
        throw new IOException("tcpdump did not start (is it installed, and are we root?)");
    }

    /**
     * Waits until packets were written and the file stops growing (tcpdump drops what it has not yet
     * written when stopped), stops the capture and returns every byte captured.
     */
    public byte[] stop() throws IOException, InterruptedException {
        AtomicLong lastSize = new AtomicLong(-1);
        await("capture settles").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(300)).until(() -> {
            long size = Files.size(file);
            return size > PCAP_HEADER && size == lastSize.getAndSet(size);
        });
        tcpdump.destroy();
        tcpdump.waitFor(10, TimeUnit.SECONDS);
        return Files.readAllBytes(file);
    }

    @Override
    public void close() {
        tcpdump.destroyForcibly();
    }

    public static boolean contains(byte[] haystack, String needle) {
        return new String(haystack, StandardCharsets.ISO_8859_1).contains(needle);
    }
}
