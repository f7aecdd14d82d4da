package io.herdcat.cluster;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletException;
import java.io.IOException;
import java.util.List;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.ha.tcp.ReplicationValve;

/**
 * Tomcat's replication valve, whose request thread does not wait for the acknowledgement of the
 * session change it queued: the response, still held in the connector, is released when the change is
 * acknowledged ({@link GroupCommit#whenAcknowledged}), and the thread goes back to serve other
 * requests meanwhile. A response that cannot be held that way (the request is already asynchronous,
 * or its response was committed while the servlet ran) is released after its thread waited, as
 * Tomcat's valve does.
 */
final class AcknowledgedReplicationValve extends ReplicationValve {

    @Override
    public void invoke(Request request, Response response) throws IOException, ServletException {
        if (!(getCluster() instanceof ReplicatingCluster cluster)) {
            super.invoke(request, response);
            return;
        }
        List<GroupCommit.Ticket> queued = cluster.deferringAcknowledgements(() -> super.invoke(request, response));
        if (queued.isEmpty()) {
            return;
        }
        if (request.isAsync() || response.isCommitted()) {
            for (GroupCommit.Ticket t : queued) {
                cluster.acknowledged(t);
            }
            return;
        }
        request.setAsyncSupported(true);
        AsyncContext held = request.startAsync(request.getRequest(), response.getResponse());
        held.setTimeout(0);
        GroupCommit.Ticket last = queued.get(queued.size() - 1);
        for (GroupCommit.Ticket t : queued) {
            cluster.groupCommit().whenAcknowledged(t, failure -> {
                if (failure != null) {
                    cluster.notAcknowledged(failure);
                }
                if (t == last) {
                    held.complete();
                }
            });
        }
    }
}
