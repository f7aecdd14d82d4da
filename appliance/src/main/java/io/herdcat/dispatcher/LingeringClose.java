package io.herdcat.dispatcher;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.socket.DuplexChannel;
import java.util.concurrent.TimeUnit;

/**
 * Closes a client connection after a final response without losing that response: the sending side is
 * shut first, and what the client still sends is read and dropped for a moment. Closing a socket with
 * unread input makes the kernel send a reset, and the client may then never see the response (a 413
 * for a body still on its way, a 431 for a head still arriving).
 */
final class LingeringClose {
    private static final long LINGER_MILLIS = 2000;

    private LingeringClose() {
    }

    static void after(ChannelFuture written) {
        written.addListener(f -> {
            Channel ch = written.channel();
            if (!(ch instanceof DuplexChannel duplex) || !ch.isActive()) {
                ch.close();
                return;
            }
            duplex.shutdownOutput().addListener(s -> {
                ch.config().setAutoRead(true);
                ch.read();
            });
            ch.eventLoop().schedule(() -> ch.close(), LINGER_MILLIS, TimeUnit.MILLISECONDS);
        });
    }
}
