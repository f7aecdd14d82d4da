package io.herdcat.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.apache.catalina.tribes.ByteMessage;
import org.apache.catalina.tribes.Channel;
import org.apache.catalina.tribes.ChannelException;
import org.apache.catalina.tribes.Member;

/**
 * Replicates the session changes of concurrent requests together: each request's change is queued
 * (in the order the changes were made), and one sender thread sends what is queued as one message
 * ({@link DeltaBatch}) and waits for every member's acknowledgement of it. One message is in flight at
 * a time; the changes queued meanwhile go out together in the next one, so the round trip, the
 * acknowledgement and the system calls of one send are shared by every request in it. The guarantee
 * is each request's own: a change is acknowledged (its {@link #await} returns, its
 * {@link #whenAcknowledged} action runs) only after the acknowledgement of the message holding it,
 * which a member sends after applying it; a failed send fails every change in that message.
 */
final class GroupCommit {
    private final Channel channel;
    private final int sendOptions;
    private final ReplicationCounters counters;
    /** Guards {@code open}, {@code senderWaiting} and {@code closed}; never held while sending. */
    private final Object lock = new Object();
    /** The changes queued since the last message left: the next message. */
    private List<Ticket> open = new ArrayList<>();
    private boolean senderWaiting;
    private boolean closed;
    private Thread sender;

    /** A queued change; completed once the message holding it is answered. */
    static final class Ticket {
        private final DeltaBatch.Change change;
        private volatile boolean done;
        private volatile ChannelException failure;
        private volatile Thread waiter;
        private final AtomicReference<Consumer<ChannelException>> action = new AtomicReference<>();

        private Ticket(DeltaBatch.Change change) {
            this.change = change;
        }

        private void complete(ChannelException failure) {
            this.failure = failure;
            this.done = true;
            Thread w = waiter;
            if (w != null) {
                LockSupport.unpark(w);
            }
            runAction();
        }

        /** Runs the action once, whichever of completion and registration comes last. */
        private void runAction() {
            if (done) {
                Consumer<ChannelException> a = action.getAndSet(null);
                if (a != null) {
                    a.accept(failure);
                }
            }
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
        synchronized (lock) {
            if (closed) {
                t.complete(new ChannelException("session replication stopped"));
                return t;
            }
            open.add(t);
            if (sender == null) {
                sender = new Thread(this::sendLoop, "session-replication-sender");
                sender.setDaemon(true);
                sender.start();
            } else if (senderWaiting) {
                senderWaiting = false;
                lock.notify();
            }
        }
        return t;
    }

    /** Changes queued and not yet in a message. */
    int queued() {
        synchronized (lock) {
            return open.size();
        }
    }

    /**
     * Returns once the change is acknowledged by every member (or there is no member to send it to);
     * throws when the message holding it was not.
     */
    void await(Ticket ticket) throws ChannelException, InterruptedException {
        ticket.waiter = Thread.currentThread();
        while (!ticket.done) {
            LockSupport.park(this);
            if (Thread.interrupted() && !ticket.done) {
                ticket.waiter = null;
                throw new InterruptedException("waiting for the acknowledgement of a session change");
            }
        }
        if (ticket.failure != null) {
            throw ticket.failure;
        }
    }

    /**
     * Runs {@code action} once the change is acknowledged (with null) or its message failed (with the
     * failure), on the sender's thread, or on this one if that has already happened.
     */
    void whenAcknowledged(Ticket ticket, Consumer<ChannelException> action) {
        ticket.action.set(action);
        ticket.runAction();
    }

    /** Stops the sender: what is queued and every change queued later fails. */
    void close() {
        List<Ticket> left;
        synchronized (lock) {
            closed = true;
            left = open;
            open = new ArrayList<>();
            lock.notifyAll();
        }
        ChannelException stopped = new ChannelException("session replication stopped");
        for (Ticket t : left) {
            t.complete(stopped);
        }
    }

    private void sendLoop() {
        while (true) {
            List<Ticket> batch;
            synchronized (lock) {
                while (open.isEmpty() && !closed) {
                    senderWaiting = true;
                    try {
                        lock.wait();
                    } catch (InterruptedException e) {
                        // only close() ends this thread
                    }
                }
                if (closed) {
                    return;
                }
                batch = open;
                open = new ArrayList<>();
            }
            ChannelException failure = null;
            try {
                send(batch);
            } catch (ChannelException e) {
                failure = e;
            } catch (RuntimeException e) {
                failure = new ChannelException(e);
            }
            for (Ticket t : batch) {
                t.complete(failure);
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
