package io.herdcat.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** lib.dir and resources.file: what a node takes from them, and the one-line answer to each mistake. */
class SharedResourcesTest {
    private static final String PASSWORD = "pw-Zq81-never-logged";

    @TempDir
    Path dir;

    @BeforeEach
    void webappsFolder() throws IOException {
        Files.createDirectories(dir.resolve("webapps"));
    }

    private NodeConfig config(Setting setting, String value) {
        Map<Setting, String> flags = new EnumMap<>(Setting.class);
        flags.put(setting, value);
        return NodeConfig.from(ConfigSources.gather(flags, Map.of(), dir), "web01", dir);
    }

    private ConfigException resourcesError(String xml) throws IOException {
        Files.writeString(dir.resolve("globals.xml"), xml);
        return assertThrows(ConfigException.class, () -> config(Setting.RESOURCES_FILE, "globals.xml"));
    }

    @Test
    void libDirJarsAreTakenInNameOrderAndOtherFilesLeftOut() throws IOException {
        Path lib = Files.createDirectories(dir.resolve("lib"));
        Files.writeString(lib.resolve("b.jar"), "");
        Files.writeString(lib.resolve("a.jar"), "");
        Files.writeString(lib.resolve("README.txt"), "");
        SharedResources shared = config(Setting.LIB_DIR, "lib").shared();
        assertEquals(lib, shared.libDir());
        assertEquals(List.of(lib.resolve("a.jar"), lib.resolve("b.jar")), shared.libJars());
    }

    @Test
    void withoutTheSettingsNothingIsShared() {
        SharedResources shared = config(Setting.NAME, "n1").shared();
        assertEquals(SharedResources.none(), shared);
    }

    @Test
    void missingLibDirNamesTheKey() {
        ConfigException e = assertThrows(ConfigException.class, () -> config(Setting.LIB_DIR, "no-such-lib"));
        assertTrue(e.getMessage().startsWith("lib.dir ("), e.getMessage());
        assertTrue(e.getMessage().contains("no-such-lib"), e.getMessage());
    }

    @Test
    void libDirThatIsAFileNamesTheKey() throws IOException {
        Files.writeString(dir.resolve("lib"), "");
        ConfigException e = assertThrows(ConfigException.class, () -> config(Setting.LIB_DIR, "lib"));
        assertTrue(e.getMessage().startsWith("lib.dir ("), e.getMessage());
    }

    @Test
    void unreadableLibDirNamesTheKey() throws IOException {
        Path lib = Files.createDirectories(dir.resolve("lib"));
        Files.createDirectories(lib.resolve("driver.jar")); // a folder named like a jar cannot be loaded
        ConfigException e = assertThrows(ConfigException.class, () -> config(Setting.LIB_DIR, "lib"));
        assertTrue(e.getMessage().startsWith("lib.dir ("), e.getMessage());
        assertTrue(e.getMessage().contains("driver.jar"), e.getMessage());
    }

    @Test
    void unlistableLibDirNamesTheKeyWhenNotRoot() throws IOException {
        Path lib = Files.createDirectories(dir.resolve("lib"));
        Files.setPosixFilePermissions(lib, PosixFilePermissions.fromString("-wx------"));
        try {
            if (Files.isReadable(lib)) {
                return; // root reads it anyway; the jar case above covers the answer
            }
            ConfigException e = assertThrows(ConfigException.class, () -> config(Setting.LIB_DIR, "lib"));
            assertTrue(e.getMessage().startsWith("lib.dir ("), e.getMessage());
        } finally {
            Files.setPosixFilePermissions(lib, PosixFilePermissions.fromString("rwx------"));
        }
    }

    @Test
    void globalNamingResourcesAloneAreRead() throws IOException {
        Files.writeString(dir.resolve("globals.xml"), """
                <?xml version="1.0" encoding="UTF-8"?>
                <GlobalNamingResources>
                  <Resource name="jdbc/shared" auth="Container" type="javax.sql.DataSource"
                            driverClassName="org.postgresql.Driver" url="jdbc:postgresql://db/app"
                            username="app" password="%s" maxTotal="20"/>
                  <Environment name="mode" type="java.lang.String" value="production" override="false"/>
                </GlobalNamingResources>
                """.formatted(PASSWORD));
        SharedResources shared = config(Setting.RESOURCES_FILE, "globals.xml").shared();
        assertEquals(2, shared.globals().size());
        NamingEntry ds = shared.globals().get(0);
        assertEquals(NamingEntry.Kind.RESOURCE, ds.kind());
        assertEquals("jdbc/shared", ds.name());
        assertEquals(PASSWORD, ds.attributes().get("password"));
        assertEquals("20", ds.attributes().get("maxTotal"));
        assertEquals(5, ds.line(), "the line where the entry's start tag ends");
        assertEquals("Resource jdbc/shared (javax.sql.DataSource)", ds.toString());
        assertFalse(shared.toString().contains(PASSWORD), "the entries print without their attributes: " + shared);
        assertEquals(NamingEntry.Kind.ENVIRONMENT, shared.globals().get(1).kind());
    }

