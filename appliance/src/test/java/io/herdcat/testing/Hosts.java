package io.herdcat.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Several "hosts" on this machine: one network namespace each, on a bridge of their own, with an
 * address in a /28 of 198.51.100.0/24 picked per run (so parallel runs do not collide); the root
 * namespace gets an address on the bridge to reach them. {@link #cut} partitions hosts from each
 * other with blackhole routes while the test still reaches all of them; {@link #heal} undoes it.
 * {@link #addClient} adds a namespace that only has an address on the bridge, for a client that knows
 * nothing but the address it is given; {@link #spareAddress} is an address of the /28 that no host has.
 * Needs root; {@link #close()} deletes everything.
 */
public final class Hosts implements AutoCloseable {
    private final String id = HexFormat.of().formatHex(new SecureRandom().generateSeed(3));
    private final int base = 16 * (1 + new SecureRandom().nextInt(14));
    private final String bridge = "hcb" + id;
    private final List<String> namespaces = new ArrayList<>();
    private final List<String> cuts = new ArrayList<>();
    private int clients;

    public Hosts(int count) throws IOException, InterruptedException {
        try {
            run("ip", "link", "add", bridge, "type", "bridge");
            run("ip", "addr", "add", "198.51.100." + (base + 14) + "/28", "dev", bridge);
            run("ip", "link", "set", bridge, "up");
            for (int i = 0; i < count; i++) {
                String ns = "hc" + id + "n" + i;
                String veth = "hcv" + id + i;
                run("ip", "netns", "add", ns);
                namespaces.add(ns);
                run("ip", "link", "add", veth, "type", "veth", "peer", "name", "eth0", "netns", ns);
                run("ip", "link", "set", veth, "master", bridge, "up");
                run("ip", "-n", ns, "addr", "add", address(i) + "/28", "dev", "eth0");
                run("ip", "-n", ns, "link", "set", "eth0", "up");
                run("ip", "-n", ns, "link", "set", "lo", "up");
            }
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /** True when this process may create namespaces. */
    public static boolean available() {
        return "root".equals(System.getProperty("user.name"));
    }

    public String namespace(int host) {
        return namespaces.get(host);
    }

    public String address(int host) {
        return "198.51.100." + (base + 1 + host);
    }

    /**
     * Adds a client namespace with only an address on the bridge (no other routes) and returns its name;
     * at most one per {@code Hosts}.
     */
    public String addClient() throws IOException, InterruptedException {
        if (clients > 0) {
            throw new IllegalStateException("one client namespace per Hosts");
        }
        String ns = "hc" + id + "cl";
        String veth = "hcv" + id + "c";
        run("ip", "netns", "add", ns);
        namespaces.add(ns);
        clients++;
        run("ip", "link", "add", veth, "type", "veth", "peer", "name", "eth0", "netns", ns);
        run("ip", "link", "set", veth, "master", bridge, "up");
        run("ip", "-n", ns, "addr", "add", "198.51.100." + (base + 13) + "/28", "dev", "eth0");
        run("ip", "-n", ns, "link", "set", "eth0", "up");
        run("ip", "-n", ns, "link", "set", "lo", "up");
        return ns;
    }

    /** An address of the hosts' /28 that neither a host, the client nor the test holds (for a VIP). */
    public String spareAddress() {
        return "198.51.100." + (base + 12);
    }

    /** The hosts (not the client) that have {@code address} on their interface. */
    public List<Integer> holders(String address) throws IOException, InterruptedException {
        List<Integer> holders = new ArrayList<>();
        for (int i = 0; i < namespaces.size() - clients; i++) {
            Process p = new ProcessBuilder("ip", "-n", namespaces.get(i), "-o", "addr", "show", "dev", "eth0")
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException("ip addr show in " + namespaces.get(i) + " failed: " + out);
            }
            if (out.contains(" " + address + "/")) {
                holders.add(i);
            }
        }
        return holders;
    }

    /** Hosts in {@code side} no longer reach the other hosts, nor they them; the test reaches all. */
    public void cut(List<Integer> side) throws IOException, InterruptedException {
        for (int i = 0; i < namespaces.size() - clients; i++) {
            for (int j = 0; j < namespaces.size() - clients; j++) {
                if (side.contains(i) != side.contains(j)) {
                    run("ip", "-n", namespaces.get(i), "route", "add", "blackhole", address(j) + "/32");
                    cuts.add(i + ":" + j);
                }
            }
        }
    }

    public void heal() throws IOException, InterruptedException {
        for (String c : List.copyOf(cuts)) {
            int i = Integer.parseInt(c.split(":")[0]);
            int j = Integer.parseInt(c.split(":")[1]);
            run("ip", "-n", namespaces.get(i), "route", "del", "blackhole", address(j) + "/32");
            cuts.remove(c);
        }
    }

    @Override
    public void close() {
        for (String ns : namespaces) {
            quietly("ip", "netns", "del", ns);
        }
        quietly("ip", "link", "del", bridge);
    }

    private static void quietly(String... cmd) {
        try {
            run(cmd);
        } catch (IOException | RuntimeException e) {
            // already gone
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed: " + out);
        }
    }
}
