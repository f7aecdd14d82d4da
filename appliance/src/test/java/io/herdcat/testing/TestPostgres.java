package io.herdcat.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A private PostgreSQL server of the Debian {@code postgresql} package for one test: its own cluster
 * (initdb) in a temporary folder, listening on 127.0.0.1 at a free port and with its socket in that
 * folder, password (SCRAM) authentication for {@link #USER}. PostgreSQL refuses to run as root, so a
 * test run as root runs it as the package's {@code postgres} user. {@link #close()} stops it (fast
 * shutdown) and deletes the folder.
 */
public final class TestPostgres implements AutoCloseable {
    public static final String USER = "herdcat";
    private static final String OS_USER = "postgres";

    private final Path base;
    private final Path bin;
    private final int port;
    private final String password;
    private final Process server;

    private TestPostgres(Path base, Path bin, int port, String password, Process server) {
        this.base = base;
        this.bin = bin;
        this.port = port;
        this.password = password;
        this.server = server;
    }

    /** Creates the cluster and starts the server; returns once it accepts {@link #USER} with {@code password}. */
    public static TestPostgres start(String password) throws IOException, InterruptedException {
        Path bin = binaries();
        Path base = Files.createTempDirectory("herdcat-pg");
        if (TestEnvironment.isRoot()) {
            UserPrincipal postgres = base.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(OS_USER);
            Files.setOwner(base, postgres);
        }
        Path pwFile = base.resolve("pw");
        Files.writeString(pwFile, password + "\n");
        if (TestEnvironment.isRoot()) {
            Files.setOwner(pwFile, Files.getOwner(base));
        }
        run(base, asPostgres(bin.resolve("initdb").toString(), "-D", base.resolve("data").toString(), "-U", USER,
                "--pwfile=" + pwFile, "-A", "scram-sha-256", "-E", "UTF8", "--no-sync"));
        Files.delete(pwFile);
        int port = freePort();
        ProcessBuilder pb = new ProcessBuilder(asPostgres(bin.resolve("postgres").toString(), "-D",
                base.resolve("data").toString(), "-p", Integer.toString(port), "-k", base.toString(),
                "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "max_connections=60"))
                .redirectErrorStream(true).redirectOutput(base.resolve("postgres.log").toFile());
        TestPostgres pg = new TestPostgres(base, bin, port, password, pb.start());
        try {
            await("PostgreSQL accepting connections on port " + port).atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                    .until(() -> {
                        if (!pg.server.isAlive()) {
                            throw new AssertionError("postgres exited: " + pg.log());
                        }
                        try (Connection c = pg.connect()) {
                            return c.isValid(5);
                        }
                    });
        } catch (RuntimeException | AssertionError e) {
            pg.close();
            throw e;
        }
        return pg;
    }

    /** The JDBC URL of the server's {@code postgres} database. */
    public String url() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(url(), USER, password);
    }

    /** The server's own log, for failure messages. */
    public String log() {
        try {
            return Files.readString(base.resolve("postgres.log"));
        } catch (IOException e) {
            return "<no log: " + e + ">";
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        try {
            if (server.isAlive()) {
                new ProcessBuilder(asPostgres(bin.resolve("pg_ctl").toString(), "stop", "-m", "fast", "-D",
                        base.resolve("data").toString())).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(60, TimeUnit.SECONDS);
                if (!server.waitFor(30, TimeUnit.SECONDS)) {
                    server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            }
        } finally {
            try (Stream<Path> files = Files.walk(base)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private static Path binaries() throws IOException {
        Path root = Path.of("/usr/lib/postgresql");
        List<Path> versions = new ArrayList<>();
        if (Files.isDirectory(root)) {
            try (Stream<Path> dirs = Files.list(root)) {
                dirs.filter(d -> Files.isExecutable(d.resolve("bin/postgres"))).forEach(versions::add);
            }
        }
        TestEnvironment.require(!versions.isEmpty(), "herdcat.tests.skipPostgres",
                "PostgreSQL is not installed (apt-get install postgresql)");
        versions.sort(Comparator.comparing(d -> Integer.parseInt(d.getFileName().toString().replaceAll("\\D", "0"))));
        return versions.get(versions.size() - 1).resolve("bin");
    }

    /** The command, run as the postgres user when this test runs as root (setpriv execs it: the pid is the server's). */
    private static List<String> asPostgres(String... command) {
        List<String> cmd = new ArrayList<>();
        if (TestEnvironment.isRoot()) {
            cmd.addAll(List.of("setpriv", "--reuid=" + OS_USER, "--regid=" + OS_USER, "--clear-groups", "--"));
        }
        cmd.addAll(List.of(command));
        return cmd;
    }

    private static void run(Path dir, List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + output);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
