package io.herdcat.metrics;

import io.herdcat.cluster.ClusterNode;
import io.herdcat.cluster.RejectedMessages;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/** This node's view of the cluster: members in its JGroups view; what session replication refused or failed to send. */
final class ClusterMeters {
    private ClusterMeters() {
    }

    static void register(MeterRegistry registry, ClusterNode cluster) {
        Gauge.builder("herdcat.cluster.members", cluster, c -> c.view().memberNames().size())
                .description("Members in this node's view of the cluster, itself included").register(registry);
        FunctionCounter.builder("herdcat.replication.not.serializable", cluster,
                        c -> c.counters().notSerializableAttributes())
                .description("Session attributes refused because they are not serializable").register(registry);
        FunctionCounter.builder("herdcat.replication.send.failures", cluster, c -> c.counters().sendFailures())
                .description("Session replication messages a member did not take (unreachable, or not "
                        + "acknowledged within 5 s), counted per member").register(registry);
        FunctionCounter.builder("herdcat.replication.session.conflicts", cluster, c -> c.counters().sessionConflicts())
                .description("Sessions changed on both sides of a partition; the later change won").register(registry);
        FunctionCounter.builder("herdcat.replication.stale.copies", cluster, c -> c.counters().staleSessionCopies())
                .description("Session copies or changes older than this node's copy, not applied").register(registry);
        FunctionCounter.builder("herdcat.replication.dropped.messages", cluster, c -> c.counters().droppedMessages())
                .description("Replication messages dropped: replayed, from a non-member, or unreadable")
                .register(registry);
        FunctionCounter.builder("herdcat.replication.changes", cluster, c -> c.counters().changesReplicated())
                .description("Session changes replicated and acknowledged by every member").register(registry);
        FunctionCounter.builder("herdcat.replication.change.messages", cluster, c -> c.counters().changeMessages())
                .description("Replication messages that carried those changes (concurrent requests' changes "
                        + "share one)").register(registry);

        for (RejectedMessages.Reason reason : RejectedMessages.Reason.values()) {
            FunctionCounter.builder("herdcat.cluster.rejected.messages", cluster,
                            c -> c.rejectedMessages().count(reason))
                    .tag("reason", reason.key())
                    .description("Membership messages this node refused: modified (authentication fails), replayed, "
                            + "foreign (not sealed with this cluster's secret), nonMember, authRefused, unreadable, "
                            + "queueFull").register(registry);
        }
    }
}
