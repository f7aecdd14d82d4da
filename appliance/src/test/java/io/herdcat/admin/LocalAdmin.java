package io.herdcat.admin;

import io.herdcat.config.ConfigSources;
import io.herdcat.config.NodeConfig;
import io.herdcat.config.Setting;
import io.herdcat.node.NodeState;
import io.herdcat.node.NodeStatus;
import io.herdcat.node.RequestCounts;
import io.herdcat.upgrade.Upgrades;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** An admin server started in the test's own JVM (no Tomcat, no cluster), for tests of its endpoints and page. */
final class LocalAdmin {
    static final String TOKEN = "upgrade-test-token-0123456789abcdef";

    private LocalAdmin() {
    }

    /**
     * Starts the admin server of a node "t" with its work folder under {@code dir}, {@code upgrade.max.war}
     * at {@code maxWar} and the token {@link #TOKEN}; {@code upgrades} may be null.
     */
    static AdminServer start(Path dir, String maxWar, Upgrades upgrades) throws IOException {
        Files.createDirectories(dir.resolve("webapps"));
        Files.writeString(dir.resolve("admin.token"), TOKEN);
        Map<Setting, String> flags = new EnumMap<>(Setting.class);
        flags.put(Setting.NAME, "t");
        flags.put(Setting.WEBAPPS, "webapps");
        flags.put(Setting.WORK_DIR, "work");
        flags.put(Setting.ADMIN_PORT, "0");
        flags.put(Setting.ADMIN_TOKEN_FILE, "admin.token");
        flags.put(Setting.UPGRADE_MAX_WAR, maxWar);
        NodeConfig config = NodeConfig.from(ConfigSources.gather(flags, Map.of(), dir), "test-host", dir);
        AdminServer admin = new AdminServer(config, () -> new NodeStatus("t", NodeState.STARTED, Instant.now(), "11",
                0, 0, List.of(), new RequestCounts(0, 0, 0, 0)), null);
        if (upgrades != null) {
            admin.upgrades(upgrades);
        }
        admin.start();
        return admin;
    }

    /** Where the server started in {@code dir} stores uploads. */
    static Path uploads(Path dir) {
        return dir.resolve("work").resolve(UpgradeUploads.FOLDER);
    }
}
