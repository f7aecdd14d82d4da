package io.herdcat.testing;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What the kernel says about a process's threads ({@code /proc/PID/task/TID/status}: ids, groups,
 * capabilities), and handing a test folder to an unprivileged user, for tests of a node that drops root.
 */
public final class ProcStatus {
    private ProcStatus() {
    }

    /** One thread's status lines, by field name ({@code Uid}, {@code Gid}, {@code Groups}, {@code CapEff}, …). */
    public record Thread(String tid, Map<String, String> fields) {
        public String field(String name) {
            return fields.getOrDefault(name, "");
        }

        /** True when a uid, gid or supplementary group of this thread is 0. */
        public boolean hasRootId() {
            return Stream.of("Uid", "Gid", "Groups").flatMap(f -> Stream.of(field(f).split("\\s+")))
                    .anyMatch("0"::equals);
        }

        @Override
        public String toString() {
            return tid + " " + field("Name") + ": Uid " + field("Uid") + ", Gid " + field("Gid") + ", Groups "
                    + field("Groups") + ", CapEff " + field("CapEff") + ", CapPrm " + field("CapPrm");
        }
    }

    /** The status of the process itself ({@code /proc/PID/status}). */
    public static Thread process(long pid) throws IOException {
        return parse(Long.toString(pid), Path.of("/proc", Long.toString(pid), "status"));
    }

    /** The status of every thread of the process. */
    public static List<Thread> threads(long pid) throws IOException {
        List<Thread> threads = new ArrayList<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks) {
                try {
                    threads.add(parse(task.getFileName().toString(), task.resolve("status")));
                } catch (NoSuchFileException e) {
                    // the thread ended meanwhile
                }
            }
        }
        return threads;
    }

    private static Thread parse(String tid, Path status) throws IOException {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String line : Files.readAllLines(status)) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                fields.put(line.substring(0, colon), line.substring(colon + 1).trim());
            }
        }
        return new Thread(tid, fields);
    }

    /** The uid of {@code user} on this host, from {@code /etc/passwd}. */
    public static int uidOf(String user) throws IOException {
        try (Stream<String> lines = Files.lines(Path.of("/etc/passwd"))) {
            return lines.map(l -> l.split(":")).filter(f -> f[0].equals(user)).mapToInt(f -> Integer.parseInt(f[2]))
                    .findFirst().orElseThrow(() -> new IllegalStateException("no user " + user + " on this host"));
        }
    }

    /** Gives {@code dir} and everything in it to {@code uid}, so a node that dropped root to it can work there. */
    public static void giveTo(Path dir, int uid) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.toList()) {
                Files.setAttribute(p, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
            }
        }
    }
}
