package io.herdcat.importer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.xml.XMLConstants;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.parsers.SAXParserFactory;
import org.xml.sax.Attributes;
import org.xml.sax.Locator;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;
import org.xml.sax.helpers.DefaultHandler;

/**
 * An element of a Tomcat XML file with its attributes, children and the line it starts on, so every
 * imported value can name where it came from. External entities and DTDs are not loaded.
 */
record XmlElement(String name, Map<String, String> attributes, List<XmlElement> children, SourceLine source) {

    static XmlElement read(Path file) throws IOException {
        String fileName = file.getFileName().toString();
        Builder handler = new Builder(fileName);
        try (InputStream in = Files.newInputStream(file)) {
            SAXParserFactory factory = SAXParserFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.newSAXParser().parse(in, handler);
        } catch (SAXParseException e) {
            throw new SourceLine(fileName, e.getLineNumber()).error(e.getMessage());
        } catch (SAXException | ParserConfigurationException e) {
            throw new SourceLine(fileName, 0).error(e.getMessage());
        }
        return handler.root;
    }

    Optional<String> attribute(String key) {
        return Optional.ofNullable(attributes.get(key));
    }

    List<XmlElement> children(String childName) {
        return children.stream().filter(c -> c.name.equals(childName)).toList();
    }

    Optional<XmlElement> child(String childName) {
        return children(childName).stream().findFirst();
    }

    /** The className attribute without its package, or "" when there is none. */
    String simpleClassName() {
        String c = attributes.getOrDefault("className", "");
        return c.substring(c.lastIndexOf('.') + 1);
    }

    private static final class Builder extends DefaultHandler {
        private final String fileName;
        private final Deque<XmlElement> open = new ArrayDeque<>();
        private Locator locator;
        private XmlElement root;

        Builder(String fileName) {
            this.fileName = fileName;
        }

        @Override
        public void setDocumentLocator(Locator locator) {
            this.locator = locator;
        }

        @Override
        public void startElement(String uri, String localName, String qName, Attributes attrs) {
            Map<String, String> map = new LinkedHashMap<>();
            for (int i = 0; i < attrs.getLength(); i++) {
                map.put(attrs.getQName(i), attrs.getValue(i));
            }
            XmlElement e = new XmlElement(qName, map, new ArrayList<>(),
                    new SourceLine(fileName, locator == null ? 0 : locator.getLineNumber()));
            if (open.isEmpty()) {
                root = e;
            } else {
                open.peek().children().add(e);
            }
            open.push(e);
        }

        @Override
        public void endElement(String uri, String localName, String qName) {
            open.pop();
        }
    }
}
