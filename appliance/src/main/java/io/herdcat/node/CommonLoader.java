package io.herdcat.node;

import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.List;

/**
 * The class loader of {@code lib.dir}, Tomcat's common loader: a {@link URLClassLoader} over the folder's
 * jars whose parent is the loader of Herdcat itself (so Tomcat, its pool and the servlet API stay the ones
 * of the node). It is the parent of every webapp's loader (set on the Server), so a JDBC driver in the
 * folder is seen by each webapp's classes and by Tomcat's pool, and it is the thread context loader while
 * Tomcat starts, so global resources created then (a pool with {@code initialSize}) find their driver too.
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