    @Test
    void onlyTheGlobalNamingResourcesOfAWholeServerXmlAreRead() throws IOException {
        Files.writeString(dir.resolve("server.xml"), """
                <?xml version="1.0" encoding="UTF-8"?>
                <Server port="8005" shutdown="SHUTDOWN">
                  <Listener className="org.apache.catalina.core.AprLifecycleListener"/>
                  <GlobalNamingResources>
                    <Resource name="UserDatabase" auth="Container" type="org.apache.catalina.UserDatabase"
                              factory="org.apache.catalina.users.MemoryUserDatabaseFactory" pathname="conf/tomcat-users.xml"/>
                    <Resource name="jdbc/shared" type="javax.sql.DataSource" url="jdbc:postgresql://db/app"/>
                  </GlobalNamingResources>
                  <Service name="Catalina">
                    <Connector port="8009" protocol="AJP/1.3" secret="x"/>
                    <Engine name="Catalina" defaultHost="localhost" jvmRoute="tc1">
                      <Host name="localhost" appBase="webapps"/>
                    </Engine>
                  </Service>
                </Server>
                """);
        List<NamingEntry> globals = config(Setting.RESOURCES_FILE, "server.xml").shared().globals();
        assertEquals(List.of("UserDatabase", "jdbc/shared"), globals.stream().map(NamingEntry::name).toList());
    }

    @Test
    void malformedXmlIsAnErrorWithFileAndLine() throws IOException {
        ConfigException e = resourcesError("""
                <GlobalNamingResources>
                  <Resource name="jdbc/a" type="javax.sql.DataSource" password="%s"
                  <Resource name="jdbc/b"/>
                </GlobalNamingResources>
                """.formatted(PASSWORD));
        String m = e.getMessage();
        assertTrue(m.startsWith("resources.file ("), m);
        assertTrue(m.contains(dir.resolve("globals.xml") + " line 3:"), m);
        assertFalse(m.contains(PASSWORD), m);
    }

    @Test
    void anEntryWithoutNameIsAnErrorWithItsLine() throws IOException {
        ConfigException e = resourcesError("""
                <GlobalNamingResources>
                  <Resource name="jdbc/a" type="javax.sql.DataSource"/>

                  <Resource type="javax.sql.DataSource" password="%s"/>
                </GlobalNamingResources>
                """.formatted(PASSWORD));
        assertTrue(e.getMessage().contains("globals.xml line 4: <Resource> has no name attribute"), e.getMessage());
        assertFalse(e.getMessage().contains(PASSWORD), e.getMessage());
    }

    @Test
    void aPlaceholderIsAnErrorThatNamesTheAttributeNotItsValue() throws IOException {
        ConfigException e = resourcesError("""
                <GlobalNamingResources>
                  <Resource name="jdbc/a" type="javax.sql.DataSource" password="${db.password}"/>
                </GlobalNamingResources>
                """);
        assertTrue(e.getMessage().contains("line 2: attribute password of <Resource> holds a ${...} placeholder"),
                e.getMessage());
        assertFalse(e.getMessage().contains("db.password"), e.getMessage());
    }

    @Test
    void unsupportedElementsAndDuplicatesAreErrorsWithTheirLines() throws IOException {
        assertTrue(resourcesError("<GlobalNamingResources>\n<Transaction factory=\"x\"/>\n</GlobalNamingResources>\n")
                .getMessage().contains("line 2: <Transaction> is not supported here"));
        assertTrue(resourcesError("<GlobalNamingResources>\n<Resource name=\"a\"/>\n\n<Resource name=\"a\"/>\n"
                + "</GlobalNamingResources>\n").getMessage().contains("line 4: name a is given twice"));
        assertTrue(resourcesError("<Environment name=\"a\" type=\"java.lang.String\" value=\"v\"/>\n")
                .getMessage().contains("line 1: the root element is <Environment>"));
        assertTrue(resourcesError("<Server>\n<Service/>\n</Server>\n")
                .getMessage().contains("line 1: no <GlobalNamingResources> element"));
    }

    @Test
    void missingResourcesFileNamesTheKey() {
        ConfigException e = assertThrows(ConfigException.class, () -> config(Setting.RESOURCES_FILE, "none.xml"));
        assertTrue(e.getMessage().startsWith("resources.file ("), e.getMessage());
    }
}
