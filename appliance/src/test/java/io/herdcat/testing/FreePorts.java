package io.herdcat.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;

/** Finds port offsets under which the default ports are free, for tests of the fixed port layout. */
public final class FreePorts {
    private FreePorts() {
    }

    /**
     * An offset N such that {@code base + N + k} is free on every interface for each base port and
     * every k below {@code nodes}.
     */
    public static int offsetWhereFree(int nodes, int... basePorts) {
        for (int attempt = 0; attempt < 200; attempt++) {
            int offset = ThreadLocalRandom.current().nextInt(20_000, 50_000);
            if (allFree(offset, nodes, basePorts)) {
                return offset;
            }
        }
        throw new IllegalStateException("no free port range found");
    }

    private static boolean allFree(int offset, int nodes, int... basePorts) {
        for (int base : basePorts) {
            for (int k = 0; k < nodes; k++) {
                if (!isFree(base + offset + k)) {
                    return false;
                }
            }
        }
        return true;
    }

    public static boolean isFree(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
