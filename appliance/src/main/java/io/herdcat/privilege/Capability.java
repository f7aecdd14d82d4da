package io.herdcat.privilege;

import java.util.Set;

/** The Linux capabilities a node may keep after it drops root, with their kernel numbers. */
public enum Capability {
    /** Bind ports below 1024: the front's port 80 when this node is elected. */
    NET_BIND_SERVICE(10),
    /** Add and remove addresses: a floating front address. */
    NET_ADMIN(12),
    /** Send raw packets: gratuitous ARP for a floating front address. */
    NET_RAW(13);

    private final int number;

    Capability(int number) {
        this.number = number;
    }

    public int number() {
        return number;
    }

    /** The capabilities as the kernel's 64-bit mask. */
    static long mask(Set<Capability> caps) {
        long mask = 0;
        for (Capability c : caps) {
            mask |= 1L << c.number;
        }
        return mask;
    }
}
