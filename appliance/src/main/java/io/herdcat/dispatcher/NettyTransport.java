package io.herdcat.dispatcher;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoEventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.uring.AdoptedIoUringServerSocket;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;
import io.netty.util.ResourceLeakDetector;

/**
 * The front's sockets: Linux io_uring where the kernel offers it (and {@code front.io.uring} is not
 * false), epoll where it does not, NIO off Linux. The event loops decide: every channel the front opens
 * is of its loops' kind.
 */
final class NettyTransport {
    private NettyTransport() {
    }

    /** Event loops of the front: two per core, Netty's default. */
    static int threads() {
        return 2 * io.netty.util.NettyRuntime.availableProcessors();
    }

    static EventLoopGroup group(int threads, boolean ioUring) {
        leakDetectionOffUnlessAsked();
        IoHandlerFactory io = ioUring && IoUring.isAvailable() ? IoUringIoHandler.newFactory()
                : Epoll.isAvailable() ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        return new MultiThreadIoEventLoopGroup(threads, io);
    }

    /** The kind of the group's loops, as the log names it. */
    static String name(EventLoopGroup group) {
        return isIoUring(group) ? "io_uring" : isEpoll(group) ? "epoll" : "nio";
    }

    /**
     * Netty's leak detector samples buffers by default and records where a sampled buffer went (about
     * 1 % of the front's CPU under load); the front runs without it unless the JVM is started with
     * {@code -Dio.netty.leakDetection.level=...} to look for a leak.
     */
    static void leakDetectionOffUnlessAsked() {
        if (System.getProperty("io.netty.leakDetection.level") == null
                && System.getProperty("io.netty.leakDetectionLevel") == null) {
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        }
    }

    static Class<? extends ServerSocketChannel> serverChannel(EventLoopGroup group) {
        return isIoUring(group) ? IoUringServerSocketChannel.class
                : isEpoll(group) ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    static Class<? extends SocketChannel> clientChannel(EventLoopGroup group) {
        return isIoUring(group) ? IoUringSocketChannel.class
                : isEpoll(group) ? EpollSocketChannel.class : NioSocketChannel.class;
    }

    /**
     * Whether the group's loops are Linux-native (io_uring or epoll): their sockets take Linux options
     * such as {@code SO_REUSEPORT}, and {@link #adopt} can wrap a listening socket's descriptor for them.
     */
    static boolean isNative(EventLoopGroup group) {
        return isIoUring(group) || isEpoll(group);
    }

    /** A listening socket opened elsewhere (its file descriptor), as a channel of the group's kind. */
    static ServerSocketChannel adopt(int fd, EventLoopGroup group) {
        return isIoUring(group) ? new AdoptedIoUringServerSocket(fd) : new EpollServerSocketChannel(fd);
    }

    private static boolean isIoUring(EventLoopGroup group) {
        return group instanceof IoEventLoopGroup io && io.isIoType(IoUringIoHandler.class);
    }

    private static boolean isEpoll(EventLoopGroup group) {
        return group instanceof IoEventLoopGroup io && io.isIoType(EpollIoHandler.class);
    }
}
