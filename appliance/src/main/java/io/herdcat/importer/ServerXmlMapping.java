package io.herdcat.importer;

import io.herdcat.config.Setting;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A Tomcat {@code server.xml} on the nodes: the Engine's {@code jvmRoute} picks the node it describes
 * (all nodes when it has none), its HTTP and AJP connectors give that node's ports, addresses and
 * AJP secret, and the Engine's {@code Cluster} the settings every node shares ({@link ClusterXmlMapping}).
 * Everything else in the file is listed with the reason it has no equivalent.
 */
final class ServerXmlMapping {
    private static final Set<String> HTTP_MAPPED = Set.of("port", "address", "protocol");
    private static final Set<String> AJP_MAPPED = Set.of("port", "address", "protocol", "secret", "requiredSecret",
            "secretRequired", "packetSize", "connectionTimeout");

    private ServerXmlMapping() {
    }

    static void apply(XmlElement server, List<NodeFile> nodes, List<Unmapped> shared) {
        if (!server.name().equals("Server")) {
            throw server.source().error("the root element is <" + server.name() + ">, not <Server>");
        }
        server.attribute("port").filter(p -> !p.equals("-1")).ifPresent(p -> shared.add(new Unmapped(
                server.source(), "Server port=" + p, "a node stops on SIGTERM; there is no shutdown port")));
        List<XmlElement> services = server.children("Service");
        for (XmlElement other : server.children()) {
            if (!other.name().equals("Service")) {
                shared.add(new Unmapped(other.source(), "<" + other.name() + " " + other.simpleClassName() + ">",
                        reasonForServerChild(other)));
            }
        }
        if (services.isEmpty()) {
            return;
        }
        for (XmlElement extra : services.subList(1, services.size())) {
            shared.add(new Unmapped(extra.source(), "Service " + extra.attribute("name").orElse(""),
                    "a node runs one Service; only the first was imported"));
        }
        XmlElement service = services.get(0);
        XmlElement engine = service.child("Engine").orElseThrow(() -> service.source().error("<Service> has no <Engine>"));
        List<NodeFile> targets = targets(engine, nodes);
        engine.attributes().forEach((k, v) -> {
            if (!Set.of("name", "defaultHost", "jvmRoute").contains(k)) {
                shared.add(new Unmapped(engine.source(), "Engine " + Unmapped.shown(k, v), "no equivalent"));
            }
        });
        Set<String> kinds = new java.util.HashSet<>();
        for (XmlElement connector : service.children("Connector")) {
            connector(connector, targets, shared, kinds);
        }
        for (XmlElement c : service.children()) {
            if (!c.name().equals("Connector") && !c.name().equals("Engine")) {
                shared.add(new Unmapped(c.source(), "<" + c.name() + ">", "no equivalent inside a node"));
            }
        }
        for (XmlElement c : engine.children()) {
            switch (c.name()) {
                case "Cluster" -> ClusterXmlMapping.apply(c, nodes, shared);
                case "Host" -> shared.add(new Unmapped(c.source(), "Host " + c.attribute("name").orElse("")
                        + " appBase=" + c.attribute("appBase").orElse("webapps"), "a node has one host; put the "
                        + "WARs into its webapps folder (setting webapps)"));
                default -> shared.add(new Unmapped(c.source(), "<" + c.name() + " " + c.simpleClassName() + ">",
                        "no equivalent inside a node (a node configures its Engine itself)"));
            }
        }
    }

    private static List<NodeFile> targets(XmlElement engine, List<NodeFile> nodes) {
        String route = engine.attribute("jvmRoute").orElse(null);
        if (route == null) {
            return nodes;
        }
        List<NodeFile> match = nodes.stream().filter(n -> n.name().equals(route)).toList();
        if (match.isEmpty()) {
            List<String> names = nodes.stream().map(NodeFile::name).toList();
            throw engine.source().error("jvmRoute '" + route + "' is the route of no worker in the workers file "
                    + "(routes: " + String.join(", ", names) + ")");
        }
        return match;
    }

