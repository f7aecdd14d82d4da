package io.herdcat.cluster;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.herdcat.config.Activation;
import io.herdcat.config.ClusterSecret;
import io.herdcat.config.DispatcherMode;
import io.herdcat.config.NodeConfig.ClusterSettings;
import io.herdcat.config.NodeConfig.SessionManagerKind;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.catalina.ha.ClusterMessage;
import org.apache.catalina.ha.session.SessionMessage;
import org.apache.catalina.tribes.ByteMessage;
import org.apache.catalina.tribes.Channel;
import org.apache.catalina.tribes.ChannelException;
import org.apache.catalina.tribes.membership.MemberImpl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two real Tribes channels on loopback, set up as a node sets them up (encrypted, replay-guarded,
 * synchronous acknowledged sends), with session changes replicated from a to b through group commit.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class GroupCommitTest {
    private static final int WRITERS = 16;
    private Node a;
    private Node b;
    /** What b's cluster delivered to its session managers, in order: "session=body". */
    private final List<String> onB = Collections.synchronizedList(new ArrayList<>());
    private final CountDownLatch firstOnB = new CountDownLatch(1);
    private final CountDownLatch releaseFirst = new CountDownLatch(1);

    /** One node's replication channel, its membership fed by hand instead of by JGroups. */
    private static final class Node {
        final String name;
        final ReplicationCounters counters = new ReplicationCounters();
        final AtomicReference<MemberImpl> member = new AtomicReference<>();
        final TribesMembershipBridge bridge;
        final ReplicatingCluster cluster;

        Node(String name) throws ChannelException {
            this.name = name;
            ClusterSettings cs = new ClusterSettings("group-commit", InetAddress.getLoopbackAddress(), List.of(),
                    null, 0, 0, new ClusterSecret("group-commit-test-secret-0123456789abcdef"),
                    SessionManagerKind.DELTA, Duration.ofSeconds(5), Duration.ofSeconds(2), Duration.ofSeconds(10), 0);
            bridge = new TribesMembershipBridge(name,
                    NodeRecord.sessionFormat("11.0.21", NodeRecord.REPLICATION_FORMAT), member::set);
            cluster = (ReplicatingCluster) SessionReplication.create(cs, name, bridge, counters, () -> { });
            cluster.getChannel().start(Channel.DEFAULT);
        }

        NodeRecord record() {
            MemberImpl m = member.get();
            return new NodeRecord(name, 1, NodeRecord.Phase.READY, "127.0.0.1", 8009, 8080, 9080, m.getHostname(),
                    m.getPort(), m.getData(), 1, Activation.ACTIVE, DispatcherMode.AUTO, "test", "11.0.21", List.of(),
                    Instant.EPOCH, NodeRecord.REPLICATION_FORMAT);
        }

        private boolean stopped;

        void stop() throws ChannelException {
            if (!stopped) {
                stopped = true;
                cluster.getChannel().stop(Channel.DEFAULT);
            }
        }
    }

    @BeforeEach
    void twoMembers() throws Exception {
        a = new Node("a");
        b = new Node("b");
        ClusterView view = new ClusterView(1, List.of("a", "b"), List.of(a.record(), b.record()), false);
        for (Node n : new Node[] {a, b}) {
            n.bridge.clusterChanged(view);
            n.bridge.open();
        }
        b.cluster.addClusterListener(new org.apache.catalina.ha.ClusterListener() {
            @Override
            public boolean accept(ClusterMessage msg) {
                return msg instanceof SessionMessage;
            }

            @Override
            public void messageReceived(ClusterMessage msg) {
                SessionMessage m = (SessionMessage) msg;
                assertEquals(SessionMessage.EVT_SESSION_DELTA, m.getEventType());
                onB.add(m.getSessionID() + "=" + new String(m.getSession(), StandardCharsets.UTF_8));
                if (firstOnB.getCount() > 0) {
                    firstOnB.countDown();
                    try {
                        releaseFirst.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        });
    }

    @AfterEach
    void stop() throws ChannelException {
        releaseFirst.countDown();
        a.stop();
        b.stop();
    }

    private static DeltaBatch.Change change(int i) {
        return new DeltaBatch.Change("/app", "s" + (i % 4), ("write " + i).getBytes(StandardCharsets.UTF_8));
    }

    private static String key(int i) {
        return "s" + (i % 4) + "=write " + i;
    }

    @Test
    void concurrentWritesShareMessagesAndEachIsOnThePeerWhenItsWaitEnds() throws Exception {
        GroupCommit commit = a.cluster.groupCommit();
        List<String> queuedOrder = new ArrayList<>();
        List<String> notOnPeer = Collections.synchronizedList(new ArrayList<>());
        List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> writers = new ArrayList<>();
        for (int i = 0; i < WRITERS; i++) {
            int n = i;
            Thread t = new Thread(() -> {
                try {
                    if (n > 0) {
                        go.await();
                    }
                    GroupCommit.Ticket ticket;
                    synchronized (queuedOrder) {
                        ticket = commit.enqueue(change(n));
                        queuedOrder.add(key(n));
                    }
                    commit.await(ticket);
                    if (!onB.contains(key(n))) {
                        notOnPeer.add(key(n));
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            }, "writer-" + i);
            writers.add(t);
            t.start();
        }
        // the first write's message is held on b while the others are queued behind it
        assertTrue(firstOnB.await(30, TimeUnit.SECONDS), "the first write reaches b");
        go.countDown();
        await().atMost(Duration.ofSeconds(30)).until(() -> commit.queued() == WRITERS - 1);
        releaseFirst.countDown();
        for (Thread t : writers) {
            t.join(30_000);
        }

        assertEquals(List.of(), failures);
        assertEquals(List.of(), notOnPeer, "every write whose wait ended was applied on b");
        assertEquals(queuedOrder, onB, "b applied every write once, in the order they were queued");
        assertEquals(WRITERS, a.counters.changesReplicated());
        assertEquals(2, a.counters.changeMessages(), "the first write alone, then the other 15 in one message");
        assertEquals(0, b.counters.droppedMessages());
    }

    @Test
    void aFailedSendFailsEveryWriteInTheMessage() throws Exception {
        b.stop();
        GroupCommit commit = a.cluster.groupCommit();
        GroupCommit.Ticket first = commit.enqueue(change(1));
        GroupCommit.Ticket second = commit.enqueue(change(2));
        assertThrows(ChannelException.class, () -> commit.await(first));
        assertThrows(ChannelException.class, () -> commit.await(second), "sent after it, and failed too");
        assertEquals(0, a.counters.changesReplicated());
        assertTrue(a.counters.sendFailures() >= 1);
    }

    /** Tribes sends a refused message again: the copy is refused too, not acknowledged as a repeat. */
    @Test
    void anUnreadableBatchIsRefusedWithANegativeAcknowledgementAndCounted() throws IOException {
        byte[] message = DeltaBatch.encode(List.of(change(1)));
        byte[] broken = Arrays.copyOf(message, message.length - 3);
        assertThrows(ChannelException.class, () -> a.cluster.getChannel().send(a.cluster.getChannel().getMembers(),
                new ByteMessage(broken), SessionReplication.SYNC_ACK));
        assertTrue(b.counters.droppedMessages() >= 1, "counted on b");
        assertEquals(List.of(), onB);
    }
}
