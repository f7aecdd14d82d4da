package io.herdcat.launcher;

import io.herdcat.config.Setting;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code herdcat train-cds}: starts a node on free loopback ports, in a cluster of its own, with a small
 * JSP webapp, serves a few requests and stops. Run under {@code -XX:ArchiveClassesAtExit=herdcat.jsa}, it leaves a
 * class-data-sharing archive; nodes started with {@code -XX:SharedArchiveFile=herdcat.jsa} then load
 * their classes from it and start about a quarter faster. Make it again after changing the jar or the JDK.
 * Every training request must succeed: an answer other than 2xx fails the command (exit 1).
 */
final class CdsTrainer {
    private final Path workingDir;

    CdsTrainer(Path workingDir) {
        this.workingDir = workingDir;
    }

    int run() throws IOException {
        Path dir = Files.createTempDirectory("herdcat-cds");
        try {
            Path app = Files.createDirectories(dir.resolve("webapps").resolve("train").resolve("WEB-INF"));
            Files.writeString(app.resolve("web.xml"), "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                    + "<web-app xmlns=\"https://jakarta.ee/xml/ns/jakartaee\" version=\"6.0\"><distributable/></web-app>\n");
            Files.writeString(app.getParent().resolve("index.jsp"),
                    "<%@ page contentType=\"text/plain\" %>session <%= session.getId() %>\n");
            Map<Setting, String> flags = new EnumMap<>(Setting.class);
            flags.put(Setting.NAME, "cds");
            flags.put(Setting.WEBAPPS, dir.resolve("webapps").toString());
            flags.put(Setting.WORK_DIR, dir.resolve("work").toString());
            for (Setting address : new Setting[] {Setting.HTTP_ADDRESS, Setting.AJP_ADDRESS, Setting.ADMIN_ADDRESS}) {
                flags.put(address, "127.0.0.1");
            }
            for (Setting port : new Setting[] {Setting.HTTP_PORT, Setting.AJP_PORT, Setting.ADMIN_PORT}) {
                flags.put(port, "0");
            }
            // a cluster of its own, on loopback: it runs where nodes run (the installer trains on their host),
            // and must neither join them nor take the front's address or port
            flags.put(Setting.CLUSTER_ADDRESS, "127.0.0.1");
            flags.put(Setting.DISCOVERY_DIR, Files.createDirectories(dir.resolve("discovery")).toString());
            flags.put(Setting.JGROUPS_PORT, "0");
            flags.put(Setting.TRIBES_PORT, "0");
            flags.put(Setting.FRONT_ADDRESS, "127.0.0.1");
            flags.put(Setting.FRONT_PORT, "0");
            // a secret of its own too: no host secret is made in the home folder of whoever trains
            Path secret = dir.resolve("cluster.secret");
            Files.writeString(secret, java.util.UUID.randomUUID().toString());
            flags.put(Setting.SECRET_FILE, secret.toString());
            flags.put(Setting.SHUTDOWN_TIMEOUT, "5s");
            // a training run on loopback ports that stops by itself: it may run as root, as in an image build
            flags.put(Setting.ALLOW_ROOT, "true");
            NodeLauncher.RunningNode running = new NodeLauncher(flags, Map.of(), workingDir).start();
            if (running == null) {
                return Main.FAILED;
            }
            try {
                for (int i = 0; i < 20; i++) {
                    get("http://127.0.0.1:" + running.node().httpPort() + "/train/");
                    get("http://127.0.0.1:" + running.admin().port() + "/status");
                }
            } catch (IOException e) {
                // an archive trained on error pages lacks the classes real requests load
                System.err.println("herdcat: train-cds: " + e.getMessage());
                return Main.FAILED;
            } finally {
                running.stop();
            }
            return Main.OK;
        } finally {
            deleteTree(dir);
        }
    }

    /** GETs {@code url} and reads the whole answer; anything but a 2xx is an error. */
    private static void get(String url) throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
        try {
            int status = c.getResponseCode();
            if (status < 200 || status > 299) {
                throw new IOException("GET " + url + " answered " + status + ", not 2xx");
            }
            try (InputStream in = c.getInputStream()) {
                in.readAllBytes();
            }
        } finally {
            c.disconnect();
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
