package io.herdcat.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.catalina.tribes.Member;
import org.apache.catalina.tribes.MembershipProvider;
import org.apache.catalina.tribes.membership.MemberImpl;
import org.apache.catalina.tribes.membership.Membership;
import org.apache.catalina.tribes.membership.MembershipServiceBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tribes' membership, fed from the JGroups view instead of Tribes' own multicast: a member is added
 * when its node record carries its Tribes address, and removed when it leaves the view.
 *
 * <p>While this node starts, only members that are READY count: a starting node asks a running one
 * for the existing sessions, and two nodes starting at the same moment never wait for each other
 * (stock DeltaManager would stall for its state-transfer timeout). Once this node is ready, starting
 * members count too, so they receive every change made while they load the sessions. Members whose
 * Herdcat or Tomcat version differs never count: their serialized sessions may not be readable here.
 */
final class TribesMembershipBridge extends MembershipServiceBase implements ClusterListener {
    private static final Logger LOG = LoggerFactory.getLogger(TribesMembershipBridge.class);

    private final String selfName;
    private final String sessionFormat;
    private final Consumer<MemberImpl> publishLocalMember;
    private volatile Consumer<Member> onServingMemberAdded = m -> { };
    private final Map<String, Member> added = new HashMap<>();
    private final Set<String> refused = new HashSet<>();
    /** Members to fetch sessions from once they are replication members: they served apart from us. */
    private final Set<String> servedApart = new HashSet<>();
    private volatile MemberImpl localMember;
    private volatile Membership membership;
    private volatile boolean open;
    private volatile ClusterView lastView;
    /** Tribes ids of every node in the current view, whatever its phase: the nodes replication messages may come from. */
    private volatile Set<String> knownIds = Set.of();
    private final Object knownLock = new Object();
    private byte[] payload = new byte[0];
    private byte[] domain = new byte[0];

    TribesMembershipBridge(String selfName, String sessionFormat, Consumer<MemberImpl> publishLocalMember) {
        this.selfName = selfName;
        this.sessionFormat = sessionFormat;
        this.publishLocalMember = publishLocalMember;
    }

    @Override
    public void setLocalMemberProperties(String host, int port, int securePort, int udpPort) {
        try {
            MemberImpl m = new MemberImpl(host, port, 0);
            byte[] id = new byte[16];
            new SecureRandom().nextBytes(id);
            m.setUniqueId(id);
            m.setPayload(payload);
            m.setDomain(domain);
            m.setSecurePort(securePort);
            m.setUdpPort(udpPort);
            m.setLocal(true);
            m.getData(true, true);
            localMember = m;
            membership = new Membership(m);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void start(int level) {
        if (level == MBR_RX && localMember != null) {
            publishLocalMember.accept(localMember);
            ClusterView v = lastView;
            if (v != null) {
                clusterChanged(v);
            }
        }
    }

    @Override
    public void stop(int level) {
        // membership ends with the JGroups channel
    }

    /**
     * Called for each member that served while apart from this node (a healed partition, or two
     * nodes that started at the same moment and each formed a cluster of one), once it is a
     * replication member again: each may hold sessions the other lacks.
     */
    void onServingMemberAdded(Consumer<Member> callback) {
        this.onServingMemberAdded = callback;
    }

    /** From now on starting members count too: this node has its sessions and serves. */
    void open() {
        open = true;
        ClusterView v = lastView;
        if (v != null) {
            clusterChanged(v);
        }
    }

    @Override
    public synchronized void clusterChanged(ClusterView view) {
        lastView = view;
        Set<String> ids = new HashSet<>();
        view.records().stream().filter(NodeRecord::hasTribesMember)
                .forEach(r -> ids.add(HexFormat.of().formatHex(MemberImpl.getMember(r.tribesMember()).getUniqueId())));
        synchronized (knownLock) {
            knownIds = Set.copyOf(ids);
            knownLock.notifyAll();
        }
        if (view.merge()) {
            view.memberNames().stream().filter(n -> !n.equals(selfName)).forEach(servedApart::add);
        }
        Membership m = membership;
        if (m == null) {
            return;
        }
        Map<String, NodeRecord> wanted = new HashMap<>();
        for (NodeRecord r : view.records()) {
            if (r.name().equals(selfName) || !r.hasTribesMember()) {
                continue;
            }
            if (!r.sessionFormat().equals(sessionFormat)) {
                if (refused.add(r.name())) {
                    LOG.warn("Node {} runs {} and this node {}: sessions are not exchanged with it",
                            r.name(), r.sessionFormat(), sessionFormat);
                }
                continue;
            }
            if (open || r.phase() == NodeRecord.Phase.READY) {
                wanted.put(key(r.tribesMember()), r);
            }
        }
        for (Map.Entry<String, NodeRecord> e : wanted.entrySet()) {
            if (!added.containsKey(e.getKey())) {
                Member member = MemberImpl.getMember(e.getValue().tribesMember());
                added.put(e.getKey(), member);
                m.addMember(member);
                LOG.info("Replicating sessions with {} ({})", e.getValue().name(), member.getName());
                memberAdded(member);
            }
        }
        for (NodeRecord r : wanted.values()) {
            if (open && r.phase() == NodeRecord.Phase.READY && servedApart.remove(r.name())) {
                onServingMemberAdded.accept(added.get(key(r.tribesMember())));
            }
        }
        Set<String> inView = new HashSet<>();
        view.records().forEach(r -> inView.add(key(r.tribesMember())));
        for (String k : Set.copyOf(added.keySet())) {
            if (!inView.contains(k)) {
                Member member = added.remove(k);
                m.removeMember(member);
                LOG.info("Stopped replicating with {}", member.getName());
                memberDisappeared(member);
            }
        }
    }

    /** A Tribes member is its address and unique id (a restarted node is a new member). */
    private static String key(byte[] data) {
        if (data.length == 0) {
            return "";
        }
        Member m = MemberImpl.getMember(data);
        return HexFormat.of().formatHex(m.getUniqueId()) + "@" + m.getName();
    }

    /**
     * True when a node of the current view has this Tribes member id, waiting up to {@code millis} for
     * it: a node's first replication message can arrive before its record does.
     */
    boolean awaitKnownMember(byte[] uniqueId, long millis) throws InterruptedException {
        String id = HexFormat.of().formatHex(uniqueId);
        long deadline = System.nanoTime() + millis * 1_000_000;
        synchronized (knownLock) {
            while (!knownIds.contains(id)) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    return false;
                }
                knownLock.wait(left);
            }
            return true;
        }
    }

    /** Names of the nodes whose sessions this node will not read. */
    synchronized Set<String> refusedNodes() {
        return Set.copyOf(refused);
    }

    @Override
    public boolean hasMembers() {
        Membership m = membership;
        return m != null && m.hasMembers();
    }

    @Override
    public Member getMember(Member mbr) {
        Membership m = membership;
        return m == null ? null : m.getMember(mbr);
    }

    @Override
    public Member[] getMembers() {
        Membership m = membership;
        return m == null ? new Member[0] : m.getMembers();
    }

    @Override
    public Member getLocalMember(boolean incAliveTime) {
        return localMember;
    }

    @Override
    public void setPayload(byte[] payload) {
        this.payload = payload == null ? new byte[0] : payload.clone();
    }

    @Override
    public void setDomain(byte[] domain) {
        this.domain = domain == null ? new byte[0] : domain.clone();
    }

    @Override
    public MembershipProvider getMembershipProvider() {
        return null;
    }
}
