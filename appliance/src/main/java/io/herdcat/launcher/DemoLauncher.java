package io.herdcat.launcher;

import io.herdcat.config.ConfigException;
import io.herdcat.config.ConfigSources;
import io.herdcat.config.NodeConfig;
import io.herdcat.config.Setting;
import io.herdcat.privilege.NodePrivileges;
import io.herdcat.privilege.UserAccount;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code herdcat demo}: the seed layout on one host. Two node processes (port offsets N and N+1,
 * names node1 and node2) serve the same webapps folder as one cluster, the elected one runs the HTTP
 * front; their logs are streamed with a prefix; Ctrl-C stops both. A node that is killed leaves the
 * other running (that is the point of the demo); the demo ends when none is left. Started as root, it
 * refuses as a node does, unless {@code --allow-root} or {@code --user} is given.
 */
final class DemoLauncher {
    /** The JVM flags the README recommends for a node; the demo uses them for its children. */
    static final List<String> NODE_JVM_FLAGS = List.of("-XX:+UseSerialGC", "-Xms32m", "-Xmx512m", "-Xss512k");
    private static final int NODES = 2;
    /** The demo's HTTP front, unless --front-port says otherwise. */
    static final int FRONT_PORT = 8000;
    private static final Pattern PORT = Pattern.compile("\"(pid|httpPort|ajpPort|adminPort)\":(\\d+)");

    private final Map<Setting, String> flags;
    private final Path workingDir;
    private final PrintStream out = System.out;
    private volatile boolean stopping;

    DemoLauncher(Map<Setting, String> flags, Path workingDir) {
        this.flags = flags;
        this.workingDir = workingDir;
    }

    int run() {
        List<Map<Setting, String>> nodeFlags = new ArrayList<>();
        Path runDir = tempDir();
        Map<Setting, String> shared = new EnumMap<>(flags);
        shared.putIfAbsent(Setting.FRONT_PORT, Integer.toString(FRONT_PORT));
        shared.putIfAbsent(Setting.CLUSTER_ADDRESS, "127.0.0.1");
        shared.putIfAbsent(Setting.SECRET_FILE, demoSecret(runDir).toString());
        NodeConfig base = checked(shared);
        try {
            NodePrivileges.requireUserOrAllowed(base, NodePrivileges.isRoot());
            if (base.user() != null && NodePrivileges.isRoot()) {
                UserAccount user = UserAccount.lookup(base.user());
                // the nodes write their ready files and discovery entries here once they run as the user
                Files.setAttribute(runDir, "unix:uid", user.uid());
                Files.setAttribute(runDir, "unix:gid", user.gid());
            }
        } catch (ConfigException e) {
            deleteQuietly(runDir);
            throw e;
        } catch (IOException e) {
            deleteQuietly(runDir);
            throw new UncheckedIOException(e);
        }
        int firstOffset = base.portOffset();
        for (int i = 0; i < NODES; i++) {
            Map<Setting, String> f = new EnumMap<>(shared);
            f.put(Setting.NAME, "node" + (i + 1));
            f.put(Setting.PORT_OFFSET, Integer.toString(firstOffset + i));
            f.put(Setting.READY_FILE, runDir.resolve("node" + (i + 1) + ".json").toString());
            f.put(Setting.PARENT_PID, Long.toString(ProcessHandle.current().pid()));
            // both nodes find each other through a folder: works on any host, multicast or not
            f.putIfAbsent(Setting.DISCOVERY_DIR, runDir.resolve("discovery").toString());
            PortCheck.requireFree(checked(f).endpoints());
            nodeFlags.add(f);
        }

        ShutdownSignal shutdown = new ShutdownSignal().onSignals();
        List<Process> nodes = new java.util.concurrent.CopyOnWriteArrayList<>();
        int[] exitCode = {Main.OK};
        for (Map<Setting, String> f : nodeFlags) {
            nodes.add(null);
            supervise(nodes.size() - 1, f, nodes, shutdown, exitCode);
        }
        Thread banner = new Thread(() -> printBannerWhenReady(nodeFlags, nodes), "demo-banner");
        banner.setDaemon(true);
        banner.start();

        try {
            String why = shutdown.await();
            out.println("demo | stopping both nodes (" + why + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        stopping = true;
        stopAll(nodes);
        deleteQuietly(runDir);
        return exitCode[0];
    }

    /**
     * Starts node {@code i} and watches it: started again when it stops for a rolling restart (exit
     * {@link Main#RESTART}), as systemd would; otherwise the other node carries on, or the demo ends.
     */
    private void supervise(int i, Map<Setting, String> flags, List<Process> nodes, ShutdownSignal shutdown,
                           int[] exitCode) {
        Process p = start(flags);
        String name = flags.get(Setting.NAME);
        nodes.set(i, p);
        p.onExit().thenRun(() -> {
            if (p.exitValue() == Main.RESTART && !stopping) {
                out.println("demo | " + name + " stopped for a rolling restart; starting it again");
                supervise(i, flags, nodes, shutdown, exitCode);
            } else if (p.exitValue() == Main.BAD_CONFIG) {
                exitCode[0] = Main.BAD_CONFIG;
                shutdown.trigger(name + " refused its configuration");
            } else if (nodes.stream().noneMatch(Process::isAlive)) {
                shutdown.trigger("no node is left");
            } else if (!stopping) {
                out.println("demo | " + name + " exited (code " + p.exitValue() + "); the other node carries on");
            }
        });
    }

    private NodeConfig checked(Map<Setting, String> nodeFlags) {
        return NodeConfig.from(ConfigSources.gather(nodeFlags, System.getenv(), workingDir), "node", workingDir);
    }

    private Process start(Map<Setting, String> nodeFlags) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(NODE_JVM_FLAGS);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Main.class.getName());
        nodeFlags.forEach((s, v) -> {
            cmd.add(s.flag());
            cmd.add(v);
        });
        String prefix = nodeFlags.get(Setting.NAME) + " | ";
        try {
            Process p = new ProcessBuilder(cmd).directory(workingDir.toFile()).redirectErrorStream(true).start();
            Thread pump = new Thread(() -> pump(p, prefix), prefix.trim() + "-log");
            pump.setDaemon(true);
            pump.start();
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start a node process: " + cmd, e);
        }
    }

