package io.herdcat.node;

import org.apache.catalina.Context;
import org.apache.catalina.Lifecycle;
import org.apache.catalina.LifecycleEvent;
import org.apache.catalina.startup.Constants;
import org.apache.catalina.startup.ContextConfig;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.scan.StandardJarScanner;

/**
 * Configures each webapp the Host deploys from the webapps folder. A stock Tomcat reads the
 * defaults (default servlet, JSP servlet, MIME types, welcome files) from {@code conf/web.xml};
 * a node has no conf folder, so they are added in code, the way embedded Tomcat does for
 * {@code Tomcat.addWebapp}. The class path of the node itself is not scanned for TLDs and web
 * fragments: it holds Tomcat, not webapp libraries, and scanning it costs start-up time.
 */
public class NodeContextConfig extends ContextConfig {

    public NodeContextConfig() {
        setDefaultWebXml(Constants.NoDefaultWebXml);
    }

    @Override
    public void lifecycleEvent(LifecycleEvent event) {
        if (Lifecycle.BEFORE_START_EVENT.equals(event.getType())) {
            Context ctx = (Context) event.getLifecycle();
            Tomcat.initWebappDefaults(ctx);
            if (ctx.getJarScanner() instanceof StandardJarScanner scanner) {
                scanner.setScanClassPath(false);
                scanner.setScanManifest(false);
            }
        }
        super.lifecycleEvent(event);
    }
}
