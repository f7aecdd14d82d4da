package io.herdcat.cluster;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jgroups.Address;
import org.jgroups.Event;
import org.jgroups.PhysicalAddress;
import org.jgroups.View;
import org.jgroups.conf.ClassConfigurator;
import org.jgroups.protocols.FILE_PING;
import org.jgroups.protocols.PingData;
import org.jgroups.util.NameCache;
import org.jgroups.util.Responses;

/**
 * Discovery through a shared folder ({@link FILE_PING}) that nodes started together cannot miss. Plain
 * FILE_PING reads first and writes only when it found nobody, so two nodes reading an empty folder at once
 * each formed their own cluster and met seconds later through a merge. Here a node joins under the
 * folder's {@link FolderJoinLock}: from its first look into the folder until it is in a view, no other
 * node of the folder looks, so what it reads is complete — alone, it forms the cluster at once; otherwise
 * it joins the coordinator it finds. Where the folder cannot be locked in {@value #LOCK_WAIT_SECONDS} s
 * (a node frozen while holding it, a file system without locks), the node writes its own file, waits
 * {@value #SETTLE_MILLIS} ms for others starting at the same moment to do the same, and only then reads;
 * seeing each other, they agree on one coordinator (the lowest address) and the others join it.
 */
final class FolderDiscovery extends FILE_PING {
    static final long SETTLE_MILLIS = 500;
    static final long LOCK_WAIT_SECONDS = 20;
    /** A join that has not ended in a view by then lets the next node look. */
    private static final long LOCK_HOLD_SECONDS = 30;

    static {
        ClassConfigurator.addProtocol((short) 1701, FolderDiscovery.class);
    }

    private volatile boolean settled;
    private volatile FolderJoinLock joinLock;

    @Override
    public void findMembers(List<Address> members, boolean initialDiscovery, Responses responses) {
        if (!initialDiscovery || settled) {
            super.findMembers(members, initialDiscovery, responses);
            return;
        }
        settled = true;
        PhysicalAddress physical = (PhysicalAddress) down(new Event(Event.GET_PHYSICAL_ADDRESS, local_addr));
        try {
            joinLock = FolderJoinLock.acquire(Path.of(location, ".join-" + cluster_name + ".lock"),
                    Duration.ofSeconds(LOCK_WAIT_SECONDS));
            if (joinLock != null) {
                timer.schedule(this::releaseJoinLock, LOCK_HOLD_SECONDS, TimeUnit.SECONDS);
            } else {
                log.warn("%s: the discovery folder's join lock was not had in %d s; waiting %d ms for nodes "
                        + "starting at the same moment instead", local_addr, LOCK_WAIT_SECONDS, SETTLE_MILLIS);
                write(List.of(new PingData(local_addr, true, NameCache.get(local_addr), physical).coord(false)),
                        cluster_name);
                Thread.sleep(SETTLE_MILLIS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        super.findMembers(members, true, responses);
        // FILE_PING tells the others its address only when it did not find its own file; it may have, so
        // tell each node found, or a coordinator could not answer this node's join
        for (PingData found : responses) {
            if (!found.getAddress().equals(local_addr)) {
                sendDiscoveryResponse(local_addr, physical, NameCache.get(local_addr), found.getAddress(), false);
            }
        }
    }

    /** In a view (as its coordinator, whose file now says so, or as a member): the next node may look. */
    @Override
    protected void handleView(View newView, View oldView, boolean coordChanged) {
        super.handleView(newView, oldView, coordChanged);
        releaseJoinLock();
    }

    @Override
    public void stop() {
        releaseJoinLock();
        super.stop();
    }

    private void releaseJoinLock() {
        FolderJoinLock lock = joinLock;
        if (lock != null) {
            joinLock = null;
            lock.close();
        }
    }
}
