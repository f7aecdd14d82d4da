package io.herdcat.launcher;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.jul.LevelChangePropagator;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;
import org.slf4j.Logger;

/**
 * Logging for a node: one console line per event with its date, time and zone (ISO-8601) and the node's
 * name (journald keeps it), set up in code because parsing a logback.xml costs a third of a second at
 * start; {@link LogSetup} then applies the node's levels and format. Give
 * {@code -Dlogback.configurationFile=FILE} to use a file of your own instead.
 */
public final class ConsoleLogConfigurator extends ContextAwareBase implements Configurator {
    static final String CONSOLE = "console";
    /** ISO-8601 date and time with the zone's offset, as log pipelines and {@code date --iso-8601} write it. */
    static final String PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level [%property{herdcat.node}] %logger{24} - %msg%n";

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty("logback.configurationFile") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        if (System.getProperty("herdcat.node") == null) {
            context.putProperty("herdcat.node", "herdcat");
        } else {
            context.putProperty("herdcat.node", System.getProperty("herdcat.node"));
        }
        LevelChangePropagator julLevels = new LevelChangePropagator();
        julLevels.setContext(context);
        julLevels.setResetJUL(true);
        context.addListener(julLevels);

        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(PATTERN);
        encoder.start();
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(context);
        console.setName(CONSOLE);
        console.setEncoder(encoder);
        console.start();

        context.getLogger(Logger.ROOT_LOGGER_NAME).setLevel(Level.INFO);
        context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(console);
        // "No global web.xml found": a node has no conf/web.xml by design
        context.getLogger("org.apache.catalina.startup.ContextConfig").setLevel(Level.WARN);
        context.getLogger("org.apache.jasper.servlet.TldScanner").setLevel(Level.WARN);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }
}
