package io.netty.channel.uring;

import io.netty.channel.Channel;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.ServerSocketChannelConfig;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * An io_uring server channel over a socket that is already bound and listening, opened elsewhere and
 * handed over by its file descriptor: Herdcat's front on a privileged port, opened by the node's
 * privileged thread after the rest of the node gave up root. Netty's epoll transport takes such a
 * descriptor ({@code new EpollServerSocketChannel(fd)}); its io_uring transport has no public way to, so
 * this class sits in the transport's package, the one place its socket and channel constructors are
 * open to. Accepted connections are Netty's own {@link IoUringSocketChannel}s.
 */
public final class AdoptedIoUringServerSocket extends AbstractIoUringServerChannel implements ServerSocketChannel {
    private final IoUringServerSocketChannelConfig config;

    /** @param fd a listening, non-blocking TCP socket; the channel owns it from now on */
    public AdoptedIoUringServerSocket(int fd) {
        super(new LinuxSocket(fd), true);
        this.config = new IoUringServerSocketChannelConfig(this);
    }

    @Override
    public ServerSocketChannelConfig config() {
        return config;
    }

    @Override
    Channel newChildChannel(int fd, ByteBuffer acceptedAddressMemory) {
        return new IoUringSocketChannel(this, new LinuxSocket(fd));
    }

    @Override
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) super.localAddress();
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return (InetSocketAddress) super.remoteAddress();
    }
}
