package io.herdcat.dispatcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * How many sockets listen on a TCP port of this host (this network namespace), read from
 * {@code /proc/net/tcp} and {@code /proc/net/tcp6}; -1 where those do not exist. Tells the old front
 * that the new one has bound the shared port.
 */
final class PortListeners {
    private static final String LISTEN = "0A";

    private PortListeners() {
    }

    static int count(int port) {
        String hexPort = ":" + String.format(Locale.ROOT, "%04X", port);
        int count = 0;
        boolean readable = false;
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            try {
                for (String line : Files.readAllLines(Path.of(table))) {
                    String[] f = line.trim().split("\\s+");
                    if (f.length > 3 && f[1].endsWith(hexPort) && LISTEN.equals(f[3])) {
                        count++;
                    }
                }
                readable = true;
            } catch (IOException e) {
                // no such table: IPv6 off, or not Linux
            }
        }
        return readable ? count : -1;
    }
}
