package io.herdcat.dispatcher;

import io.herdcat.config.Activation;
import io.herdcat.dispatcher.balance.BalanceMethod;
import io.herdcat.dispatcher.balance.Balancer;
import io.herdcat.dispatcher.balance.WorkerSpec;
import io.herdcat.node.ajp.CoalescingAjpProtocol;
import java.net.InetSocketAddress;
import java.util.List;

import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.http.HttpServlet;
import jakarta.websocket.CloseReason;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerContainer;
import jakarta.websocket.server.ServerEndpointConfig;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.modeler.Registry;
import org.apache.tomcat.websocket.server.WsSci;

/**
 * An embedded Tomcat in the test's JVM with an AJP connector, and an HTTP connector for WebSockets: a node
 * as the dispatcher sees it.
 */
final class TestBackend implements AutoCloseable {
    static final String SECRET = "dispatcher-test-secret";
    private final String route;
    private Tomcat tomcat;
    private int port;
    private int httpPort;

    /**
     * The WebSocket at /ws: sends the node's route when it opens, then echoes every text message, except
     * "bye" (the node closes with 1000 "bye") and "big:N" (the node sends N bytes of 'x' as one message).
     */
    public static final class EchoEndpoint extends Endpoint {
        private final String route;

        EchoEndpoint(String route) {
            this.route = route;
        }

