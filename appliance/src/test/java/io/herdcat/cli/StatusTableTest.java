package io.herdcat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code herdcat status}'s table: aligned columns, {@code -} for unknowns, the front marked, ages like kubectl. */
class StatusTableTest {
    @Test
    void printsOneAlignedRowPerNodeWithTheFrontMarked() {
        Map<String, Object> status = JsonReader.object("""
                {"clusterName":"shop","self":"web2","dispatcher":"web1","nodes":[
                 {"name":"web1","state":"ok","activation":"active","weight":1,"inFlight":0,"requests":12345,
                  "errors":0,"sessions":5,"uptimeSeconds":192,"version":"0.1.0","dispatcher":true},
                 {"name":"web2","state":"unknown","activation":"disabled","weight":100,"inFlight":null,
                  "requests":null,"errors":null,"sessions":null,"uptimeSeconds":42,"version":"0.1.0","dispatcher":false},
                 {"name":"legacy","phase":"static","state":"error","activation":"active","weight":1,"inFlight":3,
                  "requests":7,"errors":2,"dispatcher":false}]}
                """);
        assertEquals("""
                cluster shop: 3 nodes, HTTP front on web1 (as seen by web2)
                NAME     STATE     ACTIVATION   WEIGHT   IN-FLIGHT   REQUESTS   ERRORS   SESSIONS   UPTIME   VERSION   FRONT
                web1     ok        active       1        0           12345      0        5          3m12s    0.1.0     *
                web2     unknown   disabled     100      -           -          -        -          42s      0.1.0
                legacy   error     active       1        3           7          2        -          -        -
                """, StatusTable.format(status));
    }

    @Test
    void saysSoWhenNoNodeRunsTheFront() {
        String table = StatusTable.format(JsonReader.object(
                "{\"clusterName\":\"c\",\"self\":\"a\",\"dispatcher\":null,\"nodes\":[]}"));
        assertEquals("cluster c: 0 nodes, no HTTP front (as seen by a)\n"
                + "NAME   STATE   ACTIVATION   WEIGHT   IN-FLIGHT   REQUESTS   ERRORS   SESSIONS   UPTIME   VERSION   FRONT\n",
                table);
    }

    @Test
    void showsUptimeLikeKubectlAges() {
        assertEquals("0s", StatusTable.uptime(0L));
        assertEquals("59s", StatusTable.uptime(59L));
        assertEquals("1m0s", StatusTable.uptime(60L));
        assertEquals("59m59s", StatusTable.uptime(3599L));
        assertEquals("1h0m", StatusTable.uptime(3600L));
        assertEquals("23h59m", StatusTable.uptime(86_399L));
        assertEquals("2d3h", StatusTable.uptime(2 * 86_400L + 3 * 3600L + 59));
        assertEquals("-", StatusTable.uptime(null));
    }

    @Test
    void printsNullAsDashAndWholeNumbersWithoutAFraction() {
        assertEquals("-", StatusTable.text(null));
        assertEquals("3", StatusTable.text(3.0));
        assertEquals("2.5", StatusTable.text(2.5));
        assertEquals("true", StatusTable.text(true));
    }
}
