package io.herdcat.node;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import org.apache.catalina.util.ServerInfo;

/** The appliance's own version (from the build) and those of the parts it is built of: Tomcat, JGroups, Java. */
public final class Versions {
    private static final String HERDCAT = load();

    private Versions() {
    }

    public static String herdcat() {
        return HERDCAT;
    }

    public static String tomcat() {
        return ServerInfo.getServerNumber();
    }

    public static String jgroups() {
        return org.jgroups.Version.printVersion();
    }

    /** The Java runtime's version and vendor, e.g. {@code 17.0.13 (Eclipse Adoptium)}. */
    public static String java() {
        return Runtime.version() + " (" + System.getProperty("java.vendor", "unknown vendor") + ")";
    }

    /** What {@code --version} prints: one line per part. */
    public static String[] lines() {
        return new String[] {"Herdcat " + herdcat(), "Tomcat " + tomcat(), "JGroups " + jgroups(), "Java " + java()};
    }

    private static String load() {
        try (InputStream in = Versions.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                return "dev";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "dev");
        } catch (IOException e) {
            return "dev";
        }
    }
}
