package io.herdcat.privilege;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Reading a thread's ids and capabilities from its status, and telling a complete drop from an incomplete one. */
class ProcessCredentialsTest {
    private static ProcessCredentials.Task task(int tid, String ids, String groups, String capEff) {
        return ProcessCredentials.parse(tid, List.of("Name:\tjava", "Umask:\t0022", "Uid:\t" + ids, "Gid:\t" + ids,
                "Groups:\t" + groups, "CapInh:\t0000000000000000", "CapPrm:\t" + capEff, "CapEff:\t" + capEff,
                "CapBnd:\t000001ffffffffff", "CapAmb:\t0000000000000000"));
    }

    @Test
    void parsesIdsGroupsAndCapabilities() {
        ProcessCredentials.Task t = task(42, "65534\t65534\t65534\t65534", "65534 27", "0000000000000400");
        assertEquals(42, t.tid());
        assertEquals("java", t.name());
        assertArrayEquals(new int[] {65534, 65534, 65534, 65534}, t.uids());
        assertArrayEquals(new int[] {65534, 27}, t.groups());
        assertEquals(1L << 10, t.effective());
        assertEquals(1L << 10, t.permitted());
    }

    @Test
    void aDropWithOneThreadKeepingBindServicePasses() {
        ProcessCredentials creds = new ProcessCredentials(List.of(
                task(1, "65534\t65534\t65534\t65534", "65534", "0000000000000000"),
                task(2, "65534\t65534\t65534\t65534", "65534", "0000000000000400")));
        assertDoesNotThrow(() -> creds.requireDropped(2, Set.of(Capability.NET_BIND_SERVICE)));
    }

    @Test
    void aThreadWithIdZeroFailsTheDrop() {
        ProcessCredentials creds = new ProcessCredentials(List.of(
                task(1, "65534\t0\t65534\t65534", "65534", "0000000000000000")));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> creds.requireDropped(2, Set.of()));
        assertTrue(e.getMessage().contains("thread 1 (java) still has id 0"), e.getMessage());
    }

    @Test
    void groupZeroFailsTheDrop() {
        ProcessCredentials creds = new ProcessCredentials(List.of(
                task(1, "65534\t65534\t65534\t65534", "65534 0", "0000000000000000")));
        assertThrows(IllegalStateException.class, () -> creds.requireDropped(2, Set.of()));
    }

    @Test
    void aCapabilityOnAnyOtherThreadOrBeyondTheKeptOnesFailsTheDrop() {
        ProcessCredentials other = new ProcessCredentials(List.of(
                task(1, "65534\t65534\t65534\t65534", "65534", "0000000000000400")));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> other.requireDropped(2, Set.of(Capability.NET_BIND_SERVICE)));
        assertTrue(e.getMessage().contains("thread 1 (java) still has capabilities 400"), e.getMessage());
        ProcessCredentials more = new ProcessCredentials(List.of(
                task(2, "65534\t65534\t65534\t65534", "65534", "0000000000003400")));
        assertThrows(IllegalStateException.class, () -> more.requireDropped(2, Set.of(Capability.NET_BIND_SERVICE)));
    }

    @Test
    void readsThisProcess() {
        ProcessCredentials creds = ProcessCredentials.read();
        assertTrue(creds.tasks().size() > 1, "a JVM has several threads");
        assertTrue(creds.tasks().stream().allMatch(t -> t.uids().length == 4), creds.tasks().toString());
    }
}
