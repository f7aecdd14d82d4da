package io.herdcat.cli;

import java.io.PrintStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.ParseResult;

/**
 * {@code herdcat upgrade FILE.war} sends a WAR to the admin API's {@code POST /upgrade}, which rolls it
 * through the cluster one node at a time, and follows the roll until it ends; {@code herdcat
 * upgrade-status} shows the current or last one. Target and token are found like the other admin
 * commands'. {@code upgrade} exits 0 only when every node runs the new WAR.
 */
final class UpgradeCommands {
    static final String UPGRADE = "upgrade";
    static final String UPGRADE_STATUS = "upgrade-status";
    static final String ROLLING_RESTART = "rolling-restart";
    /** Exit code of a rolling restart the cluster could not take: no other ready node, or no admin API answered. */
    static final int NO_ROLLING_RESTART = 3;
    private static final String WAR_SUFFIX = ".war";

    private UpgradeCommands() {
    }

    static List<CommandSpec> specs() {
        CommandSpec upgrade = AdminCommands.command(UPGRADE,
                "Rolls FILE.war through the cluster one node at a time (disable, drain, deploy, health check, "
                        + "enable; the HTTP front's node last) and shows the progress until every node runs it.",
                "Exit codes: 0 every node runs the new WAR, 1 the upgrade failed or was rolled back, or the admin API "
                        + "refused it or could not be reached (one line says why), 2 usage mistake.");
        upgrade.addPositional(PositionalParamSpec.builder().index("0").paramLabel("FILE.war").type(String.class)
                .arity("1").required(true).description("The WAR to deploy; its name gives the context path "
                        + "(shop.war is /shop, ROOT.war is /).").build());
        upgrade.addOption(OptionSpec.builder("--health-path").paramLabel("PATH").type(String.class)
                .description("Checked on each node after the deploy, relative to the context path; it must answer "
                        + "2xx or 3xx (default: the context root).").build());
        upgrade.addOption(OptionSpec.builder("--no-wait").description(
                "Return once the upgrade has started; follow it with upgrade-status.").build());
        CommandSpec status = AdminCommands.command(UPGRADE_STATUS,
                "Shows the cluster's current or last upgrade: its state and message, and each node's step.",
                "Exit codes: 0 shown, 1 the admin API could not be reached or refused (one line says why), "
                        + "2 usage mistake.");
        status.addOption(OptionSpec.builder("--json").description("Print the raw /upgrade JSON instead.").build());
        CommandSpec restart = AdminCommands.command(ROLLING_RESTART,
                "Restarts every node one at a time (disable, drain, stop; its supervisor starts it again on the jar "
                        + "installed; enable once ready), the node asked last, and shows the progress. Refused when "
                        + "this jar could not exchange sessions with the running nodes, unless --force.",
                "Exit codes: 0 every node restarted, 1 a node did not come back or the restart was refused (one line "
                        + "says why), 2 usage mistake, 3 nothing restarted because the cluster cannot take a rolling "
                        + "restart now (the admin API did not answer, or answered 503: fewer than two ready nodes, or a "
                        + "node not ready yet); a plain restart is what is left then.");
        restart.addOption(OptionSpec.builder("--force").description("Restart even when the nodes restarted onto this "
                + "jar would not exchange sessions with the others (another Tomcat or replication format).").build());
        restart.addOption(OptionSpec.builder("--nodes").paramLabel("NAME,...").type(String.class).description(
                "Restart only these nodes (those of one host, say), in the cluster's order; the others keep "
                        + "serving.").build());
        restart.addOption(OptionSpec.builder("--no-wait").description(
                "Return once the restart has started; follow it with upgrade-status.").build());
        return List.of(upgrade, status, restart);
    }

    static boolean handles(String name) {
        return UPGRADE.equals(name) || UPGRADE_STATUS.equals(name) || ROLLING_RESTART.equals(name);
    }

    /** The WAR named on the command line, checked before anything is sent. */
    static Path war(ParseResult sub, Path workingDir) {
        String arg = sub.matchedPositional(0).getValue();
        Path file = workingDir.resolve(arg);
        if (!Files.exists(file)) {
            throw new UsageException(arg + " does not exist; give the WAR to deploy");
        }
        if (Files.isDirectory(file)) {
            throw new UsageException(arg + " is a folder; give the WAR file to deploy");
        }
        if (!Files.isReadable(file)) {
            throw new UsageException("cannot read " + arg + " (no permission)");
        }
        if (!file.getFileName().toString().endsWith(WAR_SUFFIX)) {
            throw new UsageException(arg + " is not a .war file; its name gives the context path, like shop.war");
        }
        return file;
    }

