package io.herdcat.cluster;

import java.util.List;
import org.jgroups.Address;
import org.jgroups.Event;
import org.jgroups.PhysicalAddress;
import org.jgroups.conf.ClassConfigurator;
import org.jgroups.protocols.FILE_PING;
import org.jgroups.protocols.PingData;
import org.jgroups.util.NameCache;
import org.jgroups.util.Responses;

/**
 * Discovery through a shared folder ({@link FILE_PING}) that nodes started together cannot miss: on its
 * first discovery a node writes its own file, waits {@value #SETTLE_MILLIS} ms for others starting at the
 * same moment to do the same, and only then reads the folder. Plain FILE_PING reads first and writes only
 * when it found nobody, so two nodes reading an empty folder at once each formed their own cluster and
 * met seconds later through a merge. Seeing each other, they agree on one coordinator (the lowest
 * address) and the other joins it.
 */
final class FolderDiscovery extends FILE_PING {
    static final long SETTLE_MILLIS = 500;

    static {
        ClassConfigurator.addProtocol((short) 1701, FolderDiscovery.class);
    }

    private volatile boolean settled;

    @Override
    public void findMembers(List<Address> members, boolean initialDiscovery, Responses responses) {
        if (!initialDiscovery || settled) {
            super.findMembers(members, initialDiscovery, responses);
            return;
        }
        settled = true;
        PhysicalAddress physical = (PhysicalAddress) down(new Event(Event.GET_PHYSICAL_ADDRESS, local_addr));
        write(List.of(new PingData(local_addr, true, NameCache.get(local_addr), physical).coord(false)), cluster_name);
        try {
            Thread.sleep(SETTLE_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        super.findMembers(members, true, responses);
        // FILE_PING tells the others its address only when it did not find its own file; it did, so
        // tell each node found, or a coordinator could not answer this node's join
        for (PingData found : responses) {
            if (!found.getAddress().equals(local_addr)) {
                sendDiscoveryResponse(local_addr, physical, NameCache.get(local_addr), found.getAddress(), false);
            }
        }
    }
}
