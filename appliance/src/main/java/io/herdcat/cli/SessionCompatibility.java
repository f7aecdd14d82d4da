package io.herdcat.cli;

import io.herdcat.cluster.NodeRecord;
import io.herdcat.node.Versions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Before a rolling restart onto this jar: would a node restarted onto it still exchange sessions with
 * the nodes not restarted yet? Only when their Tomcat version and replication format are this jar's
 * (the Herdcat version does not matter). Otherwise failover is lost until every node has restarted,
 * and the command refuses unless told {@code --force}.
 */
final class SessionCompatibility {
    private SessionCompatibility() {
    }

    /** @throws AdminCallException naming the nodes that differ, when any does */
    static void check(Map<String, Object> status) throws AdminCallException {
        check(status, Versions.tomcat(), NodeRecord.REPLICATION_FORMAT);
    }

    static void check(Map<String, Object> status, String tomcat, int format) throws AdminCallException {
        List<String> differ = new ArrayList<>();
        Object nodes = status.get("nodes");
        if (nodes instanceof List<?> list) {
            for (Object o : list) {
                if (!(o instanceof Map<?, ?> n) || "static".equals(n.get("phase"))) {
                    continue;
                }
                Object theirs = n.get("replicationFormat");
                int theirFormat = theirs instanceof Number num ? num.intValue() : 1;
                if (!tomcat.equals(n.get("tomcatVersion")) || theirFormat != format) {
                    differ.add(n.get("name") + " (Tomcat " + n.get("tomcatVersion") + ", replication format "
                            + theirFormat + ")");
                }
            }
        }
        if (!differ.isEmpty()) {
            throw new AdminCallException("this jar runs Tomcat " + tomcat + " with replication format " + format
                    + ", unlike " + String.join(", ", differ) + ": a node restarted onto it would not exchange "
                    + "sessions with the others until all have restarted; give --force to restart anyway");
        }
    }
}
