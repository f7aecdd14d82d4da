package io.herdcat.config;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One entry of {@code <GlobalNamingResources>}: its element ({@code Resource} or {@code Environment}), its
 * attributes as written, and the line it starts on. {@link #toString()} shows only the name and type:
 * attributes such as {@code password} must never reach a log.
 */
public record NamingEntry(Kind kind, Map<String, String> attributes, int line) {
    /** The elements of GlobalNamingResources that a node takes. */
    public enum Kind { RESOURCE, ENVIRONMENT }

    public NamingEntry {
        attributes = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
    }

    public String name() {
        return attributes.get("name");
    }

    public String type() {
        return attributes.getOrDefault("type", "");
    }

    /** Safe to log: "Resource jdbc/shared (javax.sql.DataSource)". */
    @Override
    public String toString() {
        String element = kind == Kind.RESOURCE ? "Resource" : "Environment";
        return element + " " + name() + " (" + type() + ")";
    }

    /** The kind of an element named as in server.xml, or null for any other element. */
    static Kind kindOf(String element) {
        return switch (element) {
            case "Resource" -> Kind.RESOURCE;
            case "Environment" -> Kind.ENVIRONMENT;
            default -> null;
        };
    }
}
