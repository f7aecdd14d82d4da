package io.herdcat.node;

import jakarta.servlet.ServletException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;

/**
 * Lets a request that the cluster's front forwarded over HTTP (a WebSocket handshake) show the
 * client's address and scheme, as a request that came over AJP does: it then takes
 * {@code getRemoteAddr()} from the last {@code X-Forwarded-For} entry (the address the front saw) and
 * {@code isSecure()}/{@code getScheme()} from {@code X-Forwarded-Proto}, for this request only.
 *
 * <p>It trusts the headers only when all of these hold: the request came in on the node's HTTP
 * connector, from the address of a current cluster member ({@link #setTrusted}), with the header
 * {@code X-Herdcat-Front} equal to the AJP secret (compared in constant time). Anyone else's
 * forwarded headers stay as they were sent, as headers, and change nothing. Tomcat's
 * {@code RemoteIpValve} is not used: it trusts one address pattern (every private range by default)
 * that cannot change while requests run, and it knows no token. {@code X-Herdcat-Front} itself
 * never reaches a webapp.
 */
public final class FrontForwardedValve extends ValveBase {
    /** The header that carries the front's token. */
    public static final String TOKEN_HEADER = "X-Herdcat-Front";
    private final byte[] token;
    private final Connector http;
    private volatile Set<InetAddress> trusted = Set.of();

    /**
     * @param secret the AJP secret, which the front sends as its token
     * @param http   the connector whose requests may come from the front
     */
    public FrontForwardedValve(String secret, Connector http) {
        super(true);
        this.token = secret.getBytes(StandardCharsets.UTF_8);
        this.http = http;
    }

    /** The addresses a front may connect from now: the cluster members'. */
    public void setTrusted(Set<InetAddress> addresses) {
        this.trusted = Set.copyOf(addresses);
    }

    @Override
    public void invoke(Request request, Response response) throws IOException, ServletException {
        String given = request.getHeader(TOKEN_HEADER);
        if (given == null) {
            getNext().invoke(request, response);
            return;
        }
        request.getCoyoteRequest().getMimeHeaders().removeHeader(TOKEN_HEADER);
        String client = lastForwardedFor(request);
        if (request.getConnector() != http || client == null || !fromTrusted(request)
                || !MessageDigest.isEqual(token, given.getBytes(StandardCharsets.UTF_8))) {
            getNext().invoke(request, response);
            return;
        }
        String remoteAddr = request.getRemoteAddr();
        String remoteHost = request.getRemoteHost();
        String scheme = request.getScheme();
        boolean secure = request.isSecure();
        int serverPort = request.getServerPort();
        try {
            request.setRemoteAddr(client);
            request.setRemoteHost(client);
            String proto = request.getHeader("X-Forwarded-Proto");
            if (proto != null) {
                boolean https = "https".equalsIgnoreCase(proto.trim());
                request.getCoyoteRequest().scheme().setString(https ? "https" : "http");
                request.setSecure(https);
                if (!hostHasPort(request.getHeader("Host"))) {
                    request.setServerPort(https ? 443 : 80);
                }
            }
            getNext().invoke(request, response);
        } finally {
            request.setRemoteAddr(remoteAddr);
            request.setRemoteHost(remoteHost);
            request.getCoyoteRequest().scheme().setString(scheme);
            request.setSecure(secure);
            request.setServerPort(serverPort);
        }
    }

    private boolean fromTrusted(Request request) {
        try {
            return trusted.contains(InetAddress.getByName(request.getPeerAddr()));
        } catch (UnknownHostException e) {
            return false; // an address literal always parses; anything else is not a member
        }
    }

    /** The last entry of the last {@code X-Forwarded-For} line: the client as the front saw it; null without one. */
    private static String lastForwardedFor(Request request) {
        List<String> lines = Collections.list(request.getHeaders("X-Forwarded-For"));
        if (lines.isEmpty()) {
            return null;
        }
        String last = lines.get(lines.size() - 1);
        String entry = last.substring(last.lastIndexOf(',') + 1).trim();
        return entry.isEmpty() ? null : entry;
    }

    private static boolean hostHasPort(String host) {
        return host != null && host.lastIndexOf(':') > host.lastIndexOf(']');
    }
}
