package io.herdcat.upgrade;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.herdcat.upgrade.WarChanges.Change;
import io.herdcat.upgrade.WarChanges.Stamp;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What the cluster-wide deploy takes for the operator's change: only a file whose size and time held
 * still for two scans, only when its bytes differ from what the node runs; a deletion only once two
 * scans miss the file.
 */
class WarChangesTest {
    private final WarLedger ledger = new WarLedger();
    private final WarChanges changes = new WarChanges(ledger);
    /** The bytes each file holds, as its "SHA-256". */
    private final Map<String, String> contents = new HashMap<>();
    private int hashed;

    private List<Change> scan(Map<String, Stamp> folder) throws IOException {
        return changes.scan(folder, name -> {
            hashed++;
            return contents.get(name);
        });
    }

    @Test
    void aWarStillBeingCopiedIsNotTakenUntilItHoldsStillForTwoScans() throws IOException {
        contents.put("shop.war", "v1");
        assertEquals(List.of(), scan(Map.of("shop.war", new Stamp(100, 1))), "seen once");
        assertEquals(List.of(), scan(Map.of("shop.war", new Stamp(200, 2))), "still growing");
        assertEquals(List.of(), scan(Map.of("shop.war", new Stamp(300, 2))), "same time, other size");
        assertEquals(0, hashed, "a file that moves is not read");
        assertEquals(List.of(new Change("shop.war", "v1", new Stamp(300, 2))), scan(Map.of("shop.war", new Stamp(300, 2))));
    }

    @Test
    void aFileWithTheBytesTheNodeRunsIsNoChangeAndItsNewStampIsKept() throws IOException {
        ledger.record("shop.war", new WarLedger.Entry("v1", 300, 2));
        contents.put("shop.war", "v1");
        assertEquals(List.of(), scan(Map.of("shop.war", new Stamp(300, 2))), "as recorded");
        assertEquals(0, hashed, "an unchanged stamp is not read");
        assertEquals(List.of(), scan(Map.of("shop.war", new Stamp(300, 9))), "touched");
        assertEquals(List.of(), scan(Map.of("shop.war", new Stamp(300, 9))), "touched, same bytes");
        assertEquals(1, hashed);
        assertEquals(new WarLedger.Entry("v1", 300, 9), ledger.get("shop.war").orElseThrow());
        assertEquals(List.of(), scan(Map.of("shop.war", new Stamp(300, 9))));
        assertEquals(1, hashed, "the new stamp is recorded: not read again");
    }

    @Test
    void aReplacedWarIsAChangeEveryScanUntilTheNodeRecordsIt() throws IOException {
        ledger.record("shop.war", new WarLedger.Entry("v1", 300, 2));
        contents.put("shop.war", "v2");
        scan(Map.of("shop.war", new Stamp(310, 5)));
        assertEquals(List.of(new Change("shop.war", "v2", new Stamp(310, 5))), scan(Map.of("shop.war", new Stamp(310, 5))));
        assertEquals(List.of(new Change("shop.war", "v2", new Stamp(310, 5))), scan(Map.of("shop.war", new Stamp(310, 5))),
                "not rolled yet (an upgrade ran): asked again");
        ledger.record("shop.war", new WarLedger.Entry("v2", 310, 5));
        assertEquals(List.of(), scan(Map.of("shop.war", new Stamp(310, 5))));
    }

    @Test
    void aWarTheClusterPutInPlaceIsNoChange() throws IOException {
        ledger.record("shop.war", new WarLedger.Entry("v1", 300, 2));
        // a rolling upgrade records the version it installs before the file changes
        ledger.record("shop.war", new WarLedger.Entry("v2", 310, -1));
        contents.put("shop.war", "v2");
        scan(Map.of("shop.war", new Stamp(310, 7)));
        assertEquals(List.of(), scan(Map.of("shop.war", new Stamp(310, 7))));
    }

    @Test
    void aDeletionCountsOnceTwoScansMissTheFile() throws IOException {
        ledger.record("shop.war", new WarLedger.Entry("v1", 300, 2));
        ledger.record("blog.war", new WarLedger.Entry("b1", 50, 2));
        Map<String, Stamp> both = Map.of("shop.war", new Stamp(300, 2), "blog.war", new Stamp(50, 2));
        assertEquals(List.of(), scan(both));
        assertEquals(List.of(), scan(Map.of("blog.war", new Stamp(50, 2))), "missed once");
        assertEquals(List.of(), scan(both), "back: a replace done as delete, then copy");
        assertEquals(List.of(), scan(Map.of("blog.war", new Stamp(50, 2))));
        assertEquals(List.of(Change.removal("shop.war")), scan(Map.of("blog.war", new Stamp(50, 2))));
        assertEquals(true, Change.removal("shop.war").removed());
    }

    @Test
    void aChangeGivenUpOnIsNotReportedOrReadAgainUntilANewCopyArrives() throws IOException {
        contents.put("shop.war", "v2");
        scan(Map.of("shop.war", new Stamp(310, 5)));
        Change v2 = scan(Map.of("shop.war", new Stamp(310, 5))).get(0);
        changes.ignore(v2);
        int read = hashed;
        assertEquals(List.of(), scan(Map.of("shop.war", new Stamp(310, 5))));
        assertEquals(read, hashed, "not read again");
        assertEquals(List.of(), scan(Map.of("shop.war", new Stamp(310, 8))), "copied again: seen once");
        assertEquals(List.of(new Change("shop.war", "v2", new Stamp(310, 8))), scan(Map.of("shop.war", new Stamp(310, 8))));
    }

    @Test
    void aDeletionGivenUpOnIsNotReportedUntilTheFileIsBackAndGoneAgain() throws IOException {
        ledger.record("shop.war", new WarLedger.Entry("v1", 300, 2));
        scan(Map.of());
        Change gone = scan(Map.of()).get(0);
        changes.ignore(gone);
        assertEquals(List.of(), scan(Map.of()));
        assertEquals(List.of(), scan(Map.of("shop.war", new Stamp(300, 2))), "back");
        scan(Map.of());
        assertEquals(List.of(Change.removal("shop.war")), scan(Map.of()), "gone again");
    }

    @Test
    void aNewWarBesideOthersIsTheOnlyChange() throws IOException {
        ledger.record("shop.war", new WarLedger.Entry("v1", 300, 2));
        contents.put("blog.war", "b1");
        Map<String, Stamp> folder = Map.of("shop.war", new Stamp(300, 2), "blog.war", new Stamp(50, 3));
        assertEquals(List.of(), scan(folder));
        assertEquals(List.of(new Change("blog.war", "b1", new Stamp(50, 3))), scan(folder));
    }
}
