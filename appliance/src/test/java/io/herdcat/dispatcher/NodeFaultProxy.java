package io.herdcat.dispatcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP relay between the front and a real node that can misbehave like a failing host: freeze (pass
 * nothing on, connections stay open — a hung JVM or a cut cable) or drop every connection once it has
 * carried a given number of bytes from the front (a node killed while it receives a request) or from
 * the node (a node killed while it answers).
 */
final class NodeFaultProxy implements AutoCloseable {
    private final ServerSocket server;
    private final int targetPort;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private volatile boolean frozen;
    private volatile long dropAfterBytes = -1;
    private volatile long dropAfterReplyBytes = -1;

    NodeFaultProxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::acceptLoop, "fault-proxy");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    void freeze() {
        frozen = true;
    }

    /** Every connection is closed (both ways) as soon as it has carried this many bytes from the front. */
    void dropAfter(long bytesFromFront) {
        dropAfterBytes = bytesFromFront;
    }

    /** Every connection is closed (both ways) as soon as it has carried this many bytes from the node. */
    void dropAfterReply(long bytesFromNode) {
        dropAfterReplyBytes = bytesFromNode;
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket front = server.accept();
                Socket node = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                sockets.add(front);
                sockets.add(node);
                AtomicLong fromFront = new AtomicLong();
                pump(front, node, fromFront, true);
                pump(node, front, new AtomicLong(), false);
            } catch (IOException e) {
                return;
            }
        }
    }

    private void pump(Socket from, Socket to, AtomicLong counted, boolean fromFront) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[16384];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                for (int n; (n = in.read(buf)) > 0; ) {
                    while (frozen) {
                        Thread.sleep(10);
                    }
                    long limit = fromFront ? dropAfterBytes : dropAfterReplyBytes;
                    if (limit >= 0 && counted.get() + n >= limit) {
                        out.write(buf, 0, (int) Math.max(0, limit - counted.get()));
                        out.flush();
                        break;
                    }
                    counted.addAndGet(n);
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (IOException | InterruptedException e) {
                // the other side went away: so does this one
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "fault-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        sockets.forEach(NodeFaultProxy::closeQuietly);
    }
}
