package io.herdcat.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.catalina.tribes.ByteMessage;
import org.apache.catalina.tribes.Channel;
import org.apache.catalina.tribes.ChannelException;
import org.apache.catalina.tribes.Member;

/**
 * Replicates the session changes of concurrent requests together: each request's change is queued
 * (in the order the changes were made), and the request thread then waits in {@link #await} until
 * a message holding its change has been acknowledged by every member. One message is in flight at a
 * time; the changes queued meanwhile go out together in the next one ({@link DeltaBatch}), sent by
 * the first waiting request thread that finds the channel free, so the round trip, the acknowledgement
 * and the system calls of one send are shared by every request in it. The guarantee is each
 * request's own: its response is released only after the acknowledgement covering its change (sent
 * by the member after applying it), and a failed send fails every change in that message.
 */
final class GroupCommit {
    private final Channel channel;
    private final int sendOptions;
    private final ReplicationCounters counters;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition sent = lock.newCondition();
    private List<Ticket> queue = new ArrayList<>();
    private boolean sending;

    /** A queued change and, once its message is answered, the outcome. */
    static final class Ticket {
        private final DeltaBatch.Change change;
        private boolean done;
        private ChannelException failure;

        private Ticket(DeltaBatch.Change change) {
            this.change = change;
        }
    }

    GroupCommit(Channel channel, int sendOptions, ReplicationCounters counters) {
        this.channel = channel;
        this.sendOptions = sendOptions;
        this.counters = counters;
    }

    /**
     * Queues a change to replicate. Called while the session's change is taken, so the changes of one
     * session are queued, and sent, in the order they were made.
     */
    Ticket enqueue(DeltaBatch.Change change) {
        Ticket t = new Ticket(change);
        lock.lock();
        try {
            queue.add(t);
        } finally {
            lock.unlock();
        }
        return t;
    }

    /** Changes queued and not yet in a message. */
    int queued() {
        lock.lock();
        try {
            return queue.size();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Returns once the change is acknowledged by every member (or there is no member to send it to);
     * throws when the message holding it was not. While no message is in flight, the calling thread
     * sends everything queued.
     */
    void await(Ticket ticket) throws ChannelException, InterruptedException {
        lock.lock();
        try {
            while (!ticket.done) {
                if (sending) {
                    sent.await();
                    continue;
                }
                List<Ticket> batch = queue;
                queue = new ArrayList<>();
                sending = true;
                ChannelException failure = null;
                lock.unlock();
                try {
                    send(batch);
                } catch (ChannelException e) {
                    failure = e;
                } catch (RuntimeException e) {
                    failure = new ChannelException(e);
                } finally {
                    lock.lock();
                    sending = false;
                    for (Ticket t : batch) {
                        t.done = true;
                        t.failure = failure;
                    }
                    sent.signalAll();
                }
            }
            if (ticket.failure != null) {
                throw ticket.failure;
            }
        } finally {
            lock.unlock();
        }
    }

    private void send(List<Ticket> batch) throws ChannelException {
        Member[] members = channel.getMembers();
        if (batch.isEmpty() || members.length == 0) {
            return;
        }
        List<DeltaBatch.Change> changes = new ArrayList<>(batch.size());
        for (Ticket t : batch) {
            changes.add(t.change);
        }
        channel.send(members, new ByteMessage(DeltaBatch.encode(changes)), sendOptions);
        counters.changesReplicated(batch.size());
    }
}
