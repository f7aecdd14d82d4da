package io.herdcat.launcher;

import io.herdcat.cli.AdminCommands;
import io.herdcat.config.Setting;
import io.herdcat.importer.ImportCommand;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A node's start read without picocli, whose classes (compiled for Java 5) neither the class-data archive
 * nor the AOT cache can hold and which, loaded and set up at every start, cost a node about a tenth of
 * it. Only the plain case is read here: every argument a known setting as {@code --flag value} or
 * {@code --flag=value}, the last of a flag given twice winning, as with picocli. Anything else — a
 * sub-command, help, an unknown flag, a missing value, a value that starts with {@code -} or is a
 * sub-command's name, an {@code @file} — is left to the whole command line ({@link CommandLineSpec}), which answers it as before.
 */
final class NodeArguments {
    private static final Map<String, Setting> BY_FLAG = new HashMap<>();

    static {
        for (Setting s : Setting.values()) {
            BY_FLAG.put(s.flag(), s);
        }
    }

    private NodeArguments() {
    }

    /** The settings of a plain node start, or empty when the arguments are anything more. */
    static Optional<Map<Setting, String>> settingsOnly(String[] args) {
        Map<Setting, String> flags = new EnumMap<>(Setting.class);
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            int equals = arg.indexOf('=');
            String flag = equals < 0 ? arg : arg.substring(0, equals);
            Setting setting = BY_FLAG.get(flag);
            if (setting == null) {
                return Optional.empty();
            }
            String value;
            if (equals >= 0) {
                value = arg.substring(equals + 1);
            } else if (i + 1 < args.length && !args[i + 1].startsWith("-") && !args[i + 1].startsWith("@")
                    && !isSubcommand(args[i + 1])) {
                value = args[++i];
            } else {
                return Optional.empty();
            }
            flags.put(setting, value);
        }
        return Optional.of(flags);
    }

    /** picocli reads a sub-command's name after a flag as the sub-command, not as the flag's value. */
    private static boolean isSubcommand(String word) {
        return CommandLineSpec.DEMO.equals(word) || CommandLineSpec.TRAIN_CDS.equals(word)
                || ImportCommand.NAME.equals(word) || AdminCommands.handles(word);
    }
}
