package io.herdcat.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** lib.dir's loader: its classes are seen through it (not by Herdcat's loader), and its JDBC drivers are loaded at start. */
class CommonLoaderTest {
    @TempDir
    Path dir;

    @Test
    void jarsAreSeenThroughTheLoaderOnlyAndTheirDriversAreLoaded() throws Exception {
        Path jar = driverJar();
        try (CommonLoader common = new CommonLoader(List.of(jar))) {
            assertNotSame(CommonLoader.class.getClassLoader(), common.loader());
            Class<?> driver = Class.forName("lib.test.LibDriver", false, common.loader());
            assertSame(common.loader(), driver.getClassLoader());
            assertThrows(ClassNotFoundException.class, () -> Class.forName("lib.test.LibDriver"),
                    "Herdcat's own loader does not see lib.dir");
            assertEquals(List.of("lib.test.LibDriver"), common.registerDrivers());
            ClassLoader[] seen = new ClassLoader[1];
            common.run(() -> seen[0] = Thread.currentThread().getContextClassLoader());
            assertSame(common.loader(), seen[0], "the context loader while Tomcat starts");
        }
    }

    @Test
    void withoutJarsItIsHerdcatsOwnLoader() throws IOException {
        try (CommonLoader common = new CommonLoader(List.of())) {
            assertSame(CommonLoader.class.getClassLoader(), common.loader());
            assertEquals(List.of(), common.registerDrivers());
        }
    }

    /** A jar holding a JDBC driver declared in META-INF/services, compiled here so no other loader has it. */
    private Path driverJar() throws IOException {
        Path src = Files.createDirectories(dir.resolve("src/lib/test"));
        Files.writeString(src.resolve("LibDriver.java"), """
                package lib.test;
                public final class LibDriver implements java.sql.Driver {
                    static {
                        try { java.sql.DriverManager.registerDriver(new LibDriver()); }
                        catch (java.sql.SQLException e) { throw new ExceptionInInitializerError(e); }
                    }
                    public java.sql.Connection connect(String url, java.util.Properties info) { return null; }
                    public boolean acceptsURL(String url) { return url.startsWith("jdbc:libtest:"); }
                    public java.sql.DriverPropertyInfo[] getPropertyInfo(String url, java.util.Properties info) {
                        return new java.sql.DriverPropertyInfo[0];
                    }
                    public int getMajorVersion() { return 1; }
                    public int getMinorVersion() { return 0; }
                    public boolean jdbcCompliant() { return false; }
                    public java.util.logging.Logger getParentLogger() { return java.util.logging.Logger.getGlobal(); }
                }
                """);
        Path classes = Files.createDirectories(dir.resolve("classes"));
        int rc = ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", classes.toString(),
                src.resolve("LibDriver.java").toString());
        assertEquals(0, rc, "the test driver compiles");
        Path jar = dir.resolve("libdriver.jar");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream zip = new JarOutputStream(out)) {
            zip.putNextEntry(new JarEntry("lib/test/LibDriver.class"));
            zip.write(Files.readAllBytes(classes.resolve("lib/test/LibDriver.class")));
            zip.putNextEntry(new JarEntry("META-INF/services/java.sql.Driver"));
            zip.write("lib.test.LibDriver\n".getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        return jar;
    }
}
