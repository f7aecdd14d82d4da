package io.herdcat.config;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collections;

/** This host's addresses, for defaults. */
final class LocalAddresses {
    private LocalAddresses() {
    }

    /** The first site-local IPv4 address of an interface that is up, else the loopback address. */
    static InetAddress firstSiteLocal() {
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!nic.isUp() || nic.isLoopback()) {
                    continue;
                }
                for (InetAddress a : Collections.list(nic.getInetAddresses())) {
                    if (a instanceof Inet4Address && a.isSiteLocalAddress()) {
                        return a;
                    }
                }
            }
        } catch (SocketException e) {
            // fall back to loopback
        }
        return InetAddress.getLoopbackAddress();
    }
}
