package io.herdcat.testing;

import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Copied into test WARs by {@link TestWars#dropSlowToStart}: holds the webapp's start until the
 * file named by the context parameter {@code herdcat.test.release} exists, after creating that name
 * plus {@code .waiting}, so a test knows for sure that a deployment is under way and can let it finish.
 */
public final class AwaitFileListener implements ServletContextListener {
    static final String RELEASE_PARAM = "herdcat.test.release";

    @Override
    public void contextInitialized(ServletContextEvent event) {
        Path release = Path.of(event.getServletContext().getInitParameter(RELEASE_PARAM));
        try {
            Files.writeString(Path.of(release + ".waiting"), "deploying\n");
            while (!Files.exists(release)) {
                Thread.sleep(20);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + release, e);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
