package io.herdcat.upgrade;

import io.herdcat.config.HostName;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Which machine this is, so that two nodes deploying into the same folder of the same machine are
 * told apart from two nodes on two machines whose folders merely have the same path: systemd's
 * machine id when the host has one, else the host name.
 */
final class HostIdentity {
    private HostIdentity() {
    }

    static String get() {
        try {
            String id = Files.readString(Path.of("/etc/machine-id")).strip();
            if (!id.isEmpty()) {
                return id;
            }
        } catch (IOException e) {
            // no machine id: the host name has to do
        }
        return HostName.get();
    }
}
