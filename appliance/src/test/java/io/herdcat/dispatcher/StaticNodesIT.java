package io.herdcat.dispatcher;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.herdcat.testing.Cluster;
import io.herdcat.testing.DumpOutputOnFailure;
import io.herdcat.testing.FreePorts;
import io.herdcat.testing.Http;
import io.herdcat.testing.NodeProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The front forwards to plain Tomcats listed in front.nodes as well as to the cluster's nodes, like mod_jk. */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
@ExtendWith(DumpOutputOnFailure.class)
class StaticNodesIT {
    @TempDir
    Path dir;

    @Test
    void plainTomcatsListedInFrontNodesShareTheTrafficAndKeepTheirSessions() throws Exception {
        Cluster.prepare(dir);
        int frontPort = FreePorts.offsetWhereFree(1, 0);
        try (TestBackend plain = new TestBackend("plain").start(0);
             NodeProcess a = Cluster.start("a", dir, "--front-port", Integer.toString(frontPort), "--front-address",
                     "127.0.0.1", "--dispatcher", "always", "--ajp-secret", TestBackend.SECRET,
                     "--front-nodes", "plain=127.0.0.1:" + plain.port()).awaitReady()) {
            String front = "http://127.0.0.1:" + frontPort + "/session-demo/hello";
            await().atMost(Duration.ofSeconds(20)).until(() -> Http.status(front) == 200);
            Set<String> answers = new HashSet<>();
            for (int i = 0; i < 10; i++) {
                String body = Http.get(front).body();
                answers.add(body.startsWith("plain") ? "plain" : body.trim().equals("Hello from a") ? "a" : body);
            }
            assertEquals(Set.of("a", "plain"), answers, "new requests go to the node and to the plain Tomcat");
            for (int i = 0; i < 5; i++) {
                assertTrue(Http.get(front, "0123456789ABCDEF.plain").body().startsWith("plain "),
                        "a session of the plain Tomcat stays there");
            }
        }
    }
}
