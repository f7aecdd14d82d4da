package io.herdcat.node;

import java.io.CharArrayWriter;
import org.apache.catalina.valves.AbstractAccessLogValve;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tomcat's access log, written to the {@code herdcat.access} logger instead of a file, so it reaches
 * the console and journald with the node name like every other line.
 */
final class Slf4jAccessLogValve extends AbstractAccessLogValve {
    private static final Logger ACCESS = LoggerFactory.getLogger("herdcat.access");

    Slf4jAccessLogValve() {
        setPattern("%a %u \"%r\" %s %b %Dus");
        setAsyncSupported(true);
    }

    @Override
    protected void log(CharArrayWriter message) {
        ACCESS.info(message.toString());
    }
}
