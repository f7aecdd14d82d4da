package io.herdcat.upgrade;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.herdcat.cluster.ClusterView;
import io.herdcat.cluster.NodeRecord;
import io.herdcat.config.Activation;
import io.herdcat.config.DispatcherMode;
import io.herdcat.upgrade.UpgradeMessage.Chunk;
import io.herdcat.upgrade.UpgradeStatus.NodeProgress;
import io.herdcat.upgrade.UpgradeStatus.State;
import io.herdcat.upgrade.UpgradeStatus.Step;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The upgrade's messages read back as written; the plan puts the front's node last; health paths. */
class UpgradeMessageTest {
    private static UpgradeMessage roundTrip(UpgradeMessage m) throws IOException {
        return UpgradeMessage.decode(UpgradeMessage.encode(m));
    }

    @Test
    void everyMessageReadsBackAsWritten() throws IOException {
        List<UpgradeMessage> all = List.of(
                new UpgradeMessage.Begin("u1", "shop.war", "ab12", 1234, "/health"),
                new UpgradeMessage.End("u1"),
                new UpgradeMessage.Staged("u1", "web1", false, "disk full", "host:/srv/webapps"),
                new UpgradeMessage.Deploy("u1", "health"),
                new UpgradeMessage.Revert("u1", ""),
                new UpgradeMessage.Progress("u1", "web2", Step.CHECKING),
                new UpgradeMessage.Result("u1", "web2", false, true, "health check /shop/ answered 500"),
                new UpgradeMessage.StatusMsg(new UpgradeStatus("u1", State.ROLLED_BACK, "shop.war", "/shop", "ab12",
                        "web1", 10, 20, "went back", List.of(new NodeProgress("web1", Step.DONE, 11, ""),
                        new NodeProgress("web2", Step.ROLLED_BACK, 12, "answered 500")))));
        for (UpgradeMessage m : all) {
            assertEquals(m, roundTrip(m));
        }
        Chunk chunk = (Chunk) roundTrip(new Chunk("u1", 65536, "bytes".getBytes(StandardCharsets.UTF_8)));
        assertEquals(65536, chunk.offset());
        assertArrayEquals("bytes".getBytes(StandardCharsets.UTF_8), chunk.bytes());
    }

    @Test
    void theClusterWideDeploysMessagesReadBackAsWritten() throws IOException {
        List<UpgradeMessage> all = List.of(
                new UpgradeMessage.Begin("u2", "shop.war", "", 0, "", true),
                new UpgradeMessage.Deploy("u2", "", true),
                new UpgradeMessage.Progress("u2", "web1", Step.UNDEPLOYING),
                new UpgradeMessage.ManifestAsk("m1"),
                new UpgradeMessage.Manifest("m1", "web2", true, List.of(new UpgradeMessage.WarEntry("shop.war", "ab", 9),
                        new UpgradeMessage.WarEntry("blog##2.war", "cd", 7))),
                new UpgradeMessage.Manifest("m1", "web2", false, List.of()),
                new UpgradeMessage.WarAsk("w1", "shop.war", "ab"));
        for (UpgradeMessage m : all) {
            assertEquals(m, roundTrip(m));
        }
        UpgradeMessage.WarPart part = (UpgradeMessage.WarPart) roundTrip(
                new UpgradeMessage.WarPart("w1", 32768, "bytes".getBytes(StandardCharsets.UTF_8), true));
        assertEquals(32768, part.offset());
        assertEquals(true, part.last());
        assertArrayEquals("bytes".getBytes(StandardCharsets.UTF_8), part.bytes());
    }

    /** A begin or deploy of an earlier build (no undeploy flag at the end) reads as a deploy. */
    @Test
    void aBeginOrDeployWithoutTheUndeployFlagIsADeploy() throws IOException {
        for (UpgradeMessage m : List.of(new UpgradeMessage.Begin("u1", "shop.war", "ab12", 1234, "/health"),
                new UpgradeMessage.Deploy("u1", "health"))) {
            byte[] now = UpgradeMessage.encode(m);
            UpgradeMessage earlier = UpgradeMessage.decode(java.util.Arrays.copyOf(now, now.length - 1));
            assertEquals(m, earlier);
        }
    }

    @Test
    void anUnknownKindIsRefused() {
        byte[] odd = UpgradeMessage.encode(new UpgradeMessage.End("u1"));
        odd[2] = 'x'; // "end" becomes "xnd"
        assertThrows(IOException.class, () -> UpgradeMessage.decode(odd));
    }

    @Test
    void nodesGoByNameWithTheFrontsNodeLast() {
        ClusterView view = new ClusterView(1, List.of("c", "a", "b"),
                List.of(node("c", DispatcherMode.AUTO), node("a", DispatcherMode.ALWAYS), node("b", DispatcherMode.AUTO)),
                false);
        String front = view.dispatcher().orElseThrow();
        List<String> plan = RollOrder.upgrade(view);
        assertEquals(3, plan.size());
        assertEquals(front, plan.get(2));
    }

    @Test
    void theHealthPathIsBelowTheContextPath() {
        assertEquals("/shop/", HealthCheck.path("/shop", ""));
        assertEquals("/shop/health", HealthCheck.path("/shop", "/health"));
        assertEquals("/shop/health", HealthCheck.path("/shop", "health"));
        assertEquals("/health", HealthCheck.path("/", "health"));
    }

    private static NodeRecord node(String name, DispatcherMode mode) {
        return new NodeRecord(name, 1, NodeRecord.Phase.READY, "127.0.0.1", 8009, 8080, 9080, "127.0.0.1", 4000,
                new byte[0], 1, Activation.ACTIVE, mode, "1", "11.0.21", List.of(), Instant.EPOCH, 1);
    }
}
