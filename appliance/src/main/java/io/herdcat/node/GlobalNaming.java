package io.herdcat.node;

import io.herdcat.config.NamingEntry;
import java.util.List;
import java.util.Map;
import org.apache.catalina.deploy.NamingResourcesImpl;
import org.apache.tomcat.util.descriptor.web.ContextEnvironment;
import org.apache.tomcat.util.descriptor.web.ContextResource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts the entries of {@code resources.file} into the Server's global naming resources, where a webapp's
 * {@code <ResourceLink global="...">} finds them, as Tomcat does with server.xml's
 * {@code <GlobalNamingResources>}. The attributes with a property of their own (name, type, auth, scope,
 * ...) are set as such; the others (url, username, password, maxTotal, ...) go to the resource's factory,
 * by default Tomcat's pool for a {@code javax.sql.DataSource}. Each entry is logged by name and type only.
 */
final class GlobalNaming {
    private static final Logger LOG = LoggerFactory.getLogger(GlobalNaming.class);

    private GlobalNaming() {
    }

    static void add(NamingResourcesImpl globals, List<NamingEntry> entries, String node) {
        for (NamingEntry entry : entries) {
            switch (entry.kind()) {
                case RESOURCE -> globals.addResource(resource(entry.attributes()));
                case ENVIRONMENT -> globals.addEnvironment(environment(entry.attributes()));
                default -> throw new IllegalArgumentException(entry.toString());
            }
            LOG.info("Node {}: global {}", node, entry);
        }
    }

    private static ContextResource resource(Map<String, String> attributes) {
        ContextResource r = new ContextResource();
        attributes.forEach((key, value) -> {
            switch (key) {
                case "name" -> r.setName(value);
                case "type" -> r.setType(value);
                case "auth" -> r.setAuth(value);
                case "description" -> r.setDescription(value);
                case "scope" -> r.setScope(value);
                case "singleton" -> r.setSingleton(Boolean.parseBoolean(value));
                case "closeMethod" -> r.setCloseMethod(value);
                case "lookupName" -> r.setLookupName(value);
                default -> r.setProperty(key, value);
            }
        });
        return r;
    }

    private static ContextEnvironment environment(Map<String, String> attributes) {
        ContextEnvironment e = new ContextEnvironment();
        attributes.forEach((key, value) -> {
            switch (key) {
                case "name" -> e.setName(value);
                case "type" -> e.setType(value);
                case "value" -> e.setValue(value);
                case "override" -> e.setOverride(Boolean.parseBoolean(value));
                case "description" -> e.setDescription(value);
                default -> e.setProperty(key, value);
            }
        });
        return e;
    }
}
