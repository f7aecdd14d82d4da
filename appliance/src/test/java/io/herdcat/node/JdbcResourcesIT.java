package io.herdcat.node;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.herdcat.testing.Args;
import io.herdcat.testing.Cluster;
import io.herdcat.testing.DumpOutputOnFailure;
import io.herdcat.testing.FreePorts;
import io.herdcat.testing.Http;
import io.herdcat.testing.JdbcWar;
import io.herdcat.testing.NodeProcess;
import io.herdcat.testing.TestPostgres;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A webapp written for Tomcat, with a DataSource in its own context.xml and a ResourceLink to a global
 * one, runs unchanged on two nodes against a real PostgreSQL: the JDBC driver comes only from the nodes'
 * lib.dir (herdcat.jar has none), the global DataSource from a whole server.xml given as resources.file.
 * Under write load through the front, one node is killed with kill -9. Asserted:
 * <ul>
 *   <li>every write whose "written" answer reached the client is in the database: a node answers only
 *       after its INSERT committed (auto-commit), so an acknowledged write that is missing would be a
 *       write the front or the node made up;</li>
 *   <li>the load goes on through the survivor: writes started after the killed process is gone are all
 *       acknowledged, by the survivor;</li>
 *   <li>the only requests allowed to fail are those in flight when the node died (started before its
 *       exit was seen), at most one per client; the front retries a small POST on the survivor, and a write
 *       the dead node had committed is not doubled (the id is the key, a repeat is a no-op);</li>
 *   <li>webapp code that calls DriverManager itself finds lib.dir's driver too;</li>
 *   <li>both DataSources are Tomcat's pool (BasicDataSource, no factory given), and the database password
 *       appears neither in the nodes' output nor on /status.</li>
 * </ul>
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
@ExtendWith(DumpOutputOnFailure.class)
class JdbcResourcesIT {
    private static final int CLIENTS = 6;
    private static final String DB_PASSWORD = "db-pw-7Hq2-never-logged";
    private static final String POOL = "org.apache.tomcat.dbcp.dbcp2.BasicDataSource";
    private static final Pattern WRITTEN = Pattern.compile("written (\\d+) via=(own|global) node=(\\w+)");

    @TempDir
    Path dir;

    /** One write request of the load: its id, whether it began after the kill was complete, and what came back. */
    private record Outcome(long id, boolean startedAfterKill, String node, String failure) {
    }