    /**
     * Runs {@code upgrade} (with {@code war} from {@link #war}) or {@code upgrade-status}.
     *
     * @param terminal whether {@code out} is a terminal that can redraw a line
     * @throws AdminCallException when the call failed, or the upgrade ended other than with every node done
     */
    static void run(ParseResult sub, Path war, AdminClient client, String where, PrintStream out, boolean terminal)
            throws AdminCallException {
        if (UPGRADE_STATUS.equals(sub.commandSpec().name())) {
            status(client, sub.hasMatchedOption("--json"), out);
            return;
        }
        if (ROLLING_RESTART.equals(sub.commandSpec().name())) {
            String nodes = sub.matchedOptionValue("--nodes", null);
            String query = nodes == null ? "" : "?nodes=" + URLEncoder.encode(nodes, StandardCharsets.UTF_8);
            UpgradeSnapshot started;
            try {
                if (!sub.hasMatchedOption("--force")) {
                    SessionCompatibility.check(client.getObject("/status"));
                }
                started = UpgradeSnapshot.of(client.post("/restart" + query, ""));
            } catch (AdminCallException e) {
                throw e.lostConnection() ? e.exitingWith(NO_ROLLING_RESTART) : e;
            }
            out.println("rolling restart " + started.id() + " started: " + String.join(", ",
                    started.nodes().stream().map(UpgradeSnapshot.Node::name).toList()) + ", coordinator "
                    + started.coordinator());
            follow(sub, started, client, where, out, terminal);
            return;
        }
        String name = war.getFileName().toString();
        String health = sub.matchedOptionValue("--health-path", null);
        String query = "?war=" + URLEncoder.encode(name, StandardCharsets.UTF_8)
                + (health == null ? "" : "&health=" + URLEncoder.encode(health, StandardCharsets.UTF_8));
        out.println("sending " + name + " (" + size(war) + ") to " + where);
        out.flush();
        UpgradeSnapshot started = UpgradeSnapshot.of(client.upload("/upgrade" + query, war));
        out.println("upgrade " + started.id() + " started: " + name + " on " + started.nodes().size() + " nodes ("
                + String.join(", ", started.nodes().stream().map(UpgradeSnapshot.Node::name).toList())
                + "), coordinator " + started.coordinator());
        follow(sub, started, client, where, out, terminal);
    }

    /** Shows the progress until the roll ends (unless --no-wait); fails unless every node is done. */
    private static void follow(ParseResult sub, UpgradeSnapshot started, AdminClient client, String where,
                               PrintStream out, boolean terminal) throws AdminCallException {
        if (sub.hasMatchedOption("--no-wait")) {
            out.println("follow it with: herdcat upgrade-status");
            out.flush();
            return;
        }
        UpgradeSnapshot ended = UpgradeWatch.of(client, where).follow(started, UpgradeProgress.on(out, terminal));
        out.print(UpgradeReport.format(ended));
        out.flush();
        String problem = UpgradeOutcome.problem(ended).orElse(null);
        if (problem != null) {
            throw new AdminCallException(problem);
        }
    }

    private static void status(AdminClient client, boolean json, PrintStream out) throws AdminCallException {
        String body = client.get("/upgrade");
        if (json) {
            out.print(body.endsWith("\n") ? body : body + "\n");
        } else {
            try {
                out.print(UpgradeReport.format(UpgradeSnapshot.of(JsonReader.object(body))));
            } catch (IllegalArgumentException e) {
                throw new AdminCallException("the answer of /upgrade is not the admin API's JSON (" + e.getMessage()
                        + ")");
            }
        }
        out.flush();
    }

    private static String size(Path file) {
        try {
            long bytes = Files.size(file);
            if (bytes < 1024) {
                return bytes + " bytes";
            }
            return bytes < 1024 * 1024 ? String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0)
                    : String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024.0));
        } catch (java.io.IOException e) {
            throw new UsageException("cannot read " + file + " (" + e.getClass().getSimpleName() + ")");
        }
    }
}
