package io.herdcat.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.ParseResult;

/**
 * The sub-commands that talk to a running node's admin API: {@code status}, {@code enable},
 * {@code disable}, {@code stop}, {@code weight}, {@code reset-counters}, and {@code upgrade} and
 * {@code upgrade-status} ({@link UpgradeCommands}). They never start a node
 * and never read the node's other settings, so they work beside any environment. Exit codes: 0 done,
 * 1 the call failed (one line on standard error says why), 2 a usage mistake.
 */
public final class AdminCommands {
    static final String STATUS = "status";
    static final String WEIGHT = "weight";
    static final String RESET_COUNTERS = "reset-counters";
    /** Activation sub-commands and the activation each one sets. */
    private static final Map<String, String> ACTIVATIONS = Map.of("enable", "active", "disable", "disabled",
            "stop", "stopped");
    private static final Pattern NODE_NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final int OK = 0;
    private static final int FAILED = 1;
    private static final int USAGE = 2;

    private AdminCommands() {
    }

    /** The sub-command declarations, for the root command line. */
    public static List<CommandSpec> specs() {
        CommandSpec status = command(STATUS, "Shows the cluster's nodes as the admin API's GET /status sees them: "
                + "state, activation, weight, traffic, sessions, uptime, version and which node runs the HTTP front.");
        status.addOption(OptionSpec.builder("--json").description("Print the raw /status JSON instead of the table.")
                .build());
        CommandSpec enable = nodeCommand("enable", "Sets NODE's activation to active: it gets new sessions again.");
        CommandSpec disable = nodeCommand("disable",
                "Sets NODE's activation to disabled: only requests of its existing sessions (drain before maintenance).");
        CommandSpec stop = nodeCommand("stop",
                "Sets NODE's activation to stopped: the front sends it nothing (the process keeps running).");
        CommandSpec weight = nodeCommand(WEIGHT, "Sets NODE's weight, its share of new sessions (1-100).");
        weight.addPositional(PositionalParamSpec.builder().index("1").paramLabel("N").type(String.class)
                .arity("1").required(true).description("The new weight, 1-100.").build());
        CommandSpec reset = command(RESET_COUNTERS,
                "Zeroes the HTTP front's per-node counters (requests, errors, bytes).");
        List<CommandSpec> all = new ArrayList<>(List.of(status, enable, disable, stop, weight, reset));
        all.addAll(UpgradeCommands.specs());
        return all;
    }

    /** True for the names of these sub-commands. */
    public static boolean handles(String name) {
        return STATUS.equals(name) || WEIGHT.equals(name) || RESET_COUNTERS.equals(name)
                || ACTIVATIONS.containsKey(name) || UpgradeCommands.handles(name);
    }

    /**
     * Runs the parsed sub-command and returns the exit code.
     *
     * @param env        the process environment, for {@code HERDCAT_ADMIN_TOKEN_FILE}
     * @param workingDir folder that relative paths are resolved against
     */
    public static int run(ParseResult sub, PrintStream out, PrintStream err, Map<String, String> env, Path workingDir) {
        String name = sub.commandSpec().name();
        List<String> args = sub.matchedPositionals().stream().map(p -> (String) p.getValue()).toList();
        String what = String.join(" ", name, String.join(" ", args)).strip();
        try {
            Path war = UpgradeCommands.UPGRADE.equals(name) ? UpgradeCommands.war(sub, workingDir) : null;
            AdminTarget target = AdminTarget.resolve(sub.matchedOptionValue("--admin", null),
                    sub.matchedOptionValue("--token-file", null), sub.matchedOptionValue("--config", null),
                    env, workingDir);
            AdminClient client = new AdminClient(target);
            if (UpgradeCommands.handles(name)) {
                UpgradeCommands.run(sub, war, client, target.base().toString(), out, UpgradeProgress.terminal(env));
                return OK;
            }
            out.print(switch (name) {
                case STATUS -> status(client, sub.hasMatchedOption("--json"));
                case WEIGHT -> weight(client, node(args.get(0)), args.get(1));
                case RESET_COUNTERS -> "counters of the HTTP front on node "
                        + StatusTable.text(client.post("/counters/reset", "").get("reset")) + " reset\n";
                default -> activation(client, node(args.get(0)), ACTIVATIONS.get(name));
            });
            out.flush();
            return OK;
        } catch (UsageException e) {
            err.println("herdcat: " + what + ": " + e.getMessage());
            return USAGE;
        } catch (AdminCallException e) {
            err.println("herdcat: " + what + ": " + e.getMessage());
            return e.exitCode();
        }
    }

    private static String status(AdminClient client, boolean json) throws AdminCallException {
        String body = client.get("/status");
        if (json) {
            return body.endsWith("\n") ? body : body + "\n";
        }
        try {
            return StatusTable.format(JsonReader.object(body));
        } catch (IllegalArgumentException e) {
            throw new AdminCallException("the answer of /status is not the admin API's JSON (" + e.getMessage() + ")");
        }
    }

    private static String activation(AdminClient client, String node, String activation) throws AdminCallException {
        Map<String, Object> answer = client.post("/nodes/" + node + "/activation", activation);
        return "node " + StatusTable.text(answer.getOrDefault("node", node)) + ": activation "
                + StatusTable.text(answer.getOrDefault("activation", activation)) + "\n";
    }

    private static String weight(AdminClient client, String node, String text) throws AdminCallException {
        int weight;
        try {
            weight = Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            weight = -1;
        }
        if (weight < 1 || weight > 100) {
            throw new UsageException("N must be a whole number from 1 to 100, not '" + text + "'");
        }
        Map<String, Object> answer = client.post("/nodes/" + node + "/weight", Integer.toString(weight));
        return "node " + StatusTable.text(answer.getOrDefault("node", node)) + ": weight "
                + StatusTable.text(answer.getOrDefault("weight", weight)) + "\n";
    }

    private static String node(String name) {
        if (!NODE_NAME.matcher(name).matches()) {
            throw new UsageException("'" + name + "' is not a node name (1-64 letters, digits, - and _)");
        }
        return name;
    }

    private static CommandSpec nodeCommand(String name, String description) {
        CommandSpec spec = command(name, description);
        spec.addPositional(PositionalParamSpec.builder().index("0").paramLabel("NODE").type(String.class)
                .arity("1").required(true).description("The node's name (its jvmRoute).").build());
        return spec;
    }

    private static CommandSpec command(String name, String description) {
        return command(name, description, "Exit codes: 0 done, 1 the admin API could not be reached or refused "
                + "(one line says why), 2 usage mistake.");
    }

    /** A sub-command with the options that pick the admin API and its token. */
    static CommandSpec command(String name, String description, String exitCodes) {
        CommandSpec spec = CommandSpec.create().name(name).mixinStandardHelpOptions(true);
        spec.usageMessage().description(description).footer("", exitCodes);
        spec.addOption(OptionSpec.builder("--admin").paramLabel("URL").type(String.class)
                .description("The node's admin API (default: from --config, else " + AdminTarget.DEFAULT_URL + ").")
                .build());
        spec.addOption(OptionSpec.builder("--config").paramLabel("FILE").type(String.class)
                .description("The node's herdcat.properties: the admin URL and token file are taken from it.")
                .build());
        spec.addOption(OptionSpec.builder("--token-file").paramLabel("FILE").type(String.class)
                .description("File holding the admin token (default: admin.token.file of --config, else "
                        + "HERDCAT_ADMIN_TOKEN_FILE). Writes need it; reads from the node's own host do not.")
                .build());
        return spec;
    }
}
