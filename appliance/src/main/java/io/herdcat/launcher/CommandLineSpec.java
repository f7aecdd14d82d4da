package io.herdcat.launcher;

import io.herdcat.cli.AdminCommands;
import io.herdcat.config.Setting;
import io.herdcat.importer.ImportCommand;
import io.herdcat.node.Versions;
import java.util.EnumMap;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * The command line: {@code herdcat [SETTINGS]} runs a node, {@code herdcat demo [SETTINGS]} the demo,
 * and {@code herdcat status}, {@code enable}, {@code disable}, {@code stop}, {@code weight},
 * {@code reset-counters} talk to a running node's admin API.
 */
final class CommandLineSpec {
    static final String DEMO = "demo";
    static final String TRAIN_CDS = "train-cds";

    private CommandLineSpec() {
    }

    static CommandLine build() {
        CommandSpec root = CommandSpec.create()
                .name("herdcat")
                .versionProvider(Versions::lines) // asked only by --version: reading them loads Tomcat's and JGroups' classes
                .mixinStandardHelpOptions(true);
        root.usageMessage()
                .description("Runs one Herdcat node: an embedded Tomcat serving the webapps folder, "
                        + "with an AJP connector for the cluster's front and an admin API.",
                        "Every setting is also a key in herdcat.properties and a HERDCAT_* environment variable; "
                                + "precedence: file < environment < flag.")
                .footer("", "Exit codes: 0 stopped normally, 1 runtime failure, 2 bad configuration or usage.");
        addSettings(root);

        CommandSpec demo = CommandSpec.create().name(DEMO).mixinStandardHelpOptions(true);
        demo.usageMessage().description(
                "Starts two nodes on this host (port offsets N and N+1, names node1 and node2) serving the "
                        + "webapps folder, streams their logs, and stops both on Ctrl-C. "
                        + "Other settings are passed to both nodes.");
        addSettings(demo);
        root.addSubcommand(DEMO, demo);

        CommandSpec cds = CommandSpec.create().name(TRAIN_CDS).mixinStandardHelpOptions(true);
        cds.usageMessage().description(
                "Starts a node on free loopback ports with a small JSP webapp, serves a few requests and stops.",
                "Run it once per jar and JDK as  java -XX:ArchiveClassesAtExit=herdcat.jsa -jar herdcat.jar train-cds",
                "then start nodes with  -XX:SharedArchiveFile=herdcat.jsa  to cut their start-up time by about a quarter.");
        root.addSubcommand(TRAIN_CDS, cds);
        root.addSubcommand(ImportCommand.NAME, ImportCommand.spec());
        for (CommandSpec admin : AdminCommands.specs()) {
            root.addSubcommand(admin.name(), admin);
        }
        // a flag given twice: the last one wins, as in most Unix tools
        return new CommandLine(root).setOverwrittenOptionsAllowed(true);
    }

    /**
     * Parses the command line. A node's start (settings only, the common case and the one whose time
     * counts) is parsed with a model of the settings alone: the whole model — every sub-command with
     * its standard help options, which picocli reads from annotations by reflection — costs a start
     * more than the parse. Anything that model does not take (a sub-command, help, a mistake) is parsed
     * with the whole model, which gives the answer as before.
     */
    static ParseResult parse(String[] args) {
        CommandSpec node = CommandSpec.create().name("herdcat");
        addSettings(node);
        try {
            return new CommandLine(node).setOverwrittenOptionsAllowed(true).parseArgs(args);
        } catch (CommandLine.ParameterException notANodeStart) {
            return build().parseArgs(args);
        }
    }

    private static void addSettings(CommandSpec spec) {
        for (Setting s : Setting.values()) {
            String where = " (" + s.key() + ", " + s.envVar()
                    + (s.defaultValue() == null ? "" : "; default " + s.defaultValue()) + ")";
            spec.addOption(OptionSpec.builder(s.flag())
                    .paramLabel(s.label())
                    .type(String.class)
                    .hidden(s.hidden())
                    .description(s.description() + where)
                    .build());
        }
    }

    /** The settings given as flags in this (sub)command's parse result. */
    static Map<Setting, String> flags(ParseResult result) {
        Map<Setting, String> flags = new EnumMap<>(Setting.class);
        for (Setting s : Setting.values()) {
            if (result.hasMatchedOption(s.flag())) {
                flags.put(s, result.matchedOptionValue(s.flag(), ""));
            }
        }
        return flags;
    }
}
