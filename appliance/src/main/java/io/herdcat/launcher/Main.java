package io.herdcat.launcher;

import io.herdcat.cli.AdminCommands;
import io.herdcat.config.ConfigException;
import io.herdcat.config.Setting;
import io.herdcat.importer.ImportCommand;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * {@code java -jar herdcat.jar [SETTINGS]} runs a node; {@code java -jar herdcat.jar demo} runs the
 * two-node demo; {@code java -jar herdcat.jar status} and its siblings call a running node's admin API.
 * A configuration mistake prints one line naming the setting and exits with 2.
 */
public final class Main {
    static final int OK = 0;
    static final int FAILED = 1;
    static final int BAD_CONFIG = 2;
    /** A node stopped by a rolling restart: its supervisor (systemd's Restart=on-failure, the demo) starts it again. */
    static final int RESTART = 75;

    private Main() {
    }

    public static void main(String[] args) {
        int code = FAILED;
        try {
            code = run(args);
        } catch (Throwable t) {
            // whatever went wrong, the process must end: a half-stopped node holding its ports helps no one
            t.printStackTrace();
        } finally {
            System.exit(code);
        }
    }

    static int run(String[] args) {
        PrintStream err = System.err;
        Path workingDir = Path.of("").toAbsolutePath();
        try {
            Optional<Map<Setting, String>> nodeStart = NodeArguments.settingsOnly(args);
            if (nodeStart.isPresent()) {
                return new NodeLauncher(nodeStart.get(), System.getenv(), workingDir).run();
            }
            ParseResult parsed = CommandLineSpec.parse(args);
            if (CommandLine.printHelpIfRequested(parsed)) {
                return OK;
            }
            ParseResult sub = parsed.subcommand();
            if (sub != null && CommandLineSpec.DEMO.equals(sub.commandSpec().name())) {
                return new DemoLauncher(CommandLineSpec.flags(sub), workingDir).run();
            }
            if (sub != null && CommandLineSpec.TRAIN_CDS.equals(sub.commandSpec().name())) {
                return new CdsTrainer(workingDir).run();
            }
            if (sub != null && ImportCommand.NAME.equals(sub.commandSpec().name())) {
                return ImportCommand.run(sub, System.out, err, workingDir);
            }
            if (sub != null && AdminCommands.handles(sub.commandSpec().name())) {
                return AdminCommands.run(sub, System.out, err, System.getenv(), workingDir);
            }
            return new NodeLauncher(CommandLineSpec.flags(parsed), System.getenv(), workingDir).run();
        } catch (ParameterException e) {
            err.println("herdcat: " + e.getMessage() + " (see " + e.getCommandLine().getCommandSpec().qualifiedName()
                    + " --help)");
            return BAD_CONFIG;
        } catch (ConfigException e) {
            err.println("herdcat: " + e.getMessage());
            return BAD_CONFIG;
        } catch (IOException e) {
            err.println("herdcat: " + e);
            return FAILED;
        }
    }
}
