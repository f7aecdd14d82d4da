package io.herdcat.testing;

import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A herdcat.jar process started the way a user starts it. Captures its output (dumped by
 * {@link DumpOutputOnFailure} when a test fails); {@link #close()} stops it, forcibly if it must.
 */
public final class NodeProcess implements AutoCloseable {
    /** JVM flags for test nodes: small and quick to start. */
    private static final List<String> JVM_FLAGS = List.of("-XX:+UseSerialGC", "-Xmx256m", "-XX:TieredStopAtLevel=1");
    private static final Pattern PORT = Pattern.compile("\"(httpPort|ajpPort|adminPort)\":(\\d+)");
    /** Every process started since the last test ended, closed or not, for the output dump. */
    private static final List<NodeProcess> STARTED = new CopyOnWriteArrayList<>();
    /** One cluster name per test JVM run, so parallel runs never join each other. */
    public static final String CLUSTER = "test-" + Long.toHexString(System.nanoTime());

    private final String label;
    private final Process process;
    private final Path readyFile;
    private final StringBuffer output = new StringBuffer();
    private final Thread pump;
    private String host = "127.0.0.1";
    private int httpPort;
    private int ajpPort;
    private int adminPort;

    private NodeProcess(String label, List<String> command, Path workingDir, Map<String, String> env, Path readyFile)
            throws IOException {
        this.label = label;
        this.readyFile = readyFile;
        ProcessBuilder pb = new ProcessBuilder(command).directory(workingDir.toFile()).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("HERDCAT_"));
        pb.environment().putAll(env);
        this.process = pb.start();
        this.pump = new Thread(this::pumpOutput, "output-" + label);
        pump.setDaemon(true);
        pump.start();
        STARTED.add(this);
    }

    /** Path of the jar under test, set by the failsafe configuration. */
    public static Path jar() {
        return Path.of(System.getProperty("herdcat.jar", "target/herdcat.jar")).toAbsolutePath();
    }

    public static List<String> command(List<String> args) {
        return command(List.of(), args);
    }

    private static List<String> command(List<String> extraJvmFlags, List<String> args) {
        return command(jar(), extraJvmFlags, args);
    }

    private static List<String> command(Path jar, List<String> extraJvmFlags, List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.addAll(JVM_FLAGS);
        if (extraJvmFlags.isEmpty() && jar.equals(jar())) {
            cmd.addAll(TestCds.flags(JVM_FLAGS, jar));
        }
        cmd.addAll(extraJvmFlags);
        cmd.add("-jar");
        cmd.add(jar.toString());
        cmd.addAll(args);
        return cmd;
    }

    /**
     * Starts a node on any free ports, in its own work folder under {@code dir}, serving {@code webapps};
     * {@code extraArgs} come last and may override the defaults.
     */
    public static NodeProcess start(String name, Path dir, Path webapps, String... extraArgs) throws IOException {
        return start(name, dir, webapps, Map.of(), extraArgs);
    }

    /** {@link #start(String, Path, Path, String...)} with these environment variables added. */
    public static NodeProcess start(String name, Path dir, Path webapps, Map<String, String> env, String... extraArgs)
            throws IOException {
        return start(jar(), name, dir, webapps, env, extraArgs);
    }

    /** {@link #start(String, Path, Path, Map, String...)} running another build of the jar. */
    public static NodeProcess start(Path jar, String name, Path dir, Path webapps, Map<String, String> env,
                                    String... extraArgs) throws IOException {
        Path ready = dir.resolve(name + ".ready.json");
        Files.deleteIfExists(ready);
        return new NodeProcess(name, command(jar, List.of(), nodeArgs(name, dir, webapps, ready, discoveryFolder(dir),
                extraArgs)), dir, env, ready);
    }

    /**
     * {@link #start(String, Path, Path, String...)} finding the other nodes at {@code peers} (host:port of
     * their JGroups ports) instead of through a discovery folder, with JGroups on {@code jgroupsPort}.
     */
    public static NodeProcess startWithPeers(String name, Path dir, Path webapps, int jgroupsPort, List<String> peers,
                                             String... extraArgs) throws IOException {
        Path ready = dir.resolve(name + ".ready.json");
        Files.deleteIfExists(ready);
        List<String> discovery = List.of("--peers", String.join(",", peers), "--jgroups-port", Integer.toString(jgroupsPort));
        return new NodeProcess(name, command(jar(), List.of(), nodeArgs(name, dir, webapps, ready, discovery, extraArgs)),
                dir, Map.of(), ready);
    }

    private static List<String> discoveryFolder(Path dir) {
        return List.of("--discovery-dir", dir.resolve("discovery").toString(), "--jgroups-port", "0");
    }

    /**
     * {@link #start(Path, String, Path, Path, Map, String...)} under a supervisor that starts the node
     * again, from {@code jar} as it then is, whenever it exits with 75 (a rolling restart), as systemd's
     * {@code Restart=on-failure} does. {@link #close()} ends both.
     */
    public static NodeProcess startSupervised(Path jar, String name, Path dir, Path webapps, String... extraArgs)
            throws IOException {
        Path ready = dir.resolve(name + ".ready.json");
        Files.deleteIfExists(ready);
        List<String> cmd = new ArrayList<>(List.of("sh", "-c",
                "while :; do \"$@\"; s=$?; [ $s -eq 75 ] || exit $s; done", "sh"));
        cmd.addAll(command(jar, List.of(), nodeArgs(name, dir, webapps, ready, discoveryFolder(dir), extraArgs)));
        return new NodeProcess(name, cmd, dir, Map.of(), ready);
    }

    private static List<String> nodeArgs(String name, Path dir, Path webapps, Path ready, List<String> discovery,
                                         String... extraArgs) {
        List<String> args = new ArrayList<>(List.of("--name", name, "--webapps", webapps.toString(),
                "--work-dir", dir.resolve("work-" + name).toString(), "--ready-file", ready.toString(),
                "--http-port", "0", "--ajp-port", "0", "--admin-port", "0", "--deploy-scan-interval", "1s",
                "--cluster", CLUSTER, "--tribes-port", "0", "--front-port", "0", "--front-address", "127.0.0.1"));
        args.addAll(discovery);
        args.addAll(rootArgs(extraArgs));
        args.addAll(List.of(extraArgs));
        return args;
    }

    /**
     * Starts a node inside network namespace {@code netns} ({@code ip netns exec}; needs root) with its
     * cluster, HTTP and admin endpoints on {@code address}, which the test reaches through the
     * namespaces' bridge. No discovery folder: give {@code --peers} (and a secret) in {@code extraArgs}.
     */
    public static NodeProcess startInNamespace(String netns, String address, String name, Path dir, Path webapps,
                                               String... extraArgs) throws IOException {
        return startInNamespace(List.of(), netns, address, name, dir, webapps, extraArgs);
    }

    /** {@link #startInNamespace(String, String, String, Path, Path, String...)} with java run by {@code launcher}. */
    public static NodeProcess startInNamespace(List<String> launcher, String netns, String address, String name, Path dir,
                                               Path webapps, String... extraArgs) throws IOException {
        Path ready = dir.resolve(name + ".ready.json");
        Files.deleteIfExists(ready);
        List<String> args = new ArrayList<>(List.of("--name", name, "--webapps", webapps.toString(),
                "--work-dir", dir.resolve("work-" + name).toString(), "--ready-file", ready.toString(),
                "--http-port", "0", "--ajp-port", "0", "--admin-port", "0", "--admin-address", address,
                "--cluster", CLUSTER, "--cluster-address", address, "--tribes-port", "0",
                "--front-port", "0", "--front-address", "127.0.0.1"));
        args.addAll(rootArgs(extraArgs));
        args.addAll(List.of(extraArgs));
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", netns));
        cmd.addAll(launcher);
        cmd.addAll(command(args));
        NodeProcess node = new NodeProcess(name, cmd, dir, Map.of(), ready);
        node.host = address;
        return node;
    }

    /**
     * A node started as root refuses to run without {@code --user}: tests that run as root and give no
     * user let it run as root.
     */
    private static List<String> rootArgs(String... extraArgs) {
        boolean root = TestEnvironment.isRoot();
        return root && !List.of(extraArgs).contains("--user") ? List.of("--allow-root", "true") : List.of();
    }

    /** Runs the jar with exactly these arguments (no defaults added). */
    public static NodeProcess exec(String label, Path workingDir, Map<String, String> env, List<String> args)
            throws IOException {
        return new NodeProcess(label, command(args), workingDir, env, null);
    }

    /** Runs exactly {@code command} (which starts the jar some way of its own), as a node process. */
    public static NodeProcess run(String label, List<String> command, Path workingDir, Map<String, String> env)
            throws IOException {
        return new NodeProcess(label, command, workingDir, env, null);
    }

    /** Runs the jar with these extra JVM flags and exactly these arguments. */
    public static NodeProcess execWithJvmFlags(String label, Path workingDir, List<String> jvmFlags, List<String> args)
            throws IOException {
        return new NodeProcess(label, command(jvmFlags, args), workingDir, Map.of(), null);
    }

    /** Waits for the ready file and reads the ports back from it. */
    public NodeProcess awaitReady() {
        await("node " + label + " ready").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                .until(() -> {
                    if (!process.isAlive()) {
                        throw new AssertionError("node " + label + " exited with " + process.exitValue()
                                + " before it was ready:\n" + output);
                    }
                    return Files.exists(readyFile);
                });
        try {
            Matcher m = PORT.matcher(Files.readString(readyFile));
            while (m.find()) {
                int port = Integer.parseInt(m.group(2));
                switch (m.group(1)) {
                    case "httpPort" -> httpPort = port;
                    case "ajpPort" -> ajpPort = port;
                    default -> adminPort = port;
                }
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return this;
    }

    public int httpPort() {
        return httpPort;
    }

    public int ajpPort() {
        return ajpPort;
    }

    public int adminPort() {
        return adminPort;
    }

    public String httpUrl(String path) {
        return "http://" + host + ":" + httpPort + path;
    }

    public String adminUrl(String path) {
        return "http://" + host + ":" + adminPort + path;
    }

    public long pid() {
        return process.pid();
    }

    public String output() {
        return output.toString();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** SIGTERM. */
    public void terminate() {
        process.destroy();
    }

    /** Waits for the process to exit and for its output to be read; returns the exit code. */
    public int awaitExit(Duration atMost) throws InterruptedException {
        if (!process.waitFor(atMost.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("node " + label + " still running after " + atMost + ":\n" + output);
        }
        pump.join(5_000);
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        // taken first: once the process is gone, its children (a supervised node's java) belong to init
        List<ProcessHandle> children = process.descendants().toList();
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        children.forEach(ProcessHandle::destroyForcibly);
    }

    /** The processes started since the last call, which forgets them. */
    static List<NodeProcess> drainStarted() {
        List<NodeProcess> started = List.copyOf(STARTED);
        STARTED.removeAll(started);
        return started;
    }

    String label() {
        return label;
    }

    private void pumpOutput() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                output.append(line).append('\n');
            }
        } catch (IOException e) {
            output.append("(output closed: ").append(e.getMessage()).append(")\n");
        }
    }
}
