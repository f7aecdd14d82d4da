package io.herdcat.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
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
    /** Guards {@code open} and {@code sending}; never held while sending or waiting. */
    private final Object lock = new Object();
    /** The changes queued since the last message left: the next message. */
    private Batch open = new Batch();
    private boolean sending;

    /** The changes of one message, in the order queued. */
    private static final class Batch {
        final List<Ticket> tickets = new ArrayList<>();
        /** Set when the message before this one was answered: one of its waiters is to send it. */
        volatile boolean sendNow;
    }

    /** A queued change; its thread parks until the message holding it is answered (or it is to send it). */
    static final class Ticket {
        private final DeltaBatch.Change change;
        private final Batch batch;
        private volatile boolean done;
        private volatile ChannelException failure;
        private volatile Thread waiter;

        private Ticket(DeltaBatch.Change change, Batch batch) {
            this.change = change;
            this.batch = batch;
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
        synchronized (lock) {
            Ticket t = new Ticket(change, open);
            open.tickets.add(t);
            return t;
        }
    }

    /** Changes queued and not yet in a message. */
    int queued() {
        synchronized (lock) {
            return open.tickets.size();
        }
    }

    /**
     * Returns once the change is acknowledged by every member (or there is no member to send it to);
     * throws when the message holding it was not. While no message is in flight, the calling thread
     * sends everything queued. A waiting thread is woken once: when its message is answered, or when
     * its message is the next to go and the channel became free (one of its waiters then sends it).
     */
    void await(Ticket ticket) throws ChannelException, InterruptedException {
        Batch mine = ticket.batch;
        while (!ticket.done) {
            boolean send;
            synchronized (lock) {
                send = !sending && mine == open;
                if (send) {
                    open = new Batch();
                    sending = true;
                    mine.sendNow = false;
                } else {
                    ticket.waiter = Thread.currentThread();
                }
            }
            if (send) {
                sendAndComplete(mine);
                continue;
            }
            while (!ticket.done && !mine.sendNow) {
                LockSupport.park(this);
                if (Thread.interrupted()) {
                    ticket.waiter = null;
                    if (mine.sendNow) {
                        wakeOneOf(mine);   // this thread was to send the next message: another one will
                    }
                    throw new InterruptedException("waiting for the acknowledgement of a session change");
                }
            }
        }
        if (ticket.failure != null) {
            throw ticket.failure;
        }
    }

    private void sendAndComplete(Batch batch) {
        ChannelException failure = null;
        try {
            send(batch.tickets);
        } catch (ChannelException e) {
            failure = e;
        } catch (RuntimeException e) {
            failure = new ChannelException(e);
        }
        Batch next;
        synchronized (lock) {
            sending = false;
            next = open;
            if (!next.tickets.isEmpty()) {
                next.sendNow = true;
            }
        }
        wakeOneOf(next);
        for (Ticket t : batch.tickets) {
            t.failure = failure;
            t.done = true;
            Thread waiter = t.waiter;
            if (waiter != null) {
                LockSupport.unpark(waiter);
            }
        }
    }

    /** Wakes a thread waiting on {@code batch} so that it sends it (one that has not parked yet will see sendNow). */
    private void wakeOneOf(Batch batch) {
        if (!batch.sendNow) {
            return;
        }
        synchronized (lock) {
            for (Ticket t : batch.tickets) {
                Thread waiter = t.waiter;
                if (waiter != null) {
                    LockSupport.unpark(waiter);
                    return;
                }
            }
        }
    }

    private void send(List<Ticket> tickets) throws ChannelException {
        Member[] members = channel.getMembers();
        if (tickets.isEmpty() || members.length == 0) {
            return;
        }
        List<DeltaBatch.Change> changes = new ArrayList<>(tickets.size());
        for (Ticket t : tickets) {
            changes.add(t.change);
        }
        channel.send(members, new ByteMessage(DeltaBatch.encode(changes)), sendOptions);
        counters.changesReplicated(changes.size());
    }
}
