package io.herdcat.dispatcher;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.unix.Buffer;
import io.netty.channel.unix.RawUnixChannelOption;
import io.netty.channel.unix.UnixChannelOption;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets the next front bind the port while the old one still listens (Linux {@code SO_REUSEPORT}, same
 * user only), and steers new connections to the newer listener, so the old one's accept queue empties
 * before it closes and no connection is reset at a handover on one host.
 *
 * <p>Both listeners sit in one kernel reuseport group, the old at index 0 and the newer at index 1. A
 * one-instruction classic BPF program ({@code return 1}) attached to the group picks index 1 for
 * every new connection while there are two; with one listener, index 1 does not exist and the kernel
 * falls back to its usual choice, which is then the only listener. Where this is not available (NIO
 * loops, or the kernel refuses), the old front still waits for the new one and then closes, and
 * {@code net.ipv4.tcp_migrate_req=1} moves what was queued at it.
 */
final class ReusePort {
    private static final Logger LOG = LoggerFactory.getLogger(ReusePort.class);
    private static final int SOL_SOCKET = 1;
    private static final int SO_ATTACH_REUSEPORT_CBPF = 51;
    private static final short BPF_RET_K = 0x06;
    private static final int NEWER_LISTENER = 1;

    private ReusePort() {
    }

    /** The front's listener may share its port with the next front's. */
    static void allowSharing(ServerBootstrap bootstrap) {
        if (NettyTransport.isNative(bootstrap.config().group())) {
            bootstrap.option(UnixChannelOption.SO_REUSEPORT, true);
        }
    }

    /** From now on, new connections go to the newest listener of the port while two are open. */
    static void steerToNewest(Channel server) {
        if (!NettyTransport.isNative(server.eventLoop())) {
            return;
        }
        ByteBuffer filter = ByteBuffer.allocateDirect(8).order(ByteOrder.nativeOrder());
        filter.putShort(BPF_RET_K).put((byte) 0).put((byte) 0).putInt(NEWER_LISTENER).flip();
        ByteBuffer program = ByteBuffer.allocateDirect(16).order(ByteOrder.nativeOrder());
        program.putShort((short) 1).putShort((short) 0).putInt(0).putLong(Buffer.memoryAddress(filter)).flip();
        try {
            server.config().setOption(new RawUnixChannelOption("SO_ATTACH_REUSEPORT_CBPF", SOL_SOCKET,
                    SO_ATTACH_REUSEPORT_CBPF, program.remaining()), program);
        } catch (RuntimeException e) {
            LOG.info("New front connections cannot be steered to the newest listener ({}): at a handover, connections "
                    + "queued at the old front survive only with net.ipv4.tcp_migrate_req=1", e.toString());
        } finally {
            Reference.reachabilityFence(filter);
        }
    }
}
