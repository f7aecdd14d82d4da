package io.herdcat.launcher;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import io.herdcat.config.Observability;
import io.herdcat.config.Observability.LogFormat;
import org.slf4j.ILoggerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a node's logging settings once its configuration is read: the node name in every event, the
 * levels of {@code log.level}, and with {@code log.format=json} Logback's {@link JsonEncoder} on the
 * console (one JSON object per line). A Logback file of the user's own
 * ({@code -Dlogback.configurationFile}) keeps its format; the levels still apply.
 */
final class LogSetup {
    private LogSetup() {
    }

    static void apply(String nodeName, Observability settings) {
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (!(factory instanceof LoggerContext context)) {
            return;
        }
        context.putProperty("herdcat.node", nodeName);
        context.getLogger(Logger.ROOT_LOGGER_NAME).setLevel(Level.toLevel(settings.logLevels().root()));
        settings.logLevels().loggers().forEach((name, level) -> context.getLogger(name).setLevel(Level.toLevel(level)));
        if (settings.logFormat() == LogFormat.JSON && System.getProperty("logback.configurationFile") == null
                && context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender(ConsoleLogConfigurator.CONSOLE)
                        instanceof OutputStreamAppender<ILoggingEvent> console) {
            console.setEncoder(json(context));
        }
    }

    private static Encoder<ILoggingEvent> json(LoggerContext context) {
        JsonEncoder encoder = new JsonEncoder();
        encoder.setContext(context);
        encoder.setWithSequenceNumber(false);
        encoder.setWithNanoseconds(false);
        encoder.setWithMessage(false);
        encoder.setWithArguments(false);
        encoder.setWithFormattedMessage(true);
        encoder.start();
        return encoder;
    }
}
