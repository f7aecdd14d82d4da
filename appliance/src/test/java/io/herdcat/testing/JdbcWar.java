package io.herdcat.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * A webapp as it would run on a stock Tomcat: its {@code META-INF/context.xml} declares a DataSource of
 * its own ({@code jdbc/own}, no factory: Tomcat's pool), a {@code ResourceLink} {@code jdbc/global} to the
 * global {@code jdbc/shared}, and an {@code Environment} naming the table. Its JSPs use only
 * {@code java:comp/env}: {@code /write.jsp?via=own|global&id=N} inserts row N (once; a repeat is a no-op)
 * and answers {@code written N via=V node=NODE}; {@code /read.jsp?via=V} answers
 * {@code rows=N class=DATASOURCE_CLASS}; {@code /direct.jsp} connects with
 * {@code DriverManager.getConnection} (no DataSource) and answers {@code direct=DRIVER_CLASS}.
 */
public final class JdbcWar {
    /** The table the webapp writes to; the test creates it. */
    public static final String TABLE = "writes";

    private JdbcWar() {
    }

    public static void drop(Path webapps, String fileName, String url, String user, String password) throws IOException {
        Path tmp = Files.createTempFile(webapps.getParent(), "war", ".tmp");
        String lookup = "javax.naming.Context env = (javax.naming.Context) new javax.naming.InitialContext()"
                + ".lookup(\"java:comp/env\"); String via = request.getParameter(\"via\");"
                + " javax.sql.DataSource ds = (javax.sql.DataSource) env.lookup(\"jdbc/\" + via);"
                + " String table = (String) env.lookup(\"writesTable\");";
        try (OutputStream file = Files.newOutputStream(tmp); ZipOutputStream zip = new ZipOutputStream(file)) {
            add(zip, "write.jsp", "<%@ page session=\"false\" contentType=\"text/plain\" %><% " + lookup
                    + " long id = Long.parseLong(request.getParameter(\"id\"));"
                    + " try (java.sql.Connection c = ds.getConnection(); java.sql.PreparedStatement s = c.prepareStatement("
                    + "\"INSERT INTO \" + table + \" (id, via, node) VALUES (?, ?, ?) ON CONFLICT (id) DO NOTHING\")) {"
                    + " s.setLong(1, id); s.setString(2, via); s.setString(3, System.getProperty(\"herdcat.node\"));"
                    + " s.executeUpdate(); } %>written <%= id %> via=<%= via %> node=<%= System.getProperty(\"herdcat.node\") %>\n");
            add(zip, "read.jsp", "<%@ page session=\"false\" contentType=\"text/plain\" %><% " + lookup
                    + " long rows; try (java.sql.Connection c = ds.getConnection(); java.sql.ResultSet r ="
                    + " c.createStatement().executeQuery(\"SELECT count(*) FROM \" + table + \" WHERE via = '\" + via + \"'\")) {"
                    + " r.next(); rows = r.getLong(1); } %>rows=<%= rows %> class=<%= ds.getClass().getName() %>\n");
            add(zip, "direct.jsp", "<%@ page session=\"false\" contentType=\"text/plain\" %><%"
                    + " String url = (String) new javax.naming.InitialContext().lookup(\"java:comp/env/jdbcUrl\");"
                    + " String driver; try (java.sql.Connection c = java.sql.DriverManager.getConnection(url, \""
                    + user + "\", \"" + password + "\")) { driver = java.sql.DriverManager.getDriver(url).getClass().getName(); }"
                    + " %>direct=<%= driver %>\n");
            add(zip, "META-INF/context.xml", """
                    <?xml version="1.0" encoding="UTF-8"?>
                    <Context>
                      <Resource name="jdbc/own" auth="Container" type="javax.sql.DataSource"
                                driverClassName="org.postgresql.Driver" url="%s"
                                username="%s" password="%s" maxTotal="8" maxWaitMillis="10000"/>
                      <ResourceLink name="jdbc/global" global="jdbc/shared" type="javax.sql.DataSource"/>
                      <Environment name="writesTable" type="java.lang.String" value="%s" override="false"/>
                      <Environment name="jdbcUrl" type="java.lang.String" value="%s"/>
                    </Context>
                    """.formatted(url, user, password, TABLE, url));
            add(zip, "WEB-INF/web.xml", """
                    <?xml version="1.0" encoding="UTF-8"?>
                    <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.0" metadata-complete="true">
                      <display-name>jdbc</display-name>
                    </web-app>
                    """);
        }
        Files.move(tmp, webapps.resolve(fileName), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void add(ZipOutputStream zip, String name, String content) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(content.getBytes(StandardCharsets.UTF_8));
        zip.closeEntry();
    }
}
