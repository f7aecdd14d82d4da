package io.herdcat.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.herdcat.config.NamingEntry;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.catalina.deploy.NamingResourcesImpl;
import org.apache.tomcat.util.descriptor.web.ContextEnvironment;
import org.apache.tomcat.util.descriptor.web.ContextResource;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The global entries reach Tomcat as it reads them from server.xml, and the log names them without secrets. */
class GlobalNamingTest {
    private static final String PASSWORD = "pw-Zq81-never-logged";

    @Test
    void entriesBecomeTomcatsGlobalResourcesAndAreLoggedWithoutTheirAttributes() {
        Map<String, String> ds = new LinkedHashMap<>();
        ds.put("name", "jdbc/shared");
        ds.put("auth", "Container");
        ds.put("type", "javax.sql.DataSource");
        ds.put("url", "jdbc:postgresql://db/app");
        ds.put("username", "app");
        ds.put("password", PASSWORD);
        ds.put("maxTotal", "20");
        NamingEntry resource = new NamingEntry(NamingEntry.Kind.RESOURCE, ds, 3);
        NamingEntry environment = new NamingEntry(NamingEntry.Kind.ENVIRONMENT,
                Map.of("name", "mode", "type", "java.lang.String", "value", "production", "override", "false"), 6);

        Logger logger = (Logger) LoggerFactory.getLogger(GlobalNaming.class);
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        logger.addAppender(log);
        NamingResourcesImpl globals = new NamingResourcesImpl();
        try {
            GlobalNaming.add(globals, List.of(resource, environment), "n1");
        } finally {
            logger.detachAppender(log);
        }

        ContextResource r = globals.findResource("jdbc/shared");
        assertEquals("javax.sql.DataSource", r.getType());
        assertEquals("Container", r.getAuth());
        assertEquals(PASSWORD, r.getProperty("password"));
        assertEquals("20", r.getProperty("maxTotal"));
        assertEquals(null, r.getProperty("factory"), "no factory: Tomcat's pool is the default for a DataSource");
        ContextEnvironment e = globals.findEnvironment("mode");
        assertEquals("production", e.getValue());
        assertFalse(e.getOverride());

        List<String> lines = log.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        assertEquals(List.of("Node n1: global Resource jdbc/shared (javax.sql.DataSource)",
                "Node n1: global Environment mode (java.lang.String)"), lines);
        assertTrue(lines.stream().noneMatch(l -> l.contains(PASSWORD)), lines.toString());
    }
}
