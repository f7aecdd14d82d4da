package io.herdcat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The progress of a running upgrade, from recorded answers: plain lines off a terminal, one redrawn line on one. */
class UpgradeProgressTest {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    /** What plain progress shows of a whole recorded upgrade. */
    private String plain(String recording) {
        UpgradeProgress progress = UpgradeProgress.on(out, false);
        RecordedUpgrades.snapshots(recording).forEach(progress::show);
        progress.end();
        return shown();
    }

    private String shown() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void plainOutputHasOneLinePerStepANodeTakesInTheOrderTheyCame() {
        assertEquals("""
                web2 staged
                web2 disabling
                web2 draining
                web2 deploying
                web2 checking
                web2 enabling
                web2 done
                web3 disabling
                web3 draining
                web3 done
                web1 deploying
                web1 checking
                web1 done
                """, plain(RecordedUpgrades.DONE));
    }

    @Test
    void plainOutputGivesTheDetailOfANodeThatWasRolledBack() {
        assertEquals("""
                web2 staged
                web2 deploying
                web2 checking
                web2 rolled-back: GET /shop/ answered 500
                """, plain(RecordedUpgrades.ROLLED_BACK));
    }

    @Test
    void barShowsNodesDoneTheCurrentNodeItsStepAndTheTimeSinceTheStart() {
        List<String> bars = RecordedUpgrades.snapshots(RecordedUpgrades.DONE).stream().map(UpgradeProgress::bar)
                .toList();
        assertEquals("[----------] 0/3 web2 staged 0:00", bars.get(0));
        assertEquals("[----------] 0/3 web2 draining 0:22", bars.get(2));
        assertEquals("[###-------] 1/3 web3 disabling 1:17", bars.get(7));
        assertEquals("[######----] 2/3 web1 deploying 1:39", bars.get(9));
        assertEquals("[##########] 3/3 web1 done 2:05", bars.get(11));
    }

    @Test
    void terminalOutputRedrawsOneLineInPlaceAndEndsIt() {
        UpgradeProgress progress = UpgradeProgress.on(out, true);
        List<UpgradeSnapshot> seq = RecordedUpgrades.snapshots(RecordedUpgrades.DONE);
        progress.show(seq.get(1));
        progress.show(seq.get(9));
        progress.show(seq.get(11));
        progress.end();
        assertEquals("\r[----------] 0/3 web2 disabling 0:11"
                + "\r[######----] 2/3 web1 deploying 1:39"
                + "\r[##########] 3/3 web1 done 2:05" + " ".repeat(5) + "\n", shown());
    }

    @Test
    void aTerminalLineIsEndedOnlyWhenOneWasShown() {
        UpgradeProgress.on(out, true).end();
        assertEquals("", shown());
    }
}