    @Test
    void webappWritesThroughItsOwnAndAGlobalDataSourceAndEveryAcknowledgedWriteSurvivesAKill() throws Exception {
        try (TestPostgres pg = TestPostgres.start(DB_PASSWORD)) {
            try (Connection c = pg.connect(); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE " + JdbcWar.TABLE + " (id bigint PRIMARY KEY, via text NOT NULL, node text NOT NULL)");
            }
            Path lib = Files.createDirectories(dir.resolve("lib"));
            Files.copy(Path.of(org.postgresql.Driver.class.getProtectionDomain().getCodeSource().getLocation().toURI()),
                    lib.resolve("postgresql.jar"));
            Path serverXml = writeServerXml(pg.url());
            Path webapps = Cluster.prepare(dir);
            JdbcWar.drop(webapps, "jdbc.war", pg.url(), TestPostgres.USER, DB_PASSWORD);
            int frontPort = FreePorts.offsetWhereFree(1, 0);
            String[] args = Args.with(Cluster.frontArgs(dir, frontPort), "--access-log", "false",
                    "--lib-dir", lib.toString(), "--resources-file", serverXml.toString());
            try (NodeProcess a = Cluster.start("a", dir, Args.with(args, "--dispatcher", "always")).awaitReady();
                 NodeProcess b = Cluster.start("b", dir, Args.with(args, "--dispatcher", "never")).awaitReady()) {
                Cluster.awaitReadyNodes(a, 2);
                for (NodeProcess node : List.of(a, b)) {
                    for (String via : List.of("own", "global")) {
                        Http.Response r = Http.get(node.httpUrl("/jdbc/read.jsp?via=" + via));
                        assertEquals(200, r.status(), via + " on " + node.httpUrl("") + ": " + r.body());
                        assertEquals("rows=0 class=" + POOL, r.body().strip(), via + " DataSource is Tomcat's pool");
                    }
                }
                Http.Response direct = Http.get(a.httpUrl("/jdbc/direct.jsp"));
                assertEquals("direct=org.postgresql.Driver", direct.body().strip(),
                        "DriverManager finds lib.dir's driver for webapp code: " + direct.body());
                String front = "http://127.0.0.1:" + frontPort + "/jdbc/";
                await("the front serves the webapp").atMost(Duration.ofSeconds(30))
                        .until(() -> Http.status(front + "read.jsp?via=own") == 200);

                List<Outcome> outcomes = new CopyOnWriteArrayList<>();
                AtomicLong ids = new AtomicLong();
                AtomicBoolean killed = new AtomicBoolean();
                AtomicBoolean stop = new AtomicBoolean();
                ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
                List<Future<?>> running = new ArrayList<>();
                for (int i = 0; i < CLIENTS; i++) {
                    running.add(clients.submit(() -> load(front + "write.jsp", ids, killed, stop, outcomes)));
                }
                try {
                    await("b acknowledged writes").atMost(Duration.ofSeconds(60))
                            .until(() -> count(outcomes, o -> "b".equals(o.node())) >= 40);
                    ProcessHandle bProcess = ProcessHandle.of(b.pid()).orElseThrow();
                    bProcess.destroyForcibly();
                    bProcess.onExit().get(30, TimeUnit.SECONDS);
                    killed.set(true);
                    await("a acknowledged writes after the kill").atMost(Duration.ofSeconds(60))
                            .until(() -> count(outcomes, o -> o.startedAfterKill() && "a".equals(o.node())) >= 40);
                } finally {
                    stop.set(true);
                    for (Future<?> f : running) {
                        f.get(60, TimeUnit.SECONDS);
                    }
                    clients.shutdown();
                }

                Set<Long> inDatabase = idsIn(pg);
                List<Outcome> acknowledged = outcomes.stream().filter(o -> o.node() != null).toList();
                List<Long> lost = acknowledged.stream().map(Outcome::id).filter(id -> !inDatabase.contains(id)).toList();
                assertEquals(List.of(), lost, "acknowledged writes missing from the database");
                assertTrue(acknowledged.size() >= 80, "steady load: " + acknowledged.size() + " writes");

                List<Outcome> failed = outcomes.stream().filter(o -> o.failure() != null).toList();
                assertTrue(failed.stream().noneMatch(Outcome::startedAfterKill),
                        "writes begun after b was gone failed: " + failed);
                assertTrue(failed.size() <= CLIENTS, "more failures than requests in flight at the kill: " + failed);
                assertTrue(acknowledged.stream().filter(Outcome::startedAfterKill).allMatch(o -> "a".equals(o.node())),
                        "after the kill only a answers");

                for (String via : List.of("own", "global")) {
                    Http.Response r = Http.get(front + "read.jsp?via=" + via);
                    long rows = Long.parseLong(r.body().strip().replaceAll("rows=(\\d+) .*", "$1"));
                    long acked = acknowledged.stream().filter(o -> o.id() % 2 == (via.equals("own") ? 0 : 1)).count();
                    assertTrue(rows >= acked, via + ": the webapp reads back " + rows + " rows, " + acked + " acknowledged");
                }
                String status = Cluster.status(a);
                assertFalse(status.contains(DB_PASSWORD), "/status shows the password");
                assertFalse(a.output().contains(DB_PASSWORD), "a's log shows the password");
                assertFalse(b.output().contains(DB_PASSWORD), "b's log shows the password");
                assertTrue(a.output().contains("global Resource jdbc/shared (javax.sql.DataSource)"), "a names its global");
            }
        }
    }

    /** A whole server.xml, as an operator has it; only its GlobalNamingResources are read. */
    private Path writeServerXml(String url) throws Exception {
        Path file = dir.resolve("server.xml");
        Files.writeString(file, """
                <?xml version="1.0" encoding="UTF-8"?>
                <Server port="8005" shutdown="SHUTDOWN">
                  <GlobalNamingResources>
                    <Resource name="jdbc/shared" auth="Container" type="javax.sql.DataSource"
                              driverClassName="org.postgresql.Driver" url="%s"
                              username="%s" password="%s" initialSize="2" maxTotal="8" maxWaitMillis="10000"/>
                  </GlobalNamingResources>
                  <Service name="Catalina">
                    <Connector port="8009" protocol="AJP/1.3" secretRequired="false"/>
                    <Engine name="Catalina" defaultHost="localhost">
                      <Host name="localhost" appBase="webapps"/>
                    </Engine>
                  </Service>
                </Server>
                """.formatted(url, TestPostgres.USER, DB_PASSWORD));
        return file;
    }

    private static void load(String url, AtomicLong ids, AtomicBoolean killed, AtomicBoolean stop, List<Outcome> outcomes) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        while (!stop.get()) {
            long id = ids.incrementAndGet();
            String via = id % 2 == 0 ? "own" : "global";
            boolean afterKill = killed.get();
            HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("via=" + via + "&id=" + id)).build();
            try {
                HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
                Matcher m = WRITTEN.matcher(r.body());
                if (r.statusCode() == 200 && m.find() && m.group(1).equals(Long.toString(id))) {
                    outcomes.add(new Outcome(id, afterKill, m.group(3), null));
                } else {
                    outcomes.add(new Outcome(id, afterKill, null, "status " + r.statusCode() + ": " + r.body().strip()));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                outcomes.add(new Outcome(id, afterKill, null, e.toString()));
            }
        }
    }

    private static long count(List<Outcome> outcomes, java.util.function.Predicate<Outcome> which) {
        return outcomes.stream().filter(which).count();
    }

    private static Set<Long> idsIn(TestPostgres pg) throws Exception {
        Set<Long> ids = new HashSet<>();
        try (Connection c = pg.connect(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT id FROM " + JdbcWar.TABLE)) {
            while (r.next()) {
                ids.add(r.getLong(1));
            }
        }
        return ids;
    }
}
