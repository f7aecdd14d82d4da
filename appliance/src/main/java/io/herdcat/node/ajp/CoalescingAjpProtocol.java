package io.herdcat.node.ajp;

import org.apache.coyote.ajp.AbstractAjpProtocol;
import org.apache.juli.logging.Log;
import org.apache.juli.logging.LogFactory;
import org.apache.tomcat.util.net.NioChannel;
import org.apache.tomcat.util.net.NioEndpoint;
import org.apache.tomcat.util.net.SocketBufferHandler;

/**
 * Tomcat's AJP/1.3 NIO connector ({@code AjpNioProtocol}: the same processor, settings and thread
 * names) whose connections send each response in one piece ({@link CoalescingNioChannel}): one
 * {@code write} on the node and one read at the front for a response that fits in an AJP packet,
 * instead of one per headers, body chunk and END. A servlet's explicit flush still goes out at once.
 */
public final class CoalescingAjpProtocol extends AbstractAjpProtocol<NioChannel> {
    private static final Log LOG = LogFactory.getLog(CoalescingAjpProtocol.class);

    public CoalescingAjpProtocol() {
        this(new Endpoint());
    }

    private CoalescingAjpProtocol(Endpoint endpoint) {
        super(endpoint);
        endpoint.protocol = this;
    }

    @Override
    protected Log getLog() {
        return LOG;
    }

    @Override
    protected String getNamePrefix() {
        return "ajp-nio";
    }

    /** Tomcat's NIO endpoint with {@link CoalescingNioChannel}s (plain connections only: AJP has no TLS here). */
    private static final class Endpoint extends NioEndpoint {
        private CoalescingAjpProtocol protocol;

        @Override
        protected NioChannel createChannel(SocketBufferHandler bufHandler) {
            if (isSSLEnabled()) {
                return super.createChannel(bufHandler);
            }
            return new CoalescingNioChannel(bufHandler, protocol.getPacketSize());
        }
    }
}
