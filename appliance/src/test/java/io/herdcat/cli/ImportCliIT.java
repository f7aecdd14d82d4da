package io.herdcat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code herdcat import} as an operator runs it: printed, written with --out, and refused with exit 2. */
class ImportCliIT {
    private static final String WORKERS = """
            worker.list=lb,status
            worker.node1.port=8109
            worker.node1.secret=not-on-stderr
            worker.node2.port=8209
            worker.node2.socket_timeout=20
            worker.lb.type=lb
            worker.lb.balance_workers=node1,node2
            worker.status.type=status
            """;

    @TempDir
    Path dir;

    @Test
    void printsEachNodesFileAndListsWhatWasNotImportedOnStderr() throws Exception {
        Files.writeString(dir.resolve("workers.properties"), WORKERS);
        CliRun run = CliRun.herdcat(dir, Map.of(), "import", "workers.properties");
        assertEquals(0, run.code(), run.toString());
        assertTrue(run.out().contains("# ==> node1.properties <==\n"), run.toString());
        assertTrue(run.out().contains("\najp.port=8209\n"), run.toString());
        assertTrue(run.err().contains("herdcat import: not imported: node2: workers.properties:5: "
                + "worker.node2.socket_timeout=20 -- "), run.toString());
        assertTrue(run.err().contains("workers.properties:1: status worker status -- "), run.toString());
        assertTrue(!run.err().contains("not-on-stderr"), "secrets stay off stderr: " + run);
    }

    @Test
    void writesOneFilePerNodeWithOut() throws Exception {
        Files.writeString(dir.resolve("workers.properties"), WORKERS);
        CliRun run = CliRun.herdcat(dir, Map.of(), "import", "workers.properties", "--out", "conf");
        assertEquals(0, run.code(), run.toString());
        assertEquals("", run.out());
        assertTrue(Files.readString(dir.resolve("conf/node1.properties")).contains("\nname=node1\n"));
        assertTrue(Files.readString(dir.resolve("conf/node2.properties")).contains("\najp.port=8209\n"));
        CliRun node = CliRun.herdcat(dir, Map.of(), "--help");
        assertTrue(node.out().contains("import"), "import is listed among the commands: " + node);
    }

    @Test
    void anUnparsableFileExitsWithTwoNamingTheLine() throws Exception {
        Files.writeString(dir.resolve("workers.properties"), WORKERS.replace("worker.node2.port=8209",
                "worker.node2.port 8209"));
        CliRun run = CliRun.herdcat(dir, Map.of(), "import", "workers.properties");
        assertEquals(2, run.code(), run.toString());
        assertEquals("herdcat: workers.properties:4: 'worker.node2.port 8209' is not KEY=VALUE", run.err().strip());

        Files.writeString(dir.resolve("workers.properties"), WORKERS.replace("node1,node2", "node1,node3"));
        run = CliRun.herdcat(dir, Map.of(), "import", "workers.properties");
        assertEquals(2, run.code(), run.toString());
        assertTrue(run.err().contains("names unknown worker 'node3'"), run.toString());
    }
}