    private static void connector(XmlElement c, List<NodeFile> targets, List<Unmapped> shared, Set<String> kinds) {
        String protocol = c.attribute("protocol").orElse("HTTP/1.1");
        boolean ajp = protocol.toUpperCase(java.util.Locale.ROOT).contains("AJP");
        if (c.attribute("SSLEnabled").map(Boolean::parseBoolean).orElse(false)) {
            shared.add(new Unmapped(c.source(), "TLS Connector port=" + c.attribute("port").orElse("?"),
                    "TLS is served by the front: front.tls.cert and front.tls.key"));
            return;
        }
        if (!kinds.add(ajp ? "AJP" : "HTTP")) {
            shared.add(new Unmapped(c.source(), "a second " + (ajp ? "AJP" : "HTTP") + " Connector port="
                    + c.attribute("port").orElse("?"), "a node has one connector of each kind"));
            return;
        }
        Setting portKey = ajp ? Setting.AJP_PORT : Setting.HTTP_PORT;
        Setting addressKey = ajp ? Setting.AJP_ADDRESS : Setting.HTTP_ADDRESS;
        for (NodeFile node : targets) {
            String port = c.attribute("port").orElse(ajp ? "8009" : "8080");
            String before = node.value(portKey);
            node.set(portKey, port, c.source(), before != null && !before.equals(port)
                    ? "the workers file said " + before + "; the connector's port wins" : null);
            node.set(addressKey, c.attribute("address").orElse("0.0.0.0"), c.source());
            if (ajp) {
                ajpAttributes(c, node);
            }
        }
        Set<String> mapped = ajp ? AJP_MAPPED : HTTP_MAPPED;
        for (Map.Entry<String, String> a : c.attributes().entrySet()) {
            if (!mapped.contains(a.getKey())) {
                shared.add(new Unmapped(c.source(), (ajp ? "AJP" : "HTTP") + " Connector "
                        + Unmapped.shown(a.getKey(), a.getValue()), "the node sets its connectors up itself; no setting for this attribute"));
            }
        }
    }

    private static void ajpAttributes(XmlElement c, NodeFile node) {
        String secret = c.attribute("secret").or(() -> c.attribute("requiredSecret")).orElse(null);
        if (secret != null) {
            String before = node.value(Setting.AJP_SECRET);
            node.set(Setting.AJP_SECRET, secret, c.source(), before != null && !before.equals(secret)
                    ? "the workers file had another secret; the connector's wins (mod_jk's must match it)" : null);
        } else if (c.attribute("secretRequired").map(Boolean::parseBoolean).orElse(true)) {
            node.unmapped(new Unmapped(c.source(), "AJP Connector without secret",
                    "Tomcat refuses to start such a connector; the node uses ajp.secret or derives one"));
        } else {
            node.unmapped(new Unmapped(c.source(), "AJP Connector secretRequired=false",
                    "a node always requires an AJP secret"));
        }
        c.attribute("packetSize").ifPresent(s -> {
            if (!s.trim().matches("\\d{4,5}")) {
                throw c.source().error("packetSize '" + s + "' is not a number of bytes");
            }
            node.set(Setting.AJP_PACKET_SIZE, s.trim(), c.source());
        });
        c.attribute("connectionTimeout").ifPresent(t -> {
            long ms;
            try {
                ms = Long.parseLong(t.trim());
            } catch (NumberFormatException e) {
                throw c.source().error("connectionTimeout '" + t + "' is not a number of milliseconds");
            }
            String pool = node.value(Setting.FRONT_POOL_IDLE_TIMEOUT);
            long poolMs = pool == null ? 60_000 : Long.parseLong(pool.replace("s", "")) * 1000;
            if (ms > poolMs) {
                node.set(Setting.AJP_CONNECTION_TIMEOUT, ms + "ms", c.source());
            } else {
                node.set(Setting.AJP_CONNECTION_TIMEOUT, (poolMs + 60_000) + "ms", c.source(), "connectionTimeout="
                        + t + " ms; it must outlast the front's idle connections (front.pool.idle.timeout)");
            }
        });
    }

    private static String reasonForServerChild(XmlElement e) {
        return switch (e.name()) {
            case "Listener" -> "a node adds the listeners it needs itself";
            case "GlobalNamingResources" -> "no global JNDI resources in a node";
            default -> "no equivalent in a node";
        };
    }
}
