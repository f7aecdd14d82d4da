package io.herdcat.importer;

import io.herdcat.config.Setting;
import java.util.ArrayList;
import java.util.List;

/**
 * For operators who keep their Tomcats as they are and only replace httpd: one node whose front
 * forwards to them through {@code front.nodes}, with the settings the lb's nodes share. What
 * {@code front.nodes} cannot carry per Tomcat (weight, activation) is listed.
 */
final class FrontNodes {
    private FrontNodes() {
    }

    static NodeFile of(WorkersMapping workers) {
        NodeFile front = new NodeFile("herdcat");
        List<String> entries = new ArrayList<>();
        SourceLine at = new SourceLine(workers.file().fileName(), 0);
        String secret = null;
        for (NodeFile node : workers.nodes()) {
            String worker = workers.workerOf(node);
            String host = workers.file().attribute(worker, "host").map(WorkersFile.Value::text).orElse("localhost");
            String port = node.value(Setting.AJP_PORT) == null ? "8009" : node.value(Setting.AJP_PORT);
            entries.add(node.name() + "=" + host + ":" + port);
            for (NodeFile.Entry e : node.entries()) {
                Setting s = Setting.byKey(e.key()).orElseThrow();
                switch (s) {
                    case NAME, AJP_PORT, AJP_ADDRESS, HTTP_PORT, HTTP_ADDRESS -> { }
                    case AJP_SECRET -> {
                        if (secret != null && !secret.equals(e.value())) {
                            front.unmapped(new Unmapped(e.source(), "the AJP secret of " + node.name(),
                                    "front.nodes share one AJP secret; the first one was kept"));
                        } else {
                            secret = e.value();
                            front.set(s, e.value(), e.source(), "the Tomcats' AJP connectors must carry it");
                        }
                    }
                    case SESSION_MANAGER, TRIBES_PORT, CLUSTER_ADDRESS, PEERS, SILENCE_TIMEOUT, DEPLOY_CLUSTER,
                            CLUSTER -> front.unmapped(new Unmapped(e.source(), node.name() + " "
                            + e.key() + "=" + e.value(), "the Tomcats keep their own cluster; this is a Herdcat "
                            + "node's setting"));
                    case WEIGHT, ACTIVATION -> front.unmapped(new Unmapped(e.source(), node.name() + " " + e.key()
                            + "=" + e.value(), "a front.nodes entry has the default weight and is always active"));
                    default -> {
                        if (!front.has(s)) {
                            if (e.commentedOut()) {
                                front.suggest(s, e.value(), e.source(), e.comment());
                            } else {
                                front.set(s, e.value(), e.source(), e.comment());
                            }
                        }
                    }
                }
            }
            node.unmapped().forEach(front::unmapped);
        }
        String list = String.join(",", entries);
        if (secret == null) {
            front.suggest(Setting.FRONT_NODES, list, at, "needs ajp.secret, the secret the Tomcats' AJP "
                    + "connectors require (secret=); set both there and here, then uncomment");
        } else {
            front.set(Setting.FRONT_NODES, list, at, "the lb's members, kept as plain Tomcats");
        }
        return front;
    }
}
