package io.herdcat.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A non-loopback IPv4 address of this machine, for tests of requests "from another host": a veth pair
 * made for the test with a random 203.0.113.x/32 (documentation range) on one end. A connection to it
 * from this machine comes from that address too, so the server sees a client that is not on loopback.
 * Needs root; {@link #close()} deletes the pair.
 */
public final class ExtraAddress implements AutoCloseable {
    private final String link;
    private final InetAddress address;

    private ExtraAddress(String link, InetAddress address) {
        this.link = link;
        this.address = address;
    }

    /** Creates the address; fails (or skips, with {@link TestEnvironment#SKIP_ROOT}) when not root. */
    public static ExtraAddress create() throws IOException, InterruptedException {
        TestEnvironment.require(TestEnvironment.isRoot(), TestEnvironment.SKIP_ROOT,
                "adding a test address to a network interface needs root");
        String link = "hcx" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xffffff));
        String ip = "203.0.113." + ThreadLocalRandom.current().nextInt(2, 254);
        ip("link", "add", link, "type", "veth", "peer", "name", link + "p");
        try {
            ip("addr", "add", ip + "/32", "dev", link);
            ip("link", "set", link + "p", "up");
            ip("link", "set", link, "up");
        } catch (IOException | RuntimeException e) {
            ip("link", "del", link);
            throw e;
        }
        return new ExtraAddress(link, InetAddress.getByName(ip));
    }

    public InetAddress address() {
        return address;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        ip("link", "del", link);
    }

    private static void ip(String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("ip"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + out.strip());
        }
    }
}
