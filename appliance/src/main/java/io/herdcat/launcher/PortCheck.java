package io.herdcat.launcher;

import io.herdcat.config.ConfigException;
import io.herdcat.config.NodeConfig.Endpoint;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;

/** Fails fast, before anything starts, when a port a node needs is taken. */
final class PortCheck {
    private PortCheck() {
    }

    static void requireFree(List<Endpoint> endpoints) {
        for (Endpoint e : endpoints) {
            if (e.port() == 0) {
                continue;
            }
            try (ServerSocket probe = new ServerSocket()) {
                probe.setReuseAddress(true);
                probe.bind(new InetSocketAddress(e.address(), e.port()));
            } catch (IOException ex) {
                throw inUse(e);
            }
        }
    }

    static ConfigException inUse(Endpoint e) {
        return new ConfigException(e.portSetting().key() + ": port " + e.port() + " on "
                + e.address().getHostAddress() + " is already in use; stop what holds it, or choose another with "
                + e.portSetting().flag() + " or --port-offset");
    }
}
