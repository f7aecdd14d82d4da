package io.herdcat.node;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import org.apache.catalina.Container;
import org.apache.catalina.Context;
import org.apache.catalina.Host;
import org.apache.catalina.LifecycleState;
import org.apache.catalina.startup.HostConfig;
import org.apache.catalina.util.ContextName;

/**
 * Deploys one WAR now, the way Tomcat's manager does it, instead of waiting for the next scan of the
 * webapps folder: the file goes in under the Host's "serviced" lock (so the background scan does not
 * catch it half-copied), by an atomic rename, then {@link HostConfig#check(String)} redeploys that one
 * webapp on the caller's thread. A WAR replaced under the same name keeps its context name, and so its
 * replicated sessions, which the restarted webapp fetches again from the other members.
 */
public final class WebappDeployer {
    private final Host host;
    private final HostConfig hostConfig;
    private final Path webapps;

    WebappDeployer(Host host, HostConfig hostConfig, Path webapps) {
        this.host = host;
        this.hostConfig = hostConfig;
        this.webapps = webapps;
    }

    /** Why a webapp did not end up running. */
    public static final class DeployFailed extends Exception {
        DeployFailed(String message) {
            super(message);
        }
    }

    public Path webappsFolder() {
        return webapps;
    }

    /**
     * Puts {@code war} into the webapps folder as {@code fileName} (replacing a file of that name) and
     * deploys it; returns once the webapp runs.
     *
     * @throws DeployFailed when it does not run within {@code timeout}
     */
    public void install(Path war, String fileName, Duration timeout) throws IOException, DeployFailed,
            InterruptedException {
        String name = new ContextName(fileName, true).getName();
        Container before = host.findChild(name);
        long deadline = System.nanoTime() + timeout.toNanos();
        lock(name, deadline);
        try {
            Path tmp = webapps.resolve("." + fileName + ".installing");
            Files.copy(war, tmp, StandardCopyOption.REPLACE_EXISTING);
            Files.move(tmp, webapps.resolve(fileName), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } finally {
            hostConfig.removeServiced(name);
        }
        hostConfig.check(name);
        awaitRunning(name, before, deadline);
    }

    /** Removes {@code fileName} from the webapps folder and undeploys its webapp; returns once it is gone. */
    public void remove(String fileName, Duration timeout) throws IOException, DeployFailed, InterruptedException {
        String name = new ContextName(fileName, true).getName();
        long deadline = System.nanoTime() + timeout.toNanos();
        lock(name, deadline);
        try {
            Files.deleteIfExists(webapps.resolve(fileName));
        } finally {
            hostConfig.removeServiced(name);
        }
        hostConfig.checkUndeploy();
        hostConfig.check(name);
        while (host.findChild(name) != null) {
            if (System.nanoTime() > deadline) {
                throw new DeployFailed(name + " still deployed after " + timeout.toSeconds() + " s");
            }
            Thread.sleep(50);
        }
    }

    /**
     * Makes the Host match what the webapps folder holds now under {@code fileName}: deploys it when
     * it is new, redeploys it when the file changed, undeploys its webapp when the file is gone; returns
     * once that is so (for a Host that does not scan the folder by itself).
     *
     * @throws DeployFailed when the webapp does not run (or is still deployed) within {@code timeout}
     */
    public void apply(String fileName, Duration timeout) throws DeployFailed, InterruptedException {
        String name = new ContextName(fileName, true).getName();
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean present = Files.exists(webapps.resolve(fileName));
        lock(name, deadline);
        hostConfig.removeServiced(name);
        hostConfig.check(name);
        while (true) {
            Container now = host.findChild(name);
            if (!present && now == null
                    || present && now instanceof Context ctx && ctx.getState() == LifecycleState.STARTED) {
                return;
            }
            if (present && now instanceof Context ctx && ctx.getState().compareTo(LifecycleState.STARTED) > 0) {
                throw new DeployFailed(name + " did not start (" + ctx.getState() + "); see the node's log");
            }
            if (System.nanoTime() > deadline) {
                throw new DeployFailed(name + (present ? " did not start in time" : " still deployed after "
                        + timeout.toSeconds() + " s") + "; see the node's log");
            }
            Thread.sleep(50);
        }
    }

    private void lock(String name, long deadline) throws DeployFailed, InterruptedException {
        while (!hostConfig.tryAddServiced(name)) {
            if (System.nanoTime() > deadline) {
                throw new DeployFailed(name + " is being deployed by someone else");
            }
            Thread.sleep(50);
        }
    }

    private void awaitRunning(String name, Container before, long deadline) throws DeployFailed, InterruptedException {
        while (true) {
            Container now = host.findChild(name);
            if (now instanceof Context ctx && ctx != before) {
                LifecycleState state = ctx.getState();
                if (state == LifecycleState.STARTED) {
                    return;
                }
                if (state.compareTo(LifecycleState.STARTED) > 0) { // stopping, stopped, destroyed or failed
                    throw new DeployFailed(name + " did not start (" + state + "); see the node's log");
                }
            }
            if (System.nanoTime() > deadline) {
                throw new DeployFailed(name + (now == null ? " was not deployed" : " did not start in time")
                        + "; see the node's log");
            }
            Thread.sleep(50);
        }
    }
}
