package io.herdcat.vip;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** The front.on.elected / front.on.demoted hooks, run with the real sh. */
class FrontHooksTest {
    @TempDir
    Path dir;

    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger(HookRunner.class);

    @BeforeEach
    void captureLog() {
        log.start();
        logger.addAppender(log);
    }

    @AfterEach
    void stopCapture() {
        logger.detachAppender(log);
    }

    private List<String> logged() {
        return log.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    @Test
    void hookGetsNodeVipAndEventAndItsOutputAndExitStatusAreLoggedLineByLine() throws Exception {
        VipCounters counters = new VipCounters();
        HookRunner runner = new HookRunner("n1", "198.51.100.100", Duration.ofSeconds(30), counters);
        TimedCommand.Result r = runner.run(HookRunner.Event.ELECTED, "front.on.elected",
                "echo \"$HERDCAT_EVENT $HERDCAT_NODE [$HERDCAT_VIP]\"; echo second line >&2; exit 3");
        assertEquals(3, r.exitStatus());
        assertFalse(r.timedOut());
        List<String> lines = logged();
        assertTrue(lines.stream().anyMatch(l -> l.endsWith("front.on.elected: elected n1 [198.51.100.100]")), lines.toString());
        assertTrue(lines.stream().anyMatch(l -> l.endsWith("front.on.elected: second line")), lines.toString());
        assertTrue(lines.stream().anyMatch(l -> l.contains("front.on.elected exited with 3")), lines.toString());
        assertEquals(1, counters.hookFailures());
    }

    @Test
    void withoutAVipTheVariableIsEmptyAndSuccessIsNotAFailure() throws Exception {
        VipCounters counters = new VipCounters();
        HookRunner runner = new HookRunner("n2", null, Duration.ofSeconds(30), counters);
        TimedCommand.Result r = runner.run(HookRunner.Event.DEMOTED, "front.on.demoted",
                "echo \"$HERDCAT_EVENT $HERDCAT_NODE [${HERDCAT_VIP-unset}]\"");
        assertEquals(0, r.exitStatus());
        assertTrue(logged().stream().anyMatch(l -> l.endsWith("front.on.demoted: demoted n2 []")), logged().toString());
        assertEquals(0, counters.hookFailures());
    }

    @Test
    void hookStillRunningAtTheTimeoutIsKilledWithWhatItStarted() throws Exception {
        Path pidFile = dir.resolve("child.pid");
        VipCounters counters = new VipCounters();
        HookRunner runner = new HookRunner("n1", null, Duration.ofMillis(500), counters);
        TimedCommand.Result r = runner.run(HookRunner.Event.ELECTED, "front.on.elected",
                "echo started; sleep 60 & echo $! > " + pidFile + "; wait; echo never");
        assertTrue(r.timedOut());
        long child = Long.parseLong(Files.readString(pidFile).trim());
        await().atMost(Duration.ofSeconds(10)).until(() -> gone(child));
        List<String> lines = logged();
        assertTrue(lines.stream().anyMatch(l -> l.endsWith("front.on.elected: started")), lines.toString());
        assertFalse(lines.stream().anyMatch(l -> l.endsWith("never")), lines.toString());
        assertTrue(lines.stream().anyMatch(l -> l.contains("front.on.elected killed after")), lines.toString());
        assertEquals(1, counters.hookFailures());
    }

    @Test
    void hooksRunInOrderOneAtATimeWithoutBlockingTheCaller() throws Exception {
        Path gate = dir.resolve("gate");
        Path trace = dir.resolve("trace");
        String hook = "echo \"start $HERDCAT_EVENT\" >> " + trace + "; while [ ! -f " + gate + " ]; do sleep 0.05; done; "
                + "echo \"end $HERDCAT_EVENT\" >> " + trace;
        FrontHooks hooks = new FrontHooks(new HookRunner("n1", null, Duration.ofSeconds(30), new VipCounters()),
                hook, hook);
        try {
            hooks.elected();
            hooks.demoted();
            hooks.elected();
            await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(trace));
            assertEquals(List.of("start elected"), Files.readAllLines(trace), "the callers returned, the hook waits");
            Files.writeString(gate, "");
            await().atMost(Duration.ofSeconds(20)).until(() -> Files.readAllLines(trace).size() == 6);
            assertEquals(List.of("start elected", "end elected", "start demoted", "end demoted", "start elected",
                    "end elected"), Files.readAllLines(trace));
        } finally {
            hooks.close(Duration.ofSeconds(10));
        }
    }

    @Test
    void noHookConfiguredRunsNothing() throws Exception {
        FrontHooks hooks = new FrontHooks(new HookRunner("n1", null, Duration.ofSeconds(30), new VipCounters()),
                null, null);
        hooks.elected();
        hooks.demoted();
        hooks.close(Duration.ofSeconds(5));
        assertEquals(List.of(), logged());
    }

    /** Exited (and reaped, or left as a zombie by a parent that does not reap). */
    private static boolean gone(long pid) throws Exception {
        Path status = Path.of("/proc/" + pid + "/status");
        try {
            return Files.readAllLines(status).stream().anyMatch(l -> l.startsWith("State:") && l.contains("Z"));
        } catch (java.nio.file.NoSuchFileException e) {
            return true;
        }
    }
}
