package io.herdcat.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.XMLConstants;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.parsers.SAXParserFactory;
import org.xml.sax.Attributes;
import org.xml.sax.Locator;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;
import org.xml.sax.helpers.DefaultHandler;

/**
 * Reads the {@code <GlobalNamingResources>} element operators already have in Tomcat's server.xml: the
 * file holds that element alone, or a whole {@code <Server>} from which only
 * {@code Server/GlobalNamingResources} is read (connectors, valves and the rest are left to Herdcat's
 * own settings). {@code Resource} and {@code Environment} children are taken with all their attributes;
 * anything else inside it, a missing {@code name}, or a {@code ${...}} placeholder (which Tomcat would expand
 * from catalina.properties, and a node has none) is an error naming the file and line. Error messages
 * name attributes, never their values, so a password cannot leak through them.
 */
final class GlobalResourcesFile extends DefaultHandler {
    private static final String GLOBALS = "GlobalNamingResources";

    private final Path file;
    private final List<NamingEntry> entries = new ArrayList<>();
    private Locator locator;
    private int depth;
    /** Depth of the GlobalNamingResources element while inside it, else -1. */
    private int globalsDepth = -1;
    private boolean sawGlobals;
    private boolean sawServerRoot;

    private GlobalResourcesFile(Path file) {
        this.file = file;
    }

    static List<NamingEntry> read(RawValue setting, Path file) {
        GlobalResourcesFile handler = new GlobalResourcesFile(file);
        try (InputStream in = Files.newInputStream(file)) {
            SAXParserFactory factory = SAXParserFactory.newInstance();
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.newSAXParser().parse(in, handler, file.toUri().toString());
        } catch (SAXParseException e) {
            throw ConfigException.of(setting, file + " line " + e.getLineNumber() + ": " + e.getMessage());
        } catch (SAXException | ParserConfigurationException e) {
            throw ConfigException.of(setting, file + ": " + e.getMessage());
        } catch (IOException e) {
            throw ConfigException.of(setting, "cannot read " + file + ": " + e.getMessage());
        }
        if (!handler.sawGlobals) {
            throw ConfigException.of(setting, file + " line 1: no <" + GLOBALS + "> element; give the element "
                    + "itself or a server.xml holding it under <Server>");
        }
        return List.copyOf(handler.entries);
    }

    @Override
    public void setDocumentLocator(Locator locator) {
        this.locator = locator;
    }

    @Override
    public void startElement(String uri, String localName, String qName, Attributes attributes) throws SAXException {
        depth++;
        if (globalsDepth < 0) {
            if (GLOBALS.equals(qName) && (depth == 1 || depth == 2 && sawServerRoot)) {
                globalsDepth = depth;
                sawGlobals = true;
            } else if (depth == 1) {
                sawServerRoot = "Server".equals(qName);
                if (!sawServerRoot) {
                    throw error("the root element is <" + qName + ">; expected <" + GLOBALS + "> or <Server>");
                }
            }
            return;
        }
        if (depth != globalsDepth + 1) {
            throw error("<" + qName + "> is not expected inside a " + GLOBALS + " entry");
        }
        NamingEntry.Kind kind = NamingEntry.kindOf(qName);
        if (kind == null) {
            throw error("<" + qName + "> is not supported here; " + GLOBALS + " may hold <Resource> and <Environment>");
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < attributes.getLength(); i++) {
            String name = attributes.getQName(i);
            String value = attributes.getValue(i);
            if (value.contains("${")) {
                throw error("attribute " + name + " of <" + qName + "> holds a ${...} placeholder, which is not "
                        + "expanded here; write the value itself");
            }
            values.put(name, value);
        }
        String name = values.get("name");
        if (name == null || name.isBlank()) {
            throw error("<" + qName + "> has no name attribute");
        }
        if (kind == NamingEntry.Kind.ENVIRONMENT && (!values.containsKey("type") || !values.containsKey("value"))) {
            throw error("<Environment name=\"" + name + "\"> needs type and value attributes");
        }
        if (entries.stream().anyMatch(e -> e.name().equals(name))) {
            throw error("name " + name + " is given twice");
        }
        entries.add(new NamingEntry(kind, values, locator == null ? 0 : locator.getLineNumber()));
    }

    @Override
    public void endElement(String uri, String localName, String qName) {
        if (depth == globalsDepth) {
            globalsDepth = -1;
        }
        depth--;
    }

    private SAXParseException error(String message) {
        return new SAXParseException(message, locator);
    }
}
