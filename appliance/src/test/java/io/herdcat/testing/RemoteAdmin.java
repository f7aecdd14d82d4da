package io.herdcat.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A node's admin API read from outside its host (a node in another network namespace), so with the
 * test cluster's admin token: a node that does not answer gives an empty answer, not an exception.
 */
public final class RemoteAdmin {
    private static final Pattern MEMBERS = Pattern.compile("\"members\":\\[([^\\]]*)\\]");
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private RemoteAdmin() {
    }

    /** The node's /status; empty when it does not answer. */
    public static String status(NodeProcess node) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(node.adminUrl("/status")))
                    .header("Authorization", "Bearer " + Cluster.ADMIN_TOKEN).timeout(Duration.ofSeconds(5)).build();
            return CLIENT.send(request, HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    /** The member names on the node's /status; empty when it does not answer. */
    public static List<String> members(NodeProcess node) {
        Matcher m = MEMBERS.matcher(status(node));
        return m.find() && !m.group(1).isEmpty() ? List.of(m.group(1).replace("\"", "").split(",")) : List.of();
    }
}
