package io.herdcat.cluster;

import io.herdcat.config.Activation;
import io.herdcat.config.NodeConfig.ClusterSettings;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
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
 * view (so joiners and merged partitions learn it), and drops the records of members that left the
 * view. A change asked of another node (its weight or activation) is sent to that node, which applies
 * and republishes it. Views and messages are handled on one thread, never in JGroups' callbacks.
 */
public final class ClusterMembership implements Receiver, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterMembership.class);
    private static final byte RECORD = 1;
    private static final byte CHANGE_WEIGHT = 2;
    private static final byte CHANGE_ACTIVATION = 3;
    private static final byte NODE_STATS = 4;
    private static final byte FRONT_STATS = 5;
    private static final byte RESET_COUNTERS = 6;

    private final ClusterSettings settings;
    private final Path discoveryRoot;
    private volatile JChannel channel;
    private final Map<Address, NodeRecord> records = new ConcurrentHashMap<>();
    private final List<ClusterListener> listeners = new CopyOnWriteArrayList<>();
    private final ExecutorService events = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "cluster-events");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, Long> sessionsByNode = new ConcurrentHashMap<>();
    private volatile FrontStats frontStats;
    private volatile Runnable onResetCounters = () -> { };
    private volatile java.util.function.Consumer<NodeRecord> onAdminChange = r -> { };
    private volatile NodeRecord self;
    private volatile View view;
    private volatile ClusterView current = new ClusterView(0, List.of(), List.of(), false);

    public ClusterMembership(ClusterSettings settings, NodeRecord initial, Path discoveryRoot) {
        this.settings = settings;
        this.self = initial;
        this.discoveryRoot = discoveryRoot;
    }

    /** The latest statistics the node running the HTTP front published: its name, when, and the encoded snapshot. */
    public record FrontStats(String from, long receivedAtMillis, byte[] snapshot) {
    }

    /** Called with this node's record after an admin request changed its weight or activation. */
    public void onAdminChange(java.util.function.Consumer<NodeRecord> callback) {
        this.onAdminChange = callback;
    }

    /** Called when an admin asks the node running the front to reset its counters. */
    public void onResetCounters(Runnable callback) {
        this.onResetCounters = callback;
    }

    /** Tells every member how many sessions this node holds (sent every second). */
    public void publishSessions(long activeSessions) {
        sessionsByNode.put(self.name(), activeSessions);
        if (channel != null) {
            send(null, NODE_STATS, out -> out.writeLong(activeSessions));
        }
    }

    /** Tells every member what the front on this node sees (sent every second while it runs). */
    public void publishFrontStats(byte[] snapshot) {
        frontStats = new FrontStats(self.name(), System.currentTimeMillis(), snapshot);
        if (channel != null) {
            send(null, FRONT_STATS, out -> {
                out.writeInt(snapshot.length);
                out.write(snapshot);
            });
        }
    }

    /** Active sessions per node name, as each last said. */
    public Map<String, Long> sessionsByNode() {
        return Map.copyOf(sessionsByNode);
    }

    public java.util.Optional<FrontStats> frontStats() {
        return java.util.Optional.ofNullable(frontStats);
    }

    /** Asks node {@code name} (the one running the front) to reset its counters; false when no such member. */
    public boolean requestCountersReset(String name) {
        return request(name, RESET_COUNTERS, 0);
    }

    public void addListener(ClusterListener listener) {
        listeners.add(listener);
    }

    /**
     * Joins the cluster and publishes this node's record.
     *
     * @throws SecurityException when the cluster refuses this node (another secret)
     */
    public void join() throws Exception {
        JChannel ch = new JChannel(JGroupsStack.build(settings, discoveryRoot));
        ch.name(self.name());
        ch.setReceiver(this);
        ch.setDiscardOwnMessages(true);
        channel = ch;
        ch.connect(settings.name());
        update(r -> r);
        LOG.info("Joined cluster {} as {} ({} member(s): {})", settings.name(), self.name(),
                channel.getView().size(), channel.getView().getMembers());
    }

    /** Changes this node's own record and tells every member. */
    public void update(UnaryOperator<NodeRecord> change) {
        synchronized (this) {
            self = change.apply(self);
        }
        events.execute(() -> {
            JChannel ch = channel;
            Address me = ch == null ? null : ch.getAddress();
            if (me != null) {
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
        return request(name, CHANGE_WEIGHT, weight);
    }

    /** Asks node {@code name} (this one included) to take a new activation; false when no such member. */
    public boolean requestActivation(String name, Activation activation) {
        return request(name, CHANGE_ACTIVATION, activation.ordinal());
    }

    private boolean request(String name, byte type, int value) {
        if (name.equals(self.name())) {
            apply(type, value);
            return true;
        }
        for (Map.Entry<Address, NodeRecord> e : records.entrySet()) {
            if (e.getValue().name().equals(name)) {
                send(e.getKey(), type, out -> out.writeInt(value));
                return true;
            }
        }
        return false;
    }

    private void apply(byte type, int value) {
        if (type == RESET_COUNTERS) {
            LOG.info("Front counters reset on request");
            onResetCounters.run();
            return;
        }
        if (type == CHANGE_WEIGHT) {
            LOG.info("Weight of {} set to {}", self.name(), value);
            update(r -> r.withWeight(value));
        } else {
            Activation a = Activation.values()[value];
            LOG.info("Activation of {} set to {}", self.name(), a);
            update(r -> r.withActivation(a));
        }
        onAdminChange.accept(self);
    }

    @Override
    public void viewAccepted(View newView) {
        events.execute(() -> {
            view = newView;
            records.keySet().removeIf(a -> !newView.containsMember(a));
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
        events.execute(() -> handle(from, data, offset, length));
    }

    private void handle(Address from, byte[] data, int offset, int length) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data, offset, length))) {
            byte type = in.readByte();
            if (type == RECORD) {
                NodeRecord r = NodeRecord.readFrom(in);
                NodeRecord old = records.get(from);
                View v = view;
                if ((old == null || old.revision() < r.revision() || !old.startedAt().equals(r.startedAt()))
                        && (v == null || v.containsMember(from))) {
                    records.put(from, r);
                    publishView();
                }
            } else if (type == CHANGE_WEIGHT || type == CHANGE_ACTIVATION || type == RESET_COUNTERS) {
                apply(type, in.readInt());
            } else if (type == NODE_STATS) {
                NodeRecord r = records.get(from);
                if (r != null) {
                    sessionsByNode.put(r.name(), in.readLong());
                }
            } else if (type == FRONT_STATS) {
                NodeRecord r = records.get(from);
                byte[] snapshot = new byte[in.readInt()];
                in.readFully(snapshot);
                frontStats = new FrontStats(r == null ? String.valueOf(from) : r.name(), System.currentTimeMillis(),
                        snapshot);
            } else {
                LOG.warn("Ignored cluster message of unknown type {} from {}", type, from);
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("Ignored a malformed cluster message from {}: {}", from, e.toString());
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
        current = new ClusterView(v.getViewId().getId(), names, ordered, merge);
        for (ClusterListener l : listeners) {
            try {
                l.clusterChanged(current);
            } catch (RuntimeException e) {
                LOG.warn("Cluster listener {} failed", l, e);
            }
        }
    }

    private void multicast(NodeRecord r) {
        send(null, RECORD, r::writeTo);
    }

    private interface Body {
        void write(DataOutputStream out) throws IOException;
    }

    private void send(Address to, byte type, Body body) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeByte(type);
            body.write(out);
            channel.send(new BytesMessage(to, bytes.toByteArray()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            LOG.warn("Could not send to the cluster: {}", e.toString());
        }
    }

    @Override
    public void close() {
        JChannel ch = channel;
        if (ch != null) {
            ch.close();
        }
        events.shutdown();
        try {
            events.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
