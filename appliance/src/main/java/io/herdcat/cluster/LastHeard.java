package io.herdcat.cluster;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jgroups.Address;
import org.jgroups.Message;
import org.jgroups.View;
import org.jgroups.stack.Protocol;
import org.jgroups.util.MessageBatch;

/**
 * Notes when each member of the view was last heard from: any message that passed {@link MessageSeal}
 * (so only genuine ones) counts, failure detection's heartbeats included, which every member sends at
 * least every {@code cluster.silence.timeout / 5}. Sits right above the seal; passes everything on
 * unchanged. {@link QuorumWatch} reads it to tell a cut-off node from one that still reaches a majority,
 * sooner than failure detection removes the silent members from the view.
 */
final class LastHeard extends Protocol {
    private final Map<Address, Long> heardAtNanos = new ConcurrentHashMap<>();

    /** Tracks exactly the members of {@code view}: one that is new counts as heard now (it just joined). */
    void track(View view) {
        long now = System.nanoTime();
        heardAtNanos.keySet().retainAll(view.getMembers());
        for (Address a : view.getMembers()) {
            heardAtNanos.putIfAbsent(a, now);
        }
    }

    /** True when {@code member} was heard from at or after {@code sinceNanos} ({@link System#nanoTime()}). */
    boolean heardSince(Address member, long sinceNanos) {
        Long at = heardAtNanos.get(member);
        return at != null && at - sinceNanos >= 0;
    }

    private void heard(Address sender) {
        if (sender != null) {
            heardAtNanos.computeIfPresent(sender, (a, old) -> System.nanoTime());
        }
    }

    @Override
    public Object up(Message msg) {
        heard(msg.getSrc());
        return up_prot.up(msg);
    }

    @Override
    public void up(MessageBatch batch) {
        heard(batch.sender());
        up_prot.up(batch);
    }
}
