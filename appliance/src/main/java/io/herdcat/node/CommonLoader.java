package io.herdcat.node;

import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.sql.Driver;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * The class loader of {@code lib.dir}, Tomcat's common loader: a {@link URLClassLoader} over the folder's
 * jars whose parent is the loader of Herdcat itself (so Tomcat, its pool and the servlet API stay the ones
 * of the node). It is the parent of every webapp's loader (set on the Server), so a JDBC driver in the
 * folder is seen by each webapp's classes and by Tomcat's pool, and it is the thread context loader while
 * Tomcat starts, so global resources created then (a pool with {@code initialSize}) find their driver too.
 * The JDBC drivers among the jars are registered with {@link java.sql.DriverManager} at start, as
 * Tomcat's lib/ drivers are, so webapp code that calls {@code DriverManager.getConnection} finds them.
 * Without jars it is Herdcat's own loader.
 */
final class CommonLoader implements AutoCloseable {
    private final ClassLoader loader;

    CommonLoader(List<Path> jars) {
        ClassLoader own = CommonLoader.class.getClassLoader();
        if (jars.isEmpty()) {
            loader = own;
            return;
        }
        URL[] urls = new URL[jars.size()];
        for (int i = 0; i < urls.length; i++) {
            try {
                urls[i] = jars.get(i).toUri().toURL();
            } catch (MalformedURLException e) {
                throw new IllegalArgumentException("not a jar path: " + jars.get(i), e);
            }
        }
        loader = new URLClassLoader("herdcat-lib", urls, own);
    }

    /**
     * Loads the JDBC drivers the jars declare (META-INF/services/java.sql.Driver); a driver's class
     * registers itself with DriverManager when it is loaded. Returns their class names.
     */
    List<String> registerDrivers() {
        List<String> names = new ArrayList<>();
        if (!(loader instanceof URLClassLoader)) {
            return names;
        }
        var drivers = ServiceLoader.load(Driver.class, loader).stream().iterator();
        while (drivers.hasNext()) {
            try {
                var provider = drivers.next();
                if (provider.type().getClassLoader() == loader) {
                    provider.get();
                    names.add(provider.type().getName());
                }
            } catch (ServiceConfigurationError e) {
                names.add("(broken: " + e.getMessage() + ")");
            }
        }
        return names;
    }

    ClassLoader loader() {
        return loader;
    }

    /** Runs {@code action} with this loader as the thread context loader, as Tomcat's Bootstrap does. */
    <E extends Exception> void run(Action<E> action) throws E {
        Thread t = Thread.currentThread();
        ClassLoader before = t.getContextClassLoader();
        t.setContextClassLoader(loader);
        try {
            action.run();
        } finally {
            t.setContextClassLoader(before);
        }
    }

    /** Something that runs under the loader. */
    interface Action<E extends Exception> {
        void run() throws E;
    }

    @Override
    public void close() throws IOException {
        if (loader instanceof URLClassLoader urls) {
            urls.close();
        }
    }
}
