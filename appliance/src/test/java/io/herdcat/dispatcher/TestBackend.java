package io.herdcat.dispatcher;

import jakarta.servlet.http.HttpServlet;
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

/** An embedded Tomcat in the test's JVM with an AJP connector: a node as the dispatcher sees it. */
final class TestBackend implements AutoCloseable {
    static final String SECRET = "dispatcher-test-secret";
    private final String route;
    private Tomcat tomcat;
    private int port;

    /** /who names the node; /session creates a session; /echo returns the body's length; /slow takes 3 s. */
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

    TestBackend(String route) {
        this.route = route;
    }

    TestBackend start(int fixedPort) throws LifecycleException, IOException {
        Registry.disableRegistry();
        Path base = Files.createTempDirectory("backend-" + route);
        tomcat = new Tomcat();
        tomcat.setBaseDir(base.toString());
        tomcat.getEngine().setJvmRoute(route);
        Connector ajp = new Connector("AJP/1.3");
        ajp.setPort(fixedPort);
        ajp.setProperty("address", "127.0.0.1");
        ajp.setProperty("secretRequired", "true");
        ajp.setProperty("secret", SECRET);
        tomcat.getService().addConnector(ajp);
        Context ctx = tomcat.addContext("", base.toString());
        Tomcat.addServlet(ctx, "node", new NodeServlet(route));
        ctx.addServletMappingDecoded("/*", "node");
        tomcat.start();
        port = ajp.getLocalPort();
        return this;
    }

    int port() {
        return port;
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
