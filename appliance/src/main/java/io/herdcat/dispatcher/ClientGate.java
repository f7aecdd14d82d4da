package io.herdcat.dispatcher;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * The first handler of a client connection: counts it against its address's connection cap and closes
 * it at once, before anything is read or allocated for it, when the address already holds its maximum.
 */
final class ClientGate extends ChannelInboundHandlerAdapter {
    private final ClientAddresses addresses;
    private InetAddress counted;

    ClientGate(ClientAddresses addresses) {
        this.addresses = addresses;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        InetAddress address = ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress();
        if (!addresses.connectionOpened(address)) {
            ctx.close();
            return;
        }
        counted = address;
        super.channelActive(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (counted != null) {
            addresses.connectionClosed(counted);
            counted = null;
        }
        super.channelInactive(ctx);
    }
}
