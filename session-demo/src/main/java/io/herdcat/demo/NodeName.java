package io.herdcat.demo;

import java.lang.management.ManagementFactory;
import java.util.Set;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * The name of the node serving a request: the {@code herdcat.node} system property on a Herdcat node,
 * else the jvmRoute of a stock Tomcat's Engine (read over JMX), else "unknown".
 */
final class NodeName {
    private static final String NAME = find();

    private NodeName() {
    }

    static String get() {
        return NAME;
    }

    private static String find() {
        String herdcat = System.getProperty("herdcat.node");
        if (herdcat != null && !herdcat.isEmpty()) {
            return herdcat;
        }
        try {
            MBeanServer mbeans = ManagementFactory.getPlatformMBeanServer();
            Set<ObjectName> engines = mbeans.queryNames(new ObjectName("*:type=Engine"), null);
            for (ObjectName engine : engines) {
                Object route = mbeans.getAttribute(engine, "jvmRoute");
                if (route != null && !route.toString().isEmpty()) {
                    return route.toString();
                }
            }
        } catch (Exception e) {
            // no JMX or no Engine MBean: fall through
        }
        return "unknown";
    }
}
