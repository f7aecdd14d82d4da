package io.herdcat.cluster;

import io.herdcat.cluster.ClusterMessage.FrontStatsMsg;
import io.herdcat.cluster.ClusterMessage.NodeStats;
import io.herdcat.cluster.ClusterMessage.RecordMsg;
import io.herdcat.cluster.ClusterMessage.RecordRequest;
import io.herdcat.cluster.ClusterMessage.ResetCounters;
import io.herdcat.cluster.ClusterMessage.SetActivation;
import io.herdcat.cluster.ClusterMessage.SetWeight;
import io.herdcat.cluster.ClusterMessage.TopicMsg;
import io.herdcat.cluster.ClusterMessage.ViewBeat;
import io.herdcat.cluster.RejectedMessages.Reason;
import io.herdcat.config.Activation;
import io.herdcat.config.NodeConfig.ClusterSettings;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.jgroups.Address;
import org.jgroups.BytesMessage;
import org.jgroups.JChannel;
import org.jgroups.MergeView;
import org.jgroups.Message;
import org.jgroups.Receiver;
import org.jgroups.View;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's JGroups channel and the table of node records it keeps in step with every member.
 * Each node is the only writer of its own record: it multicasts it on every change and on every new
 * view, and drops the records of members that left the view. A record that arrives before the view
 * that holds its sender waits until that view is installed; and every second each node says which copy
 * of its record is current (with its session count), so a member that missed it — after a merge, say —
 * asks for it. A change asked of another node (its weight or activation) is sent to that node, which
 * applies it only when it comes from a member of its current view, and republishes. Views and messages
 * are handled on one thread ({@link ClusterEvents}), never in JGroups' callbacks; only the members' view
 * beats are read as they arrive. With a cluster size, each published view counts the members that still
 * count this node in ({@link QuorumWatch}), so a node cut off from the majority elects nobody before
 * failure detection has shrunk the view.
 */
