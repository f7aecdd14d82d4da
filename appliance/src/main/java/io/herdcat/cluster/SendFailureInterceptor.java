package io.herdcat.cluster;

import org.apache.catalina.tribes.ChannelException;
import org.apache.catalina.tribes.ChannelMessage;
import org.apache.catalina.tribes.Member;
import org.apache.catalina.tribes.group.ChannelInterceptorBase;
import org.apache.catalina.tribes.group.InterceptorPayload;

/**
 * Counts replication messages a member did not take: unreachable, or no acknowledgement within the
 * send timeout. Tomcat's cluster logs such a failure and goes on, so this interceptor, the last
 * before the transport, is where it can be counted (once per member that failed).
 */
final class SendFailureInterceptor extends ChannelInterceptorBase {
    private final ReplicationCounters counters;

    SendFailureInterceptor(ReplicationCounters counters) {
        this.counters = counters;
    }

    @Override
    public void sendMessage(Member[] destination, ChannelMessage msg, InterceptorPayload payload)
            throws ChannelException {
        try {
            super.sendMessage(destination, msg, payload);
        } catch (ChannelException e) {
            counters.sendFailed(Math.max(1, e.getFaultyMembers().length));
            throw e;
        }
    }
}
