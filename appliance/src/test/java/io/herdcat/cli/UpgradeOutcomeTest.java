package io.herdcat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@code herdcat upgrade} exits 0 only when the upgrade is done and every node is done. */
class UpgradeOutcomeTest {
    private static UpgradeSnapshot last(String recording) {
        List<UpgradeSnapshot> seq = RecordedUpgrades.snapshots(recording);
        return seq.get(seq.size() - 1);
    }

    private static UpgradeSnapshot with(UpgradeSnapshot s, String state, List<UpgradeSnapshot.Node> nodes) {
        return new UpgradeSnapshot(s.id(), state, s.war(), s.contextPath(), s.coordinator(), s.elapsedMillis(),
                s.message(), nodes);
    }

    @Test
    void doneWithEveryNodeDoneExitsZero() {
        assertEquals(0, UpgradeOutcome.exitCode(last(RecordedUpgrades.DONE)));
        assertEquals(Optional.empty(), UpgradeOutcome.problem(last(RecordedUpgrades.DONE)));
    }

    @Test
    void rolledBackExitsOneWithItsMessage() {
        UpgradeSnapshot s = last(RecordedUpgrades.ROLLED_BACK);
        assertEquals(1, UpgradeOutcome.exitCode(s));
        assertEquals(Optional.of("upgrade u-7f3a rolled-back: health check of /shop/ failed on web2; web2 is back on"
                + " the previous WAR and every node runs it"), UpgradeOutcome.problem(s));
    }

    @Test
    void failedExitsOne() {
        UpgradeSnapshot s = with(last(RecordedUpgrades.ROLLED_BACK), "failed", List.of());
        assertEquals(1, UpgradeOutcome.exitCode(s));
        assertEquals("upgrade u-7f3a failed: ", UpgradeOutcome.problem(s).orElseThrow().substring(0, 23));
    }

    @Test
    void doneWithANodeNotDoneExitsOneNamingIt() {
        UpgradeSnapshot done = last(RecordedUpgrades.DONE);
        UpgradeSnapshot s = with(done, "done", List.of(done.nodes().get(0),
                new UpgradeSnapshot.Node("web3", "failed", 0, "unreachable"), done.nodes().get(2)));
        assertEquals(1, UpgradeOutcome.exitCode(s));
        assertEquals(Optional.of("upgrade u-7f3a is done but node web3 is at step failed (unreachable), so not every"
                + " node runs shop##2.war"), UpgradeOutcome.problem(s));
    }

    @Test
    void doneWithoutNodesExitsOne() {
        assertEquals(1, UpgradeOutcome.exitCode(with(last(RecordedUpgrades.DONE), "done", List.of())));
    }

    @Test
    void stillRunningOrIdleIsNotASuccess() {
        assertEquals(1, UpgradeOutcome.exitCode(RecordedUpgrades.snapshots(RecordedUpgrades.DONE).get(10)));
        assertEquals(1, UpgradeOutcome.exitCode(with(last(RecordedUpgrades.DONE), "idle", List.of())));
    }
}
