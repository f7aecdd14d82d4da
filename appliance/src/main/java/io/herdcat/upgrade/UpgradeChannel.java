package io.herdcat.upgrade;

import io.herdcat.cluster.ClusterMembership;
import java.io.IOException;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Upgrade messages between nodes, over the cluster's sealed channel (topic {@link UpgradeMessage#TOPIC}),
 * and to this node itself without the network: the coordinator and this node's agent talk the same way
 * whether they share a node or not.
 */
final class UpgradeChannel {
    private static final Logger LOG = LoggerFactory.getLogger(UpgradeChannel.class);

    private final String self;
    private final ClusterMembership membership;
    private volatile BiConsumer<String, UpgradeMessage> receiver = (from, m) -> { };

    UpgradeChannel(String self, ClusterMembership membership) {
        this.self = self;
        this.membership = membership;
        membership.onTopic(UpgradeMessage.TOPIC, (from, payload) -> {
            UpgradeMessage m;
            try {
                m = UpgradeMessage.decode(payload);
            } catch (IOException e) {
                LOG.warn("{}: unreadable upgrade message from {}: {}", self, from, e.getMessage());
                return;
            }
            receiver.accept(from, m);
        });
    }

    String self() {
        return self;
    }

    /** {@code receiver} gets every message, with the sending node's name; it must not block. */
    void onMessage(BiConsumer<String, UpgradeMessage> receiver) {
        this.receiver = receiver;
    }

    /** To node {@code to}, or to every node (this one included) when {@code to} is null. */
    void send(String to, UpgradeMessage m) {
        if (to == null || !to.equals(self)) {
            if (!membership.sendTopic(to, UpgradeMessage.TOPIC, UpgradeMessage.encode(m)) && to != null) {
                LOG.warn("{}: upgrade message {} for {}, which is not a member", self, m.kind(), to);
            }
        }
        if (to == null || to.equals(self)) {
            receiver.accept(self, m);
        }
    }
}
