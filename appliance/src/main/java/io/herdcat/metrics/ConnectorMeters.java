package io.herdcat.metrics;

import io.herdcat.node.TomcatNode;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.Executor;
import java.util.function.ToDoubleFunction;
import org.apache.catalina.connector.Connector;
import org.apache.coyote.AbstractProtocol;
import org.apache.coyote.ProtocolHandler;
import org.apache.tomcat.util.threads.ThreadPoolExecutor;

/**
 * Tomcat's HTTP and AJP connectors: their request threads (busy, current, maximum) and connections
 * (current, maximum), under the names Micrometer's own Tomcat binder gives them
 * ({@code tomcat_threads_busy_threads{name="http-nio-8080"}}), so existing Tomcat dashboards work.
 * Read from each connector's protocol handler and executor at the scrape, not from Tomcat's MBeans,
 * so they need no {@code jmx=true}.
 */
final class ConnectorMeters {
    private ConnectorMeters() {
    }

    static void register(MeterRegistry registry, TomcatNode node) {
        for (Connector c : node.connectors()) {
            ProtocolHandler handler = c.getProtocolHandler();
            String name = handler instanceof AbstractProtocol<?> p ? p.getName().replace("\"", "") : c.getScheme();
            threads(registry, "tomcat.threads.busy", "Request threads of the connector serving a request now",
                    name, handler, ThreadPoolExecutor::getActiveCount);
            threads(registry, "tomcat.threads.current", "Request threads the connector has now", name, handler,
                    ThreadPoolExecutor::getPoolSize);
            threads(registry, "tomcat.threads.config.max", "Most request threads the connector may have", name,
                    handler, ThreadPoolExecutor::getMaximumPoolSize);
            if (handler instanceof AbstractProtocol<?> protocol) {
                Gauge.builder("tomcat.connections.current", protocol, AbstractProtocol::getConnectionCount)
                        .description("Connections the connector holds open now").baseUnit("connections")
                        .tag("name", name).register(registry);
                Gauge.builder("tomcat.connections.config.max", protocol, AbstractProtocol::getMaxConnections)
                        .description("Most connections the connector accepts (more wait in the listen backlog)")
                        .baseUnit("connections").tag("name", name).register(registry);
            }
        }
    }

    private static void threads(MeterRegistry registry, String meter, String help, String name,
                                ProtocolHandler handler, ToDoubleFunction<ThreadPoolExecutor> value) {
        Gauge.builder(meter, handler, h -> {
                    Executor executor = h.getExecutor();
                    return executor instanceof ThreadPoolExecutor pool ? value.applyAsDouble(pool) : Double.NaN;
                })
                .description(help).baseUnit("threads").tag("name", name).register(registry);
    }
}
