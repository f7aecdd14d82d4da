package io.herdcat.cluster;

import io.netty.util.concurrent.DefaultThreadFactory;
import io.herdcat.cluster.ClusterMessage.ViewBeat;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jgroups.Address;
import org.jgroups.BytesMessage;
import org.jgroups.JChannel;
import org.jgroups.MergeView;
import org.jgroups.Message;
import org.jgroups.View;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts the members of the view that still count this node in, so that a node cut off from the
 * majority gives the front up within {@code cluster.silence.timeout} of the cut. Failure detection
 * alone takes longer: it suspects a silent member after 1 to 1.2 × the silence timeout, verifies it for
 * {@code cluster.crash.timeout} and only then installs the smaller view. The other side of the cut may
 * notice it sooner; it holds its own front back until this one has surely closed ({@link DepartedFront},
 * kept here too), so the two never overlap.
 *
 * <p>Every member sends a {@link ClusterMessage.ViewBeat} (its view's members) five times per silence
 * timeout. A member counts as reachable while one that lists this node arrived within the last three
 * quarters of the silence timeout ({@link MemberPulse}); a beat that does not list this node (the other
 * side has removed it; their multicasts still reach it until the views merge) stops it counting at once.
 * Checked 20 times per silence timeout: when the count differs from the one the current
 * {@link ClusterView} holds, the view is published again with the new count, which may take the front
 * away or give it back. A check that runs late (this node itself was paused, so it has not read what
 * arrived meanwhile) waits for the next one before it judges.
 */
final class QuorumWatch implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(QuorumWatch.class);
    private final long windowNanos;
    private final long tickNanos;
    private final long beatNanos;
    private final Supplier<View> view;
    private final Supplier<JChannel> channel;
    private final Supplier<ClusterView> published;
    private final Runnable republish;
    private final Map<Address, MemberPulse> pulses = new HashMap<>();
    private DepartedFront departed;
    private final ScheduledExecutorService timer;
    private long lastTickNanos;

    /**
     * @param view      the view installed now (null before the first)
     * @param channel   this node's channel (null before it joins)
     * @param published the view published last
     * @param republish publishes the view again, with a fresh count
     */
    QuorumWatch(String node, Duration silenceTimeout, Supplier<View> view, Supplier<JChannel> channel,
                Supplier<ClusterView> published, Runnable republish) {
        long silence = silenceTimeout.toNanos();
        this.windowNanos = silence * 3 / 4;
        this.beatNanos = Math.max(TimeUnit.MILLISECONDS.toNanos(50), silence / 5);
        this.tickNanos = Math.max(TimeUnit.MILLISECONDS.toNanos(20), silence / 20);
        this.view = view;
        this.channel = channel;
        this.published = published;
        this.republish = republish;
        this.timer = Executors.newSingleThreadScheduledExecutor(new DefaultThreadFactory("quorum-watch-" + node, true));
    }

    /**
     * Starts sending this node's beats (always: a member with a cluster size counts on them whether this
     * one has a size or not) and, with {@code judge}, checking the others'.
     */
    void start(boolean judge) {
        lastTickNanos = System.nanoTime();
        timer.scheduleAtFixedRate(this::sendBeat, 0, beatNanos, TimeUnit.NANOSECONDS);
        if (judge) {
            timer.scheduleWithFixedDelay(this::check, tickNanos, tickNanos, TimeUnit.NANOSECONDS);
        }
    }

    /**
     * Reads {@code msg} if it is a view beat (sent out of band, read as it arrives so that a busy event
     * queue does not make a member look silent); false for any other message.
     */
    boolean tookBeat(Message msg, View current) {
        if (!msg.isFlagSet(Message.Flag.OOB)) {
            return false;
        }
        ClusterMessage m;
        try {
            m = ClusterMessage.decode(msg.getArray(), msg.getOffset(), msg.getLength());
        } catch (IOException | RuntimeException e) {
            return false; // handled with the others, which refuse and count it
        }
        if (!(m instanceof ViewBeat beat)) {
            return false;
        }
        if (current != null && current.containsMember(msg.getSrc())) {
            beat(msg.getSrc(), beat.members());
        }
        return true;
    }

    private void sendBeat() {
        View v = view.get();
        JChannel ch = channel.get();
        if (v == null || ch == null) {
            return;
        }
        List<java.util.UUID> members = new ArrayList<>();
        for (Address a : v.getMembers()) {
            id(a).ifPresent(members::add);
        }
        try {
            ch.send(new BytesMessage(null, ClusterMessage.encode(new ViewBeat(members)))
                    .setFlag(Message.Flag.OOB, Message.Flag.NO_RELIABILITY, Message.Flag.NO_FC));
        } catch (Exception e) {
            LOG.debug("Could not send a view beat: {}", e.toString());
        }
    }

    private static Optional<java.util.UUID> id(Address a) {
        return a instanceof org.jgroups.util.UUID u
                ? Optional.of(new java.util.UUID(u.getMostSignificantBits(), u.getLeastSignificantBits()))
                : Optional.empty();
    }

    private Address self() {
        JChannel ch = channel.get();
        return ch == null ? null : ch.getAddress();
    }

    /**
     * A view was installed: its members new to this node count as reachable, those gone are forgotten.
     * A merge view was agreed on by every side, so all its members count afresh.
     */
    synchronized void installed(View v) {
        long now = System.nanoTime();
        if (v instanceof MergeView) {
            pulses.clear();
        }
        if (departed != null && v.containsMember(departed.address())) {
            departed = null;
        }
        pulses.keySet().retainAll(v.getMembers());
        for (Address a : v.getMembers()) {
            pulses.computeIfAbsent(a, x -> new MemberPulse(now, windowNanos, 2 * beatNanos));
        }
    }

    /**
     * The node that ran the front ({@code record}) is not in the view about to be installed: hold the front
     * back until it has surely closed it ({@link DepartedFront}); {@code republish} when a probe shows it gone.
     */
    synchronized void frontLeft(Address address, NodeRecord record, Runnable republish) {
        MemberPulse p = pulses.get(address);
        long lastBeat = p == null ? System.nanoTime() : p.lastListed();
        departed = new DepartedFront(address, record.name(), lastBeat + windowNanos + beatNanos + 2 * tickNanos);
        departed.probe(record.ajpHost(), record.ajpPort(), republish);
    }

    /** Why the front may not open yet (see {@link DepartedFront}), or empty. */
    synchronized Optional<String> frontHold() {
        return departed == null ? Optional.empty() : Optional.ofNullable(departed.hold(System.nanoTime()));
    }

    /** A member's beat: the members of its view. */
    synchronized void beat(Address from, List<java.util.UUID> members) {
        MemberPulse p = pulses.get(from);
        Optional<java.util.UUID> me = id(self());
        if (p != null && me.isPresent()) {
            p.beat(System.nanoTime(), members.contains(me.get()));
        }
    }

    /** Members of {@code v} that count this node in, this node included. */
    synchronized int reachable(View v) {
        Address me = self();
        long now = System.nanoTime();
        int n = 0;
        for (Address a : v.getMembers()) {
            MemberPulse p = pulses.get(a);
            if (a.equals(me) || p != null && p.reachable(now)) {
                n++;
            }
        }
        return n;
    }

    private void check() {
        long now = System.nanoTime();
        boolean late = now - lastTickNanos > tickNanos + windowNanos / 4;
        lastTickNanos = now;
        View v = view.get();
        if (late || v == null || self() == null) {
            return;
        }
        ClusterView shown = published.get();
        if (reachable(v) != shown.reachableMembers() || frontHold().isPresent() != shown.frontHold().isPresent()) {
            republish.run();
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
