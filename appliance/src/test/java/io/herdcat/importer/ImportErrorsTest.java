package io.herdcat.importer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.herdcat.config.ConfigException;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A file the import cannot use is one line naming the file, the line and what is wrong. */
class ImportErrorsTest {
    private static final String LB = """
            worker.list=lb
            worker.a.port=8109
            worker.lb.type=lb
            worker.lb.balance_workers=a
            """;

    @TempDir
    Path dir;
    private ImportFixture fx;

    @BeforeEach
    void fixture() throws IOException {
        fx = new ImportFixture(dir);
    }

    private String workersError(String workers) {
        return assertThrows(ConfigException.class, () -> fx.importWorkers(workers)).getMessage();
    }

    @Test
    void aLineWithoutEqualsNamesItsLine() {
        assertEquals("workers.properties:3: 'worker.a.host 10.0.0.1' is not KEY=VALUE",
                workersError("# comment\nworker.list=a\nworker.a.host 10.0.0.1\n"));
    }

    @Test
    void anAttributeModJkDoesNotKnowNamesItsLine() {
        assertEquals("workers.properties:2: 'worker.a.prot': mod_jk has no worker attribute 'prot'",
                workersError("worker.list=a\nworker.a.prot=8009\n"));
    }

    @Test
    void unknownWorkersAreNamed() {
        assertEquals("workers.properties:1: worker.list names unknown worker 'lbb' (defined: a, lb)",
                workersError(LB.replace("worker.list=lb", "worker.list=lbb")));
        assertEquals("workers.properties:5: worker.lb.balance_workers names unknown worker 'b' (defined: a, lb)",
                workersError(LB + "worker.lb.balance_workers=b\n"));
        assertEquals("workers.properties:5: worker.a.reference names unknown worker 'worker.tmpl'",
                workersError(LB + "worker.a.reference=worker.tmpl\n"));
    }

    @Test
    void aMountToAnUnknownWorkerIsNamed() throws IOException {
        Path workers = fx.write("workers.properties", LB);
        Path map = fx.write("uriworkermap.properties", "/app/*=lb\n/other/*=balancer\n");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigImport.run(workers, map, null, false));
        assertEquals("uriworkermap.properties:2: the mount /other/*=balancer names unknown worker 'balancer' "
                + "(defined: a, lb)", e.getMessage());
        Path bad = fx.write("bad.properties", "/app/*=lb\n\n/broken\n");
        e = assertThrows(ConfigException.class, () -> ConfigImport.run(workers, bad, null, false));
        assertEquals("bad.properties:3: '/broken' is not PATTERN=WORKER", e.getMessage());
    }

    @Test
    void aWorkersFileWithoutWorkerListIsRefused() {
        assertEquals("workers.properties: has no worker.list: mod_jk would use none of its workers",
                workersError("worker.a.port=8009\n"));
    }

    @Test
    void brokenXmlNamesItsLine() throws IOException {
        Path workers = fx.write("workers.properties", LB);
        Path xml = fx.write("server.xml", "<Server>\n  <Service name=\"Catalina\">\n    <Connector port=8009/>\n");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigImport.run(workers, null, xml, false));
        assertEquals("server.xml:3: ", e.getMessage().substring(0, "server.xml:3: ".length()));
    }

    @Test
    void aJvmRouteNoWorkerHasIsNamed() throws IOException {
        Path workers = fx.write("workers.properties", LB);
        Path xml = fx.write("server.xml", """
                <Server port="-1">
                  <Service name="Catalina">
                    <Engine name="Catalina" defaultHost="localhost" jvmRoute="b">
                    </Engine>
                  </Service>
                </Server>
                """);
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigImport.run(workers, null, xml, false));
        assertEquals("server.xml:3: jvmRoute 'b' is the route of no worker in the workers file (routes: a)",
                e.getMessage());
    }
}