        @Override
        public void onOpen(Session session, EndpointConfig config) {
            session.setMaxTextMessageBufferSize(1 << 20);
            session.addMessageHandler(String.class, text -> {
                try {
                    if (text.equals("bye")) {
                        session.close(new CloseReason(CloseReason.CloseCodes.NORMAL_CLOSURE, "bye"));
                    } else if (text.startsWith("big:")) {
                        session.getBasicRemote().sendText("x".repeat(Integer.parseInt(text.substring(4))));
                    } else {
                        session.getBasicRemote().sendText(text);
                    }
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            try {
                // sent whole before any echo: an asynchronous send still in flight makes Tomcat refuse the echo's send
                session.getBasicRemote().sendText(route);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    /** Adds {@link EchoEndpoint} at /ws once Tomcat's WebSocket container is up. */
    private static final class EchoDeployer implements ServletContextListener {
        private final String route;

        EchoDeployer(String route) {
            this.route = route;
        }

        @Override
        public void contextInitialized(ServletContextEvent event) {
            ServerContainer container = (ServerContainer) event.getServletContext()
                    .getAttribute(ServerContainer.class.getName());
            try {
                container.addEndpoint(ServerEndpointConfig.Builder.create(EchoEndpoint.class, "/ws")
                        .configurator(new ServerEndpointConfig.Configurator() {
                            @Override
                            public <T> T getEndpointInstance(Class<T> type) {
                                return type.cast(new EchoEndpoint(route));
                            }
                        }).build());
            } catch (DeploymentException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /**
     * /who names the node; /session creates a session; /echo returns the body's length; /slow takes 3 s;
     * /crc waits {@code wait} ms, then returns the body's length and CRC-32; /download sends {@code bytes}
     * bytes; /drip sends "start ", then "end" once the test releases {@link #DRIP_END} (at most 30 s later); /client tells what the webapp sees of the client and the connection;
     * /headers lists the request headers the webapp sees, one "name: value" a line.
     */
    static final java.util.concurrent.Semaphore DRIP_END = new java.util.concurrent.Semaphore(0);

    static final class NodeServlet extends HttpServlet {
        private final String route;

        NodeServlet(String route) {
            this.route = route;
        }

        @Override
        protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            resp.setContentType("text/plain");
            String path = req.getRequestURI();
            if (path.endsWith("/session")) {
                req.getSession(true);
            }
            if (path.endsWith("/download")) {
                long n = Long.parseLong(req.getParameter("bytes"));
                resp.setContentType("application/octet-stream");
                resp.setContentLengthLong(n);
                byte[] block = new byte[65536];
                java.util.Arrays.fill(block, (byte) 'x');
                var out = resp.getOutputStream();
                for (long sent = 0; sent < n; sent += block.length) {
                    out.write(block, 0, (int) Math.min(block.length, n - sent));
                }
                return;
            }
            if (path.endsWith("/drip")) {
                resp.getWriter().print("start ");
                resp.flushBuffer();
                try {
                    DRIP_END.tryAcquire(30, java.util.concurrent.TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                resp.getWriter().print("end");
                return;
            }
            if (path.endsWith("/crc")) {
                pause(req.getParameter("wait") == null ? 0 : Long.parseLong(req.getParameter("wait")));
                java.util.zip.CRC32 crc = new java.util.zip.CRC32();
                byte[] buf = new byte[65536];
                long length = 0;
                var in = req.getInputStream();
                for (int n; (n = in.read(buf)) > 0; ) {
                    crc.update(buf, 0, n);
                    length += n;
                }
                resp.getWriter().print(route + " " + length + " " + Long.toHexString(crc.getValue()));
                return;
            }
            if (path.endsWith("/headers")) {
                for (String name : java.util.Collections.list(req.getHeaderNames())) {
                    for (String value : java.util.Collections.list(req.getHeaders(name))) {
                        resp.getWriter().print(name.toLowerCase(java.util.Locale.ROOT) + ": " + value + "\n");
                    }
                }
                return;
            }
            if (path.endsWith("/client")) {
                resp.getWriter().print("remoteAddr=" + req.getRemoteAddr() + " remotePort=" + req.getRemotePort()
                        + " scheme=" + req.getScheme() + " secure=" + req.isSecure() + " serverName=" + req.getServerName()
                        + " serverPort=" + req.getServerPort() + " cipher="
                        + req.getAttribute("jakarta.servlet.request.cipher_suite") + " keySize="
                        + req.getAttribute("jakarta.servlet.request.key_size"));
                return;
            }
            if (path.endsWith("/slow")) {
                try {
                    Thread.sleep(3000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            long length = req.getInputStream().readAllBytes().length;
            resp.getWriter().print(route + " " + (path.endsWith("/echo") ? length : ""));
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    TestBackend(String route) {
        this.route = route;
    }

    TestBackend start(int fixedPort) throws LifecycleException, IOException {
        Registry.disableRegistry();
        Path base = Files.createTempDirectory("backend-" + route);
        tomcat = new Tomcat();
        tomcat.setBaseDir(base.toString());
        tomcat.getEngine().setJvmRoute(route);
        Connector ajp = new Connector(new CoalescingAjpProtocol()); // as a node runs it
        ajp.setPort(fixedPort);
        ajp.setProperty("address", "127.0.0.1");
        ajp.setProperty("secretRequired", "true");
        ajp.setProperty("secret", SECRET);
        tomcat.getService().addConnector(ajp);
        Connector http = new Connector("HTTP/1.1");
        http.setPort(0);
        http.setProperty("address", "127.0.0.1");
        tomcat.getService().addConnector(http);
        Context ctx = tomcat.addContext("", base.toString());
        Tomcat.addServlet(ctx, "node", new NodeServlet(route));
        ctx.addServletMappingDecoded("/*", "node");
        ctx.addServletContainerInitializer(new WsSci(), null);
        ((org.apache.catalina.core.StandardContext) ctx).addApplicationLifecycleListener(new EchoDeployer(route));
        tomcat.start();
        port = ajp.getLocalPort();
        httpPort = http.getLocalPort();
        return this;
    }

    int port() {
        return port;
    }

    int httpPort() {
        return httpPort;
    }

    /** This node as the front's balancer sees it: its route, its AJP and HTTP ports on loopback, weight 1, active. */
    WorkerSpec spec() {
        return spec(Activation.ACTIVE);
    }

    WorkerSpec spec(Activation activation) {
        return new WorkerSpec(route, "127.0.0.1", port, 1, activation, "127.0.0.1", httpPort);
    }

    /** This node with its HTTP connector reached at {@code httpPortSeen} (a {@link NodeFaultProxy} in between). */
    WorkerSpec specVia(int httpPortSeen) {
        return new WorkerSpec(route, "127.0.0.1", port, 1, Activation.ACTIVE, "127.0.0.1", httpPortSeen);
    }

    static WorkerSpec spec(String route, int ajpPort) {
        return new WorkerSpec(route, "127.0.0.1", ajpPort, 1, Activation.ACTIVE);
    }

    /** A started front on a free loopback port, balancing by requests over {@code nodes}. */
    static Dispatcher front(Dispatcher.Options options, WorkerSpec... nodes) throws InterruptedException {
        Dispatcher d = new Dispatcher(new InetSocketAddress("127.0.0.1", 0), new Balancer(BalanceMethod.REQUESTS, false),
                SECRET, options);
        d.start();
        d.update(List.of(nodes));
        return d;
    }

    /** CRC-32 in hex, as /crc answers it. */
    static String crc(byte[] data) {
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(data);
        return Long.toHexString(crc.getValue());
    }

    String route() {
        return route;
    }

    @Override
    public void close() throws LifecycleException {
        if (tomcat != null) {
            tomcat.stop();
            tomcat.destroy();
            tomcat = null;
        }
    }
}
