package io.herdcat.cli;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A rolling restart onto a jar is refused when a restarted node would not exchange sessions with the others. */
class SessionCompatibilityTest {
    private static Map<String, Object> status(Object... nodes) {
        return Map.of("nodes", List.of(nodes));
    }

    private static Map<String, Object> node(String name, String tomcat, Object format) {
        return format == null ? Map.of("name", name, "tomcatVersion", tomcat, "phase", "ready")
                : Map.of("name", name, "tomcatVersion", tomcat, "replicationFormat", format, "phase", "ready");
    }

    @Test
    void theSameTomcatAndFormatPassWhateverTheHerdcatVersions() {
        assertDoesNotThrow(() -> SessionCompatibility.check(status(node("a", "11.0.21.0", 1L), node("b", "11.0.21.0", 1L)),
                "11.0.21.0", 1));
        assertDoesNotThrow(() -> SessionCompatibility.check(status(node("a", "11.0.21.0", null)), "11.0.21.0", 1),
                "a node that says no format speaks the first");
        assertDoesNotThrow(() -> SessionCompatibility.check(status(Map.of("name", "tc", "phase", "static")),
                "11.0.21.0", 1), "plain Tomcats in front.nodes hold no replicated sessions");
    }

    @Test
    void anotherTomcatOrFormatIsRefusedNamingTheNodes() {
        AdminCallException e = assertThrows(AdminCallException.class, () -> SessionCompatibility.check(
                status(node("a", "11.0.21.0", 1L), node("b", "11.0.18.0", 1L), node("c", "11.0.21.0", 2L)),
                "11.0.21.0", 1));
        assertTrue(e.getMessage().contains("b (Tomcat 11.0.18.0, replication format 1)")
                && e.getMessage().contains("c (Tomcat 11.0.21.0, replication format 2)")
                && !e.getMessage().contains("a (") && e.getMessage().contains("--force"), e.getMessage());
    }
}
