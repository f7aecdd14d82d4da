import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/**
 * The smallest web server that answers 200 to every GET: stands in for a host's web server behind
 * keepalived in bench/front-outage.sh where python3 is not installed.
 *
 * Usage: java bench/HelloServer.java PORT NAME
 */
public class HelloServer {
    public static void main(String[] args) throws Exception {
        byte[] body = ("hello from " + args[1] + "\n").getBytes(StandardCharsets.UTF_8);
        HttpServer server = HttpServer.create(new InetSocketAddress(Integer.parseInt(args[0])), 128);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/", exchange -> {
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }
}
