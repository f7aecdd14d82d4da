package io.herdcat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Following an upgrade: polls every half second until it ends, rides out a lost connection for up to
 * 30 s, and says the state is unknown when it cannot tell. Recorded answers are played in order; the
 * pauses advance a clock of the test's own instead of sleeping.
 */
class UpgradeWatchTest {
    private static final String WHERE = "http://127.0.0.1:9080";

    private final Deque<Object> answers = new ArrayDeque<>();
    private final List<Duration> pauses = new ArrayList<>();
    private long now;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final UpgradeProgress progress = UpgradeProgress.on(new PrintStream(bytes, true, StandardCharsets.UTF_8),
            false);

    private final UpgradeWatch watch = new UpgradeWatch(() -> {
        Object next = answers.removeFirst();
        if (next instanceof AdminCallException e) {
            throw e;
        }
        return (UpgradeSnapshot) next;
    }, d -> {
        pauses.add(d);
        now += d.toNanos();
    }, () -> now, WHERE);

    private static AdminCallException lost() {
        return new AdminCallException("cannot reach the admin API at " + WHERE + " (connection refused)", true);
    }

    @Test
    void pollsEveryHalfSecondUntilTheUpgradeNoLongerRuns() throws Exception {
        List<UpgradeSnapshot> seq = RecordedUpgrades.snapshots(RecordedUpgrades.DONE);
        answers.addAll(seq.subList(1, seq.size()));
        UpgradeSnapshot end = watch.follow(seq.get(0), progress);
        assertEquals("done", end.state());
        assertTrue(answers.isEmpty());
        assertEquals(seq.size() - 1, pauses.size());
        assertTrue(pauses.stream().allMatch(Duration.ofMillis(500)::equals), pauses::toString);
        assertEquals(13, bytes.toString(StandardCharsets.UTF_8).lines().count());
    }

    @Test
    void anUpgradeThatAlreadyEndedIsNotPolled() throws Exception {
        List<UpgradeSnapshot> seq = RecordedUpgrades.snapshots(RecordedUpgrades.ROLLED_BACK);
        assertEquals("rolled-back", watch.follow(seq.get(3), progress).state());
        assertTrue(pauses.isEmpty());
    }

    @Test
    void aConnectionLostForLessThanThirtySecondsIsRiddenOut() throws Exception {
        List<UpgradeSnapshot> seq = RecordedUpgrades.snapshots(RecordedUpgrades.ROLLED_BACK);
        answers.add(seq.get(1));
        for (int i = 0; i < 55; i++) { // 27.5 s
            answers.add(lost());
        }
        answers.add(seq.get(2));
        for (int i = 0; i < 55; i++) { // counted afresh after an answer
            answers.add(lost());
        }
        answers.add(seq.get(3));
        assertEquals("rolled-back", watch.follow(seq.get(0), progress).state());
        assertTrue(answers.isEmpty());
    }

    @Test
    void aNodeThatRestartedAndKnowsOfNoUpgradeYetIsAskedAgain() throws Exception {
        List<UpgradeSnapshot> seq = RecordedUpgrades.snapshots(RecordedUpgrades.ROLLED_BACK);
        UpgradeSnapshot idle = UpgradeSnapshot.of(JsonReader.object("{\"id\":\"\",\"state\":\"idle\",\"war\":\"\","
                + "\"contextPath\":\"\",\"sha256\":\"\",\"coordinator\":\"\",\"startedAt\":null,\"endedAt\":null,"
                + "\"elapsedMillis\":0,\"message\":\"no upgrade has run\",\"nodes\":[]}"));
        answers.add(seq.get(1));
        answers.add(lost());
        for (int i = 0; i < 10; i++) {
            answers.add(idle);
        }
        answers.add(seq.get(2));
        answers.add(seq.get(3));
        assertEquals("rolled-back", watch.follow(seq.get(0), progress).state());
        assertTrue(answers.isEmpty());
    }

    @Test
    void aConnectionLostForThirtySecondsLeavesTheStateUnknown() {
        List<UpgradeSnapshot> seq = RecordedUpgrades.snapshots(RecordedUpgrades.DONE);
        answers.add(seq.get(1));
        for (int i = 0; i < 100; i++) {
            answers.add(lost());
        }
        AdminCallException e = assertThrows(AdminCallException.class, () -> watch.follow(seq.get(0), progress));
        assertEquals("no answer from " + WHERE + " for 30 s (cannot reach the admin API at " + WHERE
                + " (connection refused)); the state of upgrade u-7f3a is unknown: see herdcat upgrade-status"
                + " (or GET /upgrade)", e.getMessage());
        long lostPolls = 100 - answers.size();
        assertEquals(61, lostPolls, "lost polls from the first to the one 30 s later");
    }

    @Test
    void anotherUpgradeInTheAnswerLeavesTheStateUnknown() {
        List<UpgradeSnapshot> seq = RecordedUpgrades.snapshots(RecordedUpgrades.DONE);
        UpgradeSnapshot s = seq.get(1);
        answers.add(new UpgradeSnapshot("u-other", "running", s.war(), s.contextPath(), s.coordinator(), 0,
                s.message(), s.nodes()));
        AdminCallException e = assertThrows(AdminCallException.class, () -> watch.follow(seq.get(0), progress));
        assertTrue(e.getMessage().startsWith("the cluster now reports upgrade 'u-other', not u-7f3a; the state of"
                + " upgrade u-7f3a is unknown"), e.getMessage());
    }

    @Test
    void aRefusalWhileWaitingEndsTheWaitAtOnce() {
        List<UpgradeSnapshot> seq = RecordedUpgrades.snapshots(RecordedUpgrades.DONE);
        answers.add(new AdminCallException("401 missing or wrong admin token", false));
        AdminCallException e = assertThrows(AdminCallException.class, () -> watch.follow(seq.get(0), progress));
        assertTrue(e.getMessage().startsWith("401 missing or wrong admin token; the state of upgrade u-7f3a is"
                + " unknown"), e.getMessage());
        assertFalse(e.lostConnection());
        assertEquals(1, pauses.size());
    }
}
