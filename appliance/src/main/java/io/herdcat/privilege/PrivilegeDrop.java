package io.herdcat.privilege;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;

/**
 * Switches the node from root to its user for good, keeping one capability-holding thread.
 *
 * <p>On the {@link PrivilegedExecutor}'s thread: drop every capability it will not keep from its
 * bounding set, ask the kernel to keep its permitted capabilities across the change of user, then
 * {@code initgroups}, {@code setgid}, {@code setuid}. glibc applies the last three to every thread,
 * and the kernel clears every capability of a thread whose uids all leave 0 unless that thread asked
 * to keep them, so every other thread ends with none. The privileged thread then makes the kept ones
 * effective, and raises the {@code ambient} ones so the commands it starts have them too. The calling
 * thread, which starts the node's later threads, empties its own bounding set first, so those
 * threads could not regain a capability even through a set-uid program.
 */
public final class PrivilegeDrop {
    private PrivilegeDrop() {
    }

    /**
     * What the privileged thread keeps.
     *
     * @param capabilities kept on the privileged thread
     * @param ambient      of those, the ones passed on to the commands it starts
     */
    public record Keep(Set<Capability> capabilities, Set<Capability> ambient) {
        public Keep {
            capabilities = capabilities.isEmpty() ? EnumSet.noneOf(Capability.class) : EnumSet.copyOf(capabilities);
            ambient = ambient.isEmpty() ? EnumSet.noneOf(Capability.class) : EnumSet.copyOf(ambient);
            if (!capabilities.containsAll(ambient)) {
                throw new IllegalArgumentException("ambient capabilities must be kept: " + ambient);
            }
        }

        public static Keep nothing() {
            return new Keep(Set.of(), Set.of());
        }
    }

    /**
     * Drops root, then checks every thread ({@link ProcessCredentials}).
     *
     * @throws IllegalStateException when a step fails or a thread still has root's ids or capabilities;
     *                               the process must not go on then
     */
    public static void run(UserAccount user, Keep keep, PrivilegedExecutor privileged) {
        byte[] name = (user.name() + "\0").getBytes(StandardCharsets.UTF_8);
        int lastCap = lastCapability();
        dropBounding(lastCap, Set.of(), "the node's thread");
        int tid;
        try {
            tid = privileged.tid();
            privileged.call(() -> {
                dropBounding(lastCap, keep.capabilities(), "the privileged thread");
                step("keeping capabilities across setuid", () -> Libc.C.prctl(Libc.PR_SET_KEEPCAPS, 1, 0, 0, 0));
                step("initgroups(" + user.name() + ")", () -> failedIfNegative(Libc.C.initgroups(name, user.gid())));
                step("setgid(" + user.gid() + ")", () -> Libc.C.setgid(user.gid()));
                step("setuid(" + user.uid() + ")", () -> Libc.C.setuid(user.uid()));
                long mask = Capability.mask(keep.capabilities());
                long inheritable = Capability.mask(keep.ambient());
                int[] header = {Libc.LINUX_CAPABILITY_VERSION_3, 0};
                int[] data = {(int) mask, (int) mask, (int) inheritable,
                    (int) (mask >>> 32), (int) (mask >>> 32), (int) (inheritable >>> 32)};
                step("capset", () -> Libc.C.capset(header, data));
                for (Capability c : keep.ambient()) {
                    step("raising ambient " + c, () -> Libc.C.prctl(Libc.PR_CAP_AMBIENT, Libc.PR_CAP_AMBIENT_RAISE,
                            c.number(), 0, 0));
                }
                step("no longer keeping capabilities across setuid", () -> Libc.C.prctl(Libc.PR_SET_KEEPCAPS, 0, 0, 0, 0));
                return null;
            });
        } catch (IllegalStateException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("dropping root failed: " + e, e);
        }
        ProcessCredentials.read().requireDropped(tid, keep.capabilities());
    }

    private static void dropBounding(int lastCap, Set<Capability> keep, String where) {
        long kept = Capability.mask(keep);
        for (int cap = 0; cap <= lastCap; cap++) {
            if ((kept & (1L << cap)) == 0) {
                int c = cap;
                step("dropping capability " + cap + " from the bounding set of " + where,
                        () -> Libc.C.prctl(Libc.PR_CAPBSET_DROP, c, 0, 0, 0));
            }
        }
    }

    private static int lastCapability() {
        try {
            return Integer.parseInt(Files.readString(Path.of("/proc/sys/kernel/cap_last_cap")).trim());
        } catch (IOException | NumberFormatException e) {
            throw new IllegalStateException("dropping root failed: cannot read /proc/sys/kernel/cap_last_cap: " + e, e);
        }
    }

    /** For a call whose {@code errno} counts only when it returns -1. */
    private static int failedIfNegative(int result) {
        if (result < 0) {
            throw new LastErrorException(Native.getLastError());
        }
        return result;
    }

    private interface Call {
        int run();
    }

    private static void step(String what, Call call) {
        try {
            call.run();
        } catch (LastErrorException e) {
            throw new IllegalStateException("dropping root failed at " + what + ": errno " + e.getErrorCode()
                    + " (" + e.getMessage() + ")", e);
        }
    }
}
