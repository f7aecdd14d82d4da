package io.herdcat.node;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import org.apache.catalina.util.ServerInfo;

/** The appliance's own version (from the build) and the embedded Tomcat's. */
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
