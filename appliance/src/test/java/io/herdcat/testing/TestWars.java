package io.herdcat.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Builds small JSP webapps for tests and drops them into a webapps folder the way an operator should: atomically. */
public final class TestWars {
    private TestWars() {
    }

    /**
     * A WAR whose pages print {@code label}: {@code /} (no session), {@code /session.jsp} (creates one and
     * prints its id), {@code /slow.jsp?ms=N} (answers after N ms), {@code /wait.jsp?file=F} (creates
     * {@code F.waiting}, then answers once file F exists).
     */
    public static void drop(Path webapps, String fileName, String label) throws IOException {
        drop(webapps, fileName, label, false);
    }

    /**
     * The same, optionally {@code <distributable/>}; it also has {@code /bad.jsp}, which sets an
     * attribute that cannot be serialized and prints "accepted" or "refused", and {@code /held.jsp}, which does
     * the same with an instance of a class of the webapp's own; {@code /counter.jsp}, which counts the
     * requests of its session ({@code n=N version=LABEL}); and {@code /health.jsp}, which answers 500 when
     * {@code label} contains "broken", else 200.
     */
    public static void drop(Path webapps, String fileName, String label, boolean distributable) throws IOException {
        Path tmp = Files.createTempFile(webapps.getParent(), "war", ".tmp");
        try (OutputStream file = Files.newOutputStream(tmp); ZipOutputStream zip = new ZipOutputStream(file)) {
            add(zip, "index.jsp", "<%@ page session=\"false\" contentType=\"text/plain\" %>version=" + label + "\n");
            add(zip, "session.jsp", "<%@ page contentType=\"text/plain\" %>version=" + label
                    + " session=<%= session.getId() %>\n");
            add(zip, "slow.jsp", "<%@ page session=\"false\" contentType=\"text/plain\" %><%"
                    + " Thread.sleep(Long.parseLong(request.getParameter(\"ms\"))); %>slow done " + label + "\n");
            add(zip, "wait.jsp", "<%@ page session=\"false\" contentType=\"text/plain\" %><%"
                    + " java.nio.file.Path f = java.nio.file.Path.of(request.getParameter(\"file\"));"
                    + " java.nio.file.Files.writeString(java.nio.file.Path.of(f + \".waiting\"), \"waiting\");"
                    + " while (!java.nio.file.Files.exists(f)) { Thread.sleep(20); } %>waited " + label + "\n");
            add(zip, "bad.jsp", "<%@ page contentType=\"text/plain\" %><% try { session.setAttribute(\"bad\","
                    + " new Object()); out.print(\"accepted\"); } catch (IllegalArgumentException e) {"
                    + " out.print(\"refused\"); } %>\n");
            add(zip, "held.jsp", "<%@ page contentType=\"text/plain\" %><%! public static final class Held { } %><%"
                    + " try { session.setAttribute(\"held\", new Held()); out.print(\"accepted\"); }"
                    + " catch (IllegalArgumentException e) { out.print(\"refused\"); } %>\n");
            add(zip, "counter.jsp", "<%@ page contentType=\"text/plain\" %><% Integer n = (Integer)"
                    + " session.getAttribute(\"n\"); n = n == null ? 1 : n + 1; session.setAttribute(\"n\", n); %>"
                    + "n=<%= n %> version=" + label + " node=<%= System.getProperty(\"herdcat.node\") %> new=<%= session.isNew() %>\n");
            add(zip, "health.jsp", "<%@ page session=\"false\" contentType=\"text/plain\" %><%"
                    + (label.contains("broken") ? " response.setStatus(500); %>broken" : " %>healthy") + " " + label + "\n");
            add(zip, "WEB-INF/web.xml", """
                    <?xml version="1.0" encoding="UTF-8"?>
                    <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.0" metadata-complete="true">
                      <display-name>test</display-name>
                    """ + (distributable ? "  <distributable/>\n" : "") + "</web-app>\n");
        }
        Files.move(tmp, webapps.resolve(fileName), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * A WAR with {@code /} printing {@code label} whose start (its ServletContextListener) waits until
     * {@code release} exists; it creates {@code release + ".waiting"} when it begins to wait.
     */
    public static void dropSlowToStart(Path webapps, String fileName, String label, Path release) throws IOException {
        Path tmp = Files.createTempFile(webapps.getParent(), "war", ".tmp");
        String listener = AwaitFileListener.class.getName().replace('.', '/') + ".class";
        try (OutputStream file = Files.newOutputStream(tmp); ZipOutputStream zip = new ZipOutputStream(file);
             InputStream classFile = AwaitFileListener.class.getClassLoader().getResourceAsStream(listener)) {
            add(zip, "index.jsp", "<%@ page session=\"false\" contentType=\"text/plain\" %>version=" + label + "\n");
            zip.putNextEntry(new ZipEntry("WEB-INF/classes/" + listener));
            classFile.transferTo(zip);
            zip.closeEntry();
            add(zip, "WEB-INF/web.xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                    + "<web-app xmlns=\"https://jakarta.ee/xml/ns/jakartaee\" version=\"6.0\" metadata-complete=\"true\">\n"
                    + "  <display-name>slow to start</display-name>\n"
                    + "  <context-param><param-name>" + AwaitFileListener.RELEASE_PARAM + "</param-name>"
                    + "<param-value>" + release.toAbsolutePath() + "</param-value></context-param>\n"
                    + "  <listener><listener-class>" + AwaitFileListener.class.getName() + "</listener-class></listener>\n"
                    + "</web-app>\n");
        }
        Files.move(tmp, webapps.resolve(fileName), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void add(ZipOutputStream zip, String name, String content) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(content.getBytes(StandardCharsets.UTF_8));
        zip.closeEntry();
    }
}
