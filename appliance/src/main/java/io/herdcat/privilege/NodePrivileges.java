package io.herdcat.privilege;

import io.herdcat.config.ConfigException;
import io.herdcat.config.DispatcherMode;
import io.herdcat.config.NodeConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who a node runs as. Started as root with {@code user}, it binds its fixed ports as root, then
 * {@link #drop()}s to that user for good; the {@link PrivilegedExecutor} keeps only what opening the
 * front needs. Started as root without {@code user}, it refuses unless {@code allow.root=true}. Not
 * started as root, nothing changes. The work folder, created here when it does not exist yet, belongs
 * to the user, so what the node writes later does too.
 */
public final class NodePrivileges implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NodePrivileges.class);
    private static final int ROOT = 0;
    private final NodeConfig config;
    private final UserAccount user;
    private final PrivilegeDrop.Keep keep;
    private final PrivilegedExecutor executor = new PrivilegedExecutor();

    private NodePrivileges(NodeConfig config, UserAccount user, PrivilegeDrop.Keep keep) {
        this.config = config;
        this.user = user;
        this.keep = keep;
    }

    /**
     * Checks who the node runs as and who it will be, and prepares the work folder for that user.
     *
     * @throws ConfigException root without {@code user} (and not {@code allow.root}), an unknown or
     *                         privileged user, or a user other than the current one while not root
     */
    public static NodePrivileges forNode(NodeConfig config) {
        boolean root = isRoot();
        requireUserOrAllowed(config, root);
        if (config.user() == null) {
            return new NodePrivileges(config, null, PrivilegeDrop.Keep.nothing());
        }
        UserAccount user = UserAccount.lookup(config.user());
        if (!root) {
            if (user.uid() != uid()) {
                throw new ConfigException("user: this node runs as " + System.getProperty("user.name")
                        + ", not root, so it cannot become " + user.name() + "; start it as root or as "
                        + user.name());
            }
            return new NodePrivileges(config, null, PrivilegeDrop.Keep.nothing());
        }
        prepareWorkDir(config.workDir(), user);
        return new NodePrivileges(config, user, keepFor(config));
    }

    /** As root: refuses without {@code user} unless {@code allow.root}. The demo checks the same. */
    public static void requireUserOrAllowed(NodeConfig config, boolean root) {
        if (root && config.user() == null && !config.allowRoot()) {
            throw new ConfigException("user: not set, and this node was started as root; set user (e.g. --user "
                    + "herdcat) so it drops root once its ports are bound, or allow.root=true to run as root");
        }
    }

    /** True when this process runs as root. */
    public static boolean isRoot() {
        return uid() == ROOT;
    }

    /** This process's uid, known without loading native code (nodes that do not drop never need it). */
    private static long uid() {
        return new com.sun.security.auth.module.UnixSystem().getUid();
    }

    /**
     * What the privileged thread keeps: the right to bind the front's port when it is below 1024; with
     * {@code front.vip}, the rights to add, remove and announce that address, as ambient capabilities
     * so that the {@code ip} and {@code arping} commands it starts have them too.
     */
    static PrivilegeDrop.Keep keepFor(NodeConfig config) {
        if (config.dispatcher() == DispatcherMode.NEVER) {
            return PrivilegeDrop.Keep.nothing();
        }
        int port = config.front().port();
        Set<Capability> caps = EnumSet.noneOf(Capability.class);
        Set<Capability> ambient = EnumSet.noneOf(Capability.class);
        if (port > 0 && port < 1024) {
            caps.add(Capability.NET_BIND_SERVICE);
        }
        if (config.frontMove().vip() != null) {
            ambient.add(Capability.NET_ADMIN);
            ambient.add(Capability.NET_RAW);
            caps.addAll(ambient);
        }
        return new PrivilegeDrop.Keep(caps, ambient);
    }

    /** True when {@link #drop()} will switch user: the node may not join its cluster before. */
    public boolean drops() {
        return user != null;
    }

    /**
     * Switches to the user, once every privileged socket is bound and before anything is served; no-op
     * when there is no drop.
     *
     * @throws ConfigException       when the work folder is not writable by the user
     * @throws IllegalStateException when the drop fails or a thread keeps root's ids or capabilities
     */
    public void drop() {
        if (user == null) {
            if (isRoot()) {
                LOG.warn("Node {} runs as root (allow.root=true): every webapp runs with root's rights", config.name());
            }
            return;
        }
        PrivilegeDrop.run(user, keep, executor);
        LOG.info("Node {} dropped root: runs as {} (uid {}, gid {}); {}", config.name(), user.name(), user.uid(),
                user.gid(), keep.capabilities().isEmpty() ? "no capability kept"
                        : "one thread keeps " + keep.capabilities() + " to open the front"
                        + (keep.ambient().isEmpty() ? "" : " and move its address"));
        Path work = config.workDir();
        if (!Files.isDirectory(work) || !Files.isWritable(work)) {
            throw new ConfigException("work.dir: " + work + " is not writable by user " + user.name() + "; chown it "
                    + "to " + user.name() + " or choose another work.dir");
        }
    }

    /** The thread that keeps the capabilities: for the commands that need them (and nothing that starts threads). */
    public PrivilegedExecutor executor() {
        return executor;
    }

    /** Opens the front's listening socket on the privileged thread. */
    public ListenSockets listenSockets() {
        return new ListenSockets(executor);
    }

    @Override
    public void close() {
        executor.close();
    }

    /** Creates the work folder (and missing parents) owned by the user; an existing one is left as it is. */
    private static void prepareWorkDir(Path workDir, UserAccount user) {
        List<Path> created = new ArrayList<>();
        for (Path p = workDir.toAbsolutePath(); p != null && !Files.exists(p, LinkOption.NOFOLLOW_LINKS); p = p.getParent()) {
            created.add(0, p);
        }
        try {
            for (Path p : created) {
                try {
                    Files.createDirectory(p);
                } catch (FileAlreadyExistsException e) {
                    continue; // another node on this host created it meanwhile, for the same user
                }
                Files.setAttribute(p, "unix:uid", user.uid(), LinkOption.NOFOLLOW_LINKS);
                Files.setAttribute(p, "unix:gid", user.gid(), LinkOption.NOFOLLOW_LINKS);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create work.dir " + workDir + " for user " + user.name(), e);
        }
    }
}
