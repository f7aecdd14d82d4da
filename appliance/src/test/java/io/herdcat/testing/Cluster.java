package io.herdcat.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Helpers for tests of several nodes: a shared webapps folder with the demo, and reading /status. */
public final class Cluster {
    public static final String ADMIN_TOKEN = "test-admin-token-0123456789";
    private static final Pattern MEMBERS = Pattern.compile("\"members\":\\[([^\\]]*)\\]");
    private static final Pattern ATTRIBUTES = Pattern.compile("\"attributes\":\\{([^}]*)\\}");
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    private Cluster() {
    }

    /** A webapps folder under {@code dir} holding session-demo.war, and the admin token file. */
    public static Path prepare(Path dir) throws IOException {
        Path webapps = Files.createDirectories(dir.resolve("webapps"));
        Files.copy(Path.of(System.getProperty("herdcat.demoWar")), webapps.resolve("session-demo.war"));
        Files.writeString(dir.resolve("admin.token"), ADMIN_TOKEN);
        return webapps;
    }

    /** Starts a node of the test cluster (same discovery folder under {@code dir}) with the admin token. */
    public static NodeProcess start(String name, Path dir, String... extraArgs) throws IOException {
        return start(NodeProcess.jar(), name, dir, extraArgs);
    }

    /** {@link #start(String, Path, String...)} running another build of the jar. */
    public static NodeProcess start(Path jar, String name, Path dir, String... extraArgs) throws IOException {
        List<String> args = new ArrayList<>(List.of("--admin-token-file", dir.resolve("admin.token").toString()));
        args.addAll(List.of(extraArgs));
        return NodeProcess.start(jar, name, dir, dir.resolve("webapps"), java.util.Map.of(), args.toArray(String[]::new));
    }

    /**
     * Arguments for nodes that share a cluster secret (written under {@code dir}) on loopback and run
     * the HTTP front, when elected, on {@code frontPort}.
     */
    public static String[] frontArgs(Path dir, int frontPort) throws IOException {
        Path secret = dir.resolve("cluster.secret");
        if (!Files.exists(secret)) {
            Files.writeString(secret, "test-cluster-secret-0123456789");
        }
        return new String[] {"--secret-file", secret.toString(), "--cluster-address", "127.0.0.1",
            "--front-port", Integer.toString(frontPort), "--front-address", "127.0.0.1"};
    }

    /** Waits until {@code node} sees {@code count} nodes, every one of them ready. */
    public static void awaitReadyNodes(NodeProcess node, int count) {
        org.awaitility.Awaitility.await("every node ready as " + node.adminUrl("") + " sees it")
                .atMost(java.time.Duration.ofSeconds(30)).until(() -> {
                    String s = status(node);
                    return Cluster.members(node).size() == count && s.split("\"phase\":\"ready\"", -1).length - 1 == count;
                });
    }

    /** The member names on this node's /status, in view order; empty when it does not answer. */
    public static List<String> members(NodeProcess node) {
        try {
            Matcher m = MEMBERS.matcher(Http.get(node.adminUrl("/status")).body());
            if (!m.find() || m.group(1).isEmpty()) {
                return List.of();
            }
            return List.of(m.group(1).replace("\"", "").split(","));
        } catch (IOException e) {
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }

    public static String status(NodeProcess node) throws IOException, InterruptedException {
        return Http.get(node.adminUrl("/status")).body();
    }

    /** The weight node {@code name} has in the records that {@code node} holds, or -1. */
    public static int weightOf(NodeProcess node, String name) throws IOException, InterruptedException {
        Matcher m = Pattern.compile("\\{\"name\":\"" + name + "\",\"phase\":\"[A-Z]+\",\"activation\":\"[a-z]+\",\"weight\":(\\d+)")
                .matcher(status(node));
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }

    /** POSTs {@code value} to an admin write path; returns the status. */
    public static int adminPost(NodeProcess node, String path, String value, String token)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(node.adminUrl(path)))
                .POST(HttpRequest.BodyPublishers.ofString(value));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    /** The "attributes" object of a session.json answer, as its JSON text. */
    public static String attributes(String sessionJson) {
        Matcher m = ATTRIBUTES.matcher(sessionJson);
        return m.find() ? m.group(1) : "<none in " + sessionJson + ">";
    }
}
