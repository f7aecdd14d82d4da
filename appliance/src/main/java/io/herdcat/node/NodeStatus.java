package io.herdcat.node;

import java.time.Instant;
import java.util.List;

/** What a node reports about itself at one instant. */
public record NodeStatus(String name, NodeState state, Instant startedAt, String tomcatVersion,
                         int httpPort, int ajpPort, List<WebappStatus> webapps, RequestCounts requests) {

    public int activeSessions() {
        return webapps.stream().mapToInt(WebappStatus::activeSessions).sum();
    }

    public long sessionsCreated() {
        return webapps.stream().mapToLong(WebappStatus::sessionsCreated).sum();
    }

    /** Ready to take traffic: started, and every webapp of the folder deployed and running. */
    public boolean ready() {
        return state == NodeState.STARTED && webapps.stream().allMatch(w -> "STARTED".equals(w.state()));
    }
}