public final class ClusterMembership implements Receiver, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterMembership.class);
    /** Records of senders not yet in the view, kept for so many senders at most. */
    private static final int MAX_PENDING = 64;

    private final ClusterSettings settings;
    private final Path discoveryRoot;
    private final RejectedMessages rejected;
    private final ClusterEvents events;
    private final Quorum quorum;
    private final QuorumWatch quorumWatch;
    private volatile JChannel channel;
    /** Set by {@link #close()}: a join still building its channel (on its own thread) then closes it. */
    private volatile boolean closed;
    private final Map<Address, NodeRecord> records = new ConcurrentHashMap<>();
    private final Map<Address, NodeRecord> pending = new LinkedHashMap<>();
    private final List<ClusterListener> listeners = new CopyOnWriteArrayList<>();
    private final Map<String, Long> sessionsByNode = new ConcurrentHashMap<>();
    private volatile FrontStats frontStats;
    private volatile Runnable onResetCounters = () -> { };
    private volatile Consumer<NodeRecord> onAdminChange = r -> { };
    private final Map<String, TopicListener> topics = new ConcurrentHashMap<>();
    private volatile NodeRecord self;
    private volatile View view;
    private volatile ClusterView current = new ClusterView(0, List.of(), List.of(), false);
    /** The view the listeners were last told of; waited on by {@link #awaitRecords}. */
    private ClusterView delivered;
    private final Object deliveredLock = new Object();

    public ClusterMembership(ClusterSettings settings, NodeRecord initial, Path discoveryRoot) {
        this.settings = settings;
        this.self = initial;
        this.discoveryRoot = discoveryRoot;
        this.rejected = new RejectedMessages(initial.name());
        this.events = new ClusterEvents(rejected);
        this.quorum = new Quorum(settings.size());
        this.quorumWatch = new QuorumWatch(initial.name(), settings.silenceTimeout(), () -> view, () -> channel,
                () -> current, () -> events.submit(this::publishView));
    }

    /** The latest statistics the node running the HTTP front published: its name, when, and the encoded snapshot. */
    public record FrontStats(String from, long receivedAtMillis, byte[] snapshot) {
    }

    /** Cluster messages this node refused, by reason. */
    public RejectedMessages rejectedMessages() {
        return rejected;
    }

    /** Called with this node's record after an admin request changed its weight or activation. */
    public void onAdminChange(Consumer<NodeRecord> callback) {
        this.onAdminChange = callback;
    }

    /** Called when an admin asks the node running the front to reset its counters. */
    public void onResetCounters(Runnable callback) {
        this.onResetCounters = callback;
    }

    /** Tells every member how many sessions this node holds and which record of it is current (every second). */
    public void publishSessions(long activeSessions) {
        sessionsByNode.put(self.name(), activeSessions);
        if (channel != null) {
            NodeRecord me = self;
            send(null, new NodeStats(activeSessions, me.revision(), me.startedAt().toEpochMilli()));
        }
    }

    /** Tells every member what the front on this node sees (sent every second while it runs). */
    public void publishFrontStats(byte[] snapshot) {
        frontStats = new FrontStats(self.name(), System.currentTimeMillis(), snapshot);
        if (channel != null) {
            send(null, new FrontStatsMsg(snapshot));
        }
    }

    /** Active sessions per node name, as each last said. */
    public Map<String, Long> sessionsByNode() {
        return Map.copyOf(sessionsByNode);
    }

    public Optional<FrontStats> frontStats() {
        return Optional.ofNullable(frontStats);
    }

    /** Asks node {@code name} (the one running the front) to reset its counters; false when no such member. */
    public boolean requestCountersReset(String name) {
        return request(name, new ResetCounters());
    }

    public void addListener(ClusterListener listener) {
        listeners.add(listener);
    }

    /** Receives the messages of one topic from members of the current view. */
    @FunctionalInterface
    public interface TopicListener {
        /** On the cluster's event thread: hand anything slow to a thread of your own. */
        void received(String fromNode, byte[] payload);
    }

    /** {@code listener} gets every message of {@code topic} a member sends. */
    public void onTopic(String topic, TopicListener listener) {
        topics.put(topic, listener);
    }

    /**
     * Sends a message of {@code topic} to node {@code name}, or to every other member when
     * {@code name} is null (never to this node); false when there is no such member.
     */
    public boolean sendTopic(String name, String topic, byte[] payload) {
        TopicMsg m = new TopicMsg(topic, payload);
        if (name == null) {
            send(null, m);
            return true;
        }
        for (Map.Entry<Address, NodeRecord> e : records.entrySet()) {
            if (e.getValue().name().equals(name) && !name.equals(self.name())) {
                send(e.getKey(), m);
                return true;
            }
        }
        return false;
    }

    /**
     * Joins the cluster and publishes this node's record.
     *
     * @throws SecurityException when the cluster refuses this node (another secret)
     */
    public void join() throws Exception {
        events.start();
        JChannel ch = new JChannel(JGroupsStack.build(settings, discoveryRoot, self.name(), rejected));
        ch.name(self.name());
        ch.setReceiver(this);
        ch.setDiscardOwnMessages(true);
        channel = ch;
        if (closed) {
            ch.close();
            throw new IllegalStateException(self.name() + " was stopped while it joined");
        }
        ch.connect(settings.name());
        update(r -> r);
        LOG.info("Joined cluster {} as {} ({} member(s): {}); messages sealed with {}", settings.name(), self.name(),
                channel.getView().size(), channel.getView().getMembers(), settings.secret().origin());
        if (quorum.size() > 0) {
            LOG.info("{}: cluster.size is {}: this node runs the front only while it reaches {} member(s), itself "
                    + "included", self.name(), quorum.size(), quorum.majority());
        }
        quorumWatch.start(quorum.size() > 0);
    }

    /**
     * Waits up to {@code timeout} until the listeners were told of a view that holds every member's
     * record: only then does Tribes' membership know which members are READY to hand over their
     * sessions. A member's record arrives just after the view that holds it (each member publishes its
     * own on every new view). False when some record was still missing at the timeout.
     */
    public boolean awaitRecords(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (deliveredLock) {
            while (delivered == null || delivered.records().size() < delivered.memberNames().size()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(deliveredLock, left);
            }
            return true;
        }
    }

    /** Changes this node's own record and tells every member. */
    public void update(UnaryOperator<NodeRecord> change) {
        synchronized (this) {
            self = change.apply(self);
        }
        events.submit(() -> {
            JChannel ch = channel;
            Address me = ch == null ? null : ch.getAddress();
            // while the channel connects the record waits: the join publishes it once connected
            if (me != null && ch.isConnected()) {
                records.put(me, self);
                multicast(self);
                publishView();
            }
        });
    }

    public NodeRecord self() {
        return self;
    }

    public ClusterView view() {
        return current;
    }

    /** Asks node {@code name} (this one included) to take a new weight; false when no such member. */
    public boolean requestWeight(String name, int weight) {
        return request(name, new SetWeight(weight));
    }

    /** Asks node {@code name} (this one included) to take a new activation; false when no such member. */
    public boolean requestActivation(String name, Activation activation) {
        return request(name, new SetActivation(activation));
    }

    private boolean request(String name, ClusterMessage command) {
        if (name.equals(self.name())) {
            apply(command);
            return true;
        }
        for (Map.Entry<Address, NodeRecord> e : records.entrySet()) {
            if (e.getValue().name().equals(name)) {
                send(e.getKey(), command);
                return true;
            }
        }
        return false;
    }

    private void apply(ClusterMessage command) {
        if (command instanceof ResetCounters) {
            LOG.info("Front counters reset on request");
            onResetCounters.run();
            return;
        }
        if (command instanceof SetWeight w) {
            LOG.info("Weight of {} set to {}", self.name(), w.weight());
            update(r -> r.withWeight(w.weight()));
        } else if (command instanceof SetActivation a) {
            LOG.info("Activation of {} set to {}", self.name(), a.activation());
            update(r -> r.withActivation(a.activation()));
        } else {
            throw new IllegalArgumentException("not an admin command: " + command);
        }
        onAdminChange.accept(self);
    }

    @Override
    public void viewAccepted(View newView) {
        events.submit(() -> {
            if (newView instanceof MergeView merged) {
                LOG.info("{}: partitions merged into one view of {} member(s) (from {} subgroups)", self.name(),
                        merged.size(), merged.getSubgroups().size());
            }
            if (quorum.size() > 0) {
                current.dispatcher().filter(front -> !front.equals(self.name())).ifPresent(front ->
                        records.forEach((a, r) -> {
                            if (r.name().equals(front) && !newView.containsMember(a)) {
                                quorumWatch.frontLeft(a, r, () -> events.submit(this::publishView));
                            }
                        }));
            }
            quorumWatch.installed(newView);
            view = newView;
            records.keySet().removeIf(a -> !newView.containsMember(a));
            synchronized (pending) {
                for (Address a : newView.getMembers()) {
                    NodeRecord waiting = pending.remove(a);
                    if (waiting != null) {
                        store(a, waiting);
                    }
                }
            }
            sessionsByNode.keySet().retainAll(records.values().stream().map(NodeRecord::name).toList());
            Address me = channel.getAddress();
            if (me != null) {
                records.put(me, self);
            }
            multicast(self);
            publishView(newView instanceof MergeView);
        });
    }

    @Override
    public void receive(Message msg) {
        byte[] data = msg.getArray();
        int offset = msg.getOffset();
        int length = msg.getLength();
        Address from = msg.getSrc();
        if (quorumWatch.tookBeat(msg, view)) {
            return;
        }
        events.offer(() -> handle(from, data, offset, length));
    }

    private void handle(Address from, byte[] data, int offset, int length) {
        ClusterMessage m;
        try {
            m = ClusterMessage.decode(data, offset, length);
        } catch (IOException | RuntimeException e) {
            rejected.reject(Reason.UNREADABLE, from, e.getMessage());
            return;
        }
        View v = view;
        boolean member = v != null && v.containsMember(from);
        if (m instanceof RecordMsg r) {
            if (member) {
                store(from, r.record());
            } else {
                synchronized (pending) {
                    pending.remove(from);
                    pending.put(from, r.record());
                    if (pending.size() > MAX_PENDING) {
                        pending.remove(pending.keySet().iterator().next());
                    }
                }
            }
        } else if (m instanceof NodeStats s) {
            NodeRecord known = records.get(from);
            if (member && (known == null || known.revision() < s.revision()
                    || known.startedAt().toEpochMilli() != s.startedAtMillis())) {
                send(from, new RecordRequest());
            }
            if (member && known != null) {
                sessionsByNode.put(known.name(), s.sessions());
            }
        } else if (m instanceof RecordRequest) {
            if (member) {
                send(from, new RecordMsg(self));
            }
        } else if (m instanceof FrontStatsMsg f) {
            if (member) {
                NodeRecord r = records.get(from);
                frontStats = new FrontStats(r == null ? String.valueOf(from) : r.name(), System.currentTimeMillis(),
                        f.snapshot());
            }
        } else if (m instanceof TopicMsg t) {
            topic(from, member, t);
        } else if (m instanceof ViewBeat) {
            return; // read as it arrives (receive), never queued
        } else if (m instanceof SetWeight w && (w.weight() < 1 || w.weight() > 100)) {
            rejected.reject(Reason.UNREADABLE, from, "weight " + w.weight() + " out of 1-100");
        } else {
            command(from, member, m);
        }
    }

    private void topic(Address from, boolean member, TopicMsg t) {
        NodeRecord sender = records.get(from);
        if (!member || sender == null) {
            rejected.reject(Reason.NON_MEMBER, from, "topic " + t.topic() + " from a node outside the current view");
            return;
        }
        TopicListener listener = topics.get(t.topic());
        if (listener == null) {
            rejected.reject(Reason.UNREADABLE, from, "topic " + t.topic() + " that no part of this node reads");
            return;
        }
        try {
            listener.received(sender.name(), t.payload());
        } catch (RuntimeException e) {
            LOG.warn("{}: a message of topic {} from {} failed: {}", self.name(), t.topic(), sender.name(), e.toString());
        }
    }

    private void command(Address from, boolean member, ClusterMessage command) {
        if (!member) {
            rejected.reject(Reason.NON_MEMBER, from, command.type() + " from a node outside the current view");
            return;
        }
        apply(command);
    }

    private void store(Address from, NodeRecord r) {
        NodeRecord old = records.get(from);
        if (old == null || old.revision() < r.revision() || !old.startedAt().equals(r.startedAt())) {
            records.put(from, r);
            publishView();
        }
    }

    private void publishView() {
        publishView(false);
    }

    private void publishView(boolean merge) {
        View v = view;
        if (v == null) {
            return;
        }
        List<String> names = new ArrayList<>();
        List<NodeRecord> ordered = new ArrayList<>();
        for (Address a : v.getMembers()) {
            NodeRecord r = records.get(a);
            names.add(r != null ? r.name() : String.valueOf(a));
            if (r != null) {
                ordered.add(r);
            }
        }
        ClusterView before = current;
        current = quorum.size() == 0 ? new ClusterView(v.getViewId().getId(), names, ordered, merge)
                : new ClusterView(v.getViewId().getId(), names, ordered, merge, quorum, quorumWatch.reachable(v),
                        quorumWatch.frontHold());
        logQuorumChange(before, current);
        for (ClusterListener l : listeners) {
            try {
                l.clusterChanged(current);
            } catch (RuntimeException e) {
                LOG.warn("Cluster listener {} failed", l, e);
            }
        }
        synchronized (deliveredLock) {
            delivered = current;
            deliveredLock.notifyAll();
        }
    }

    private void logQuorumChange(ClusterView before, ClusterView now) {
        Optional<String> was = before.memberNames().isEmpty() ? Optional.empty() : quorum.loss(before.reachableMembers());
        Optional<String> is = now.memberNames().isEmpty() ? Optional.empty() : quorum.loss(now.reachableMembers());
        if (is.isPresent() && !is.equals(was)) {
            LOG.warn("{}: {} (cluster.size {}): no node here may run the front", self.name(), is.get(), quorum.size());
        } else if (is.isEmpty() && was.isPresent()) {
            LOG.info("{}: quorum reached: {} of {} members reachable", self.name(), now.reachableMembers(),
                    quorum.size());
        }
        if (now.frontHold().isPresent() && before.frontHold().isEmpty()) {
            LOG.info("{}: the front stays closed: {}", self.name(), now.frontHold().get());
        } else if (now.frontHold().isEmpty() && before.frontHold().isPresent()) {
            LOG.info("{}: the front may open again", self.name());
        }
    }

    private void multicast(NodeRecord r) {
        send(null, new RecordMsg(r));
    }

    private void send(Address to, ClusterMessage m) {
        try {
            channel.send(new BytesMessage(to, ClusterMessage.encode(m)));
        } catch (Exception e) {
            LOG.warn("Could not send to the cluster: {}", e.toString());
        }
    }

    @Override
    public void close() {
        closed = true;
        quorumWatch.close();
        JChannel ch = channel;
        if (ch != null) {
            ch.close();
        }
        events.close();
    }
}
