package io.herdcat.privilege;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * The user, groups and capabilities of every thread of this process, as the kernel reports them in
 * {@code /proc/self/task/TID/status}: the proof that dropping root worked, thread by thread.
 */
public record ProcessCredentials(List<Task> tasks) {
    /** One thread: its ids (real, effective, saved, filesystem), supplementary groups and capability sets. */
    public record Task(int tid, String name, int[] uids, int[] gids, int[] groups, long permitted, long effective,
                       long ambient) {
        boolean hasRootId() {
            return Arrays.stream(uids).anyMatch(id -> id == 0) || Arrays.stream(gids).anyMatch(id -> id == 0)
                    || Arrays.stream(groups).anyMatch(id -> id == 0);
        }
    }

    public static ProcessCredentials read() {
        List<Task> tasks = new ArrayList<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path task : dir) {
                try {
                    tasks.add(parse(Integer.parseInt(task.getFileName().toString()),
                            Files.readAllLines(task.resolve("status"))));
                } catch (java.nio.file.NoSuchFileException e) {
                    // the thread ended meanwhile
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read /proc/self/task", e);
        }
        return new ProcessCredentials(List.copyOf(tasks));
    }

    static Task parse(int tid, List<String> status) {
        String name = "";
        int[] uids = {};
        int[] gids = {};
        int[] groups = {};
        long permitted = 0;
        long effective = 0;
        long ambient = 0;
        for (String line : status) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String value = line.substring(colon + 1).trim();
            switch (line.substring(0, colon)) {
                case "Name" -> name = value;
                case "Uid" -> uids = ids(value);
                case "Gid" -> gids = ids(value);
                case "Groups" -> groups = ids(value);
                case "CapPrm" -> permitted = Long.parseUnsignedLong(value, 16);
                case "CapEff" -> effective = Long.parseUnsignedLong(value, 16);
                case "CapAmb" -> ambient = Long.parseUnsignedLong(value, 16);
                default -> { }
            }
        }
        return new Task(tid, name, uids, gids, groups, permitted, effective, ambient);
    }

    private static int[] ids(String value) {
        return value.isEmpty() ? new int[0] : Arrays.stream(value.split("\\s+")).mapToInt(Integer::parseInt).toArray();
    }

    /**
     * Fails unless no thread has uid, gid or a group 0, no thread but {@code privilegedTid} has a
     * capability, and that one has no more than {@code kept}.
     */
    public void requireDropped(int privilegedTid, Set<Capability> kept) {
        long allowed = Capability.mask(kept);
        List<String> problems = new ArrayList<>();
        for (Task t : tasks) {
            if (t.hasRootId()) {
                problems.add("thread " + t.tid() + " (" + t.name() + ") still has id 0: uid " + Arrays.toString(t.uids())
                        + ", gid " + Arrays.toString(t.gids()) + ", groups " + Arrays.toString(t.groups()));
            }
            long mayHave = t.tid() == privilegedTid ? allowed : 0;
            long caps = t.permitted() | t.effective() | t.ambient();
            if ((caps & ~mayHave) != 0) {
                problems.add("thread " + t.tid() + " (" + t.name() + ") still has capabilities "
                        + Long.toHexString(caps & ~mayHave));
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("root was not fully dropped: " + String.join("; ", problems));
        }
    }
}
