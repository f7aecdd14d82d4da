package io.herdcat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** What {@code herdcat upgrade} prints when the upgrade ends and {@code herdcat upgrade-status} prints any time. */
class UpgradeReportTest {
    @Test
    void doneUpgradeShowsItsMessageAndEveryNodeDone() {
        List<UpgradeSnapshot> seq = RecordedUpgrades.snapshots(RecordedUpgrades.DONE);
        assertEquals("""
                upgrade u-7f3a: shop##2.war at /shop, done after 2:05 (coordinator web1)
                every node runs shop##2.war
                NODE   STEP   DETAIL
                web2   done   -
                web3   done   -
                web1   done   -
                """, UpgradeReport.format(seq.get(seq.size() - 1)));
    }

    @Test
    void rolledBackUpgradeShowsWhereItStoppedAndWhy() {
        List<UpgradeSnapshot> seq = RecordedUpgrades.snapshots(RecordedUpgrades.ROLLED_BACK);
        assertEquals("""
                upgrade u-7f3a: shop.war at /shop, rolled-back after 0:21 (coordinator web1)
                health check of /shop/ failed on web2; web2 is back on the previous WAR and every node runs it
                NODE   STEP          DETAIL
                web2   rolled-back   GET /shop/ answered 500
                web3   waiting       -
                web1   waiting       -
                """, UpgradeReport.format(seq.get(seq.size() - 1)));
    }

    @Test
    void runningUpgradeSaysForHowLong() {
        UpgradeSnapshot s = RecordedUpgrades.snapshots(RecordedUpgrades.DONE).get(7);
        assertEquals("upgrade u-7f3a: shop##2.war at /shop, running for 1:17 (coordinator web1)",
                UpgradeReport.format(s).lines().findFirst().orElseThrow());
    }

    @Test
    void noUpgradeYetIsOneLine() {
        UpgradeSnapshot idle = UpgradeSnapshot.of(JsonReader.object("""
                {"id":"","state":"idle","war":"","contextPath":"","sha256":"","coordinator":"","startedAt":null,
                 "endedAt":null,"elapsedMillis":0,"message":"no upgrade has run","nodes":[]}"""));
        assertEquals("no upgrade has run\n", UpgradeReport.format(idle));
    }

    @Test
    void clockShowsMinutesAndSecondsThenHours() {
        assertEquals("0:00", UpgradeSnapshot.clock(999));
        assertEquals("0:41", UpgradeSnapshot.clock(41_000));
        assertEquals("12:05", UpgradeSnapshot.clock(725_000));
        assertEquals("1:02:03", UpgradeSnapshot.clock(3_723_000));
        assertEquals("0:00", UpgradeSnapshot.clock(-5));
    }
}