    private void pump(Process p, String prefix) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                out.println(prefix + line);
            }
        } catch (IOException e) {
            out.println(prefix + "(log stream closed: " + e.getMessage() + ")");
        }
    }

    private void printBannerWhenReady(List<Map<Setting, String>> nodeFlags, List<Process> nodes) {
        List<Map<String, Integer>> ports = new ArrayList<>();
        try {
            for (Map<Setting, String> f : nodeFlags) {
                Path ready = Path.of(f.get(Setting.READY_FILE));
                while (!Files.exists(ready)) {
                    if (nodes.stream().anyMatch(p -> !p.isAlive())) {
                        return;
                    }
                    Thread.sleep(100);
                }
                ports.add(readPorts(ready));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (IOException e) {
            out.println("demo | cannot read a ready file: " + e.getMessage());
            return;
        }
        StringBuilder b = new StringBuilder("\ndemo | Herdcat demo: two nodes serving ")
                .append(workingDir.resolve(flags.getOrDefault(Setting.WEBAPPS, "webapps")).normalize()).append('\n');
        for (int i = 0; i < NODES; i++) {
            Map<String, Integer> p = ports.get(i);
            b.append(String.format("demo |   %-6s  http://127.0.0.1:%d/session-demo/   AJP %d   admin http://127.0.0.1:%d/status"
                    + "   pid %d%n", nodeFlags.get(i).get(Setting.NAME), p.get("httpPort"), p.get("ajpPort"),
                    p.get("adminPort"), p.get("pid")));
        }
        int http1 = ports.get(0).get("httpPort");
        String front = nodeFlags.get(0).get(Setting.FRONT_PORT);
        b.append("demo |   front   http://127.0.0.1:").append(front)
                .append("/session-demo/   (run by the elected node, forwards over AJP to both)\n")
                .append("demo | Try: open http://127.0.0.1:").append(front).append("/session-demo/, add a value, note the node,")
                .append(" kill -9 that node's pid and reload: another node serves your session. Or\n")
                .append("demo |   curl -c jar.txt -b jar.txt 'http://127.0.0.1:").append(http1)
                .append("/session-demo/session.json?name=color&value=blue'\n")
                .append("demo | Ctrl-C stops both nodes.\n");
        out.println(b);
    }

    private static Map<String, Integer> readPorts(Path ready) throws IOException {
        Map<String, Integer> ports = new HashMap<>();
        Matcher m = PORT.matcher(Files.readString(ready));
        while (m.find()) {
            ports.put(m.group(1), Integer.parseInt(m.group(2)));
        }
        return ports;
    }

    private static void stopAll(List<Process> nodes) {
        nodes.forEach(Process::destroy);
        for (Process p : nodes) {
            try {
                if (!p.waitFor(40, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
            }
        }
    }

    private static void deleteQuietly(Path dir) {
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.deleteIfExists(f);
            }
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            // a temp folder left behind is harmless
        }
    }

    /** A random cluster secret for this demo run: nodes authenticate, encrypt and share the AJP secret. */
    private static Path demoSecret(Path runDir) {
        byte[] random = new byte[24];
        new java.security.SecureRandom().nextBytes(random);
        try {
            return Files.writeString(runDir.resolve("cluster.secret"), java.util.HexFormat.of().formatHex(random));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("herdcat-demo");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
