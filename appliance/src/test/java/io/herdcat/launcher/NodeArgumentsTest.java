package io.herdcat.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.herdcat.config.Setting;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A node's plain start read without picocli gives what the whole command line gives; the rest is left to it. */
class NodeArgumentsTest {

    @Test
    void plainNodeStartsReadAsTheWholeCommandLineReadsThem() {
        String[][] starts = {
            {},
            {"--webapps", "/srv/apps", "--work-dir", "/var/lib/herdcat", "--http-port", "18080", "--ajp-port", "0",
                "--admin-port", "0"},
            {"--name=node1", "--peers=10.0.0.1:7800,10.0.0.2:7800", "--cluster", "shop"},
            {"--name", "first", "--name=second"},
            {"--name", "shop-1"},
            {"--ajp-secret=a=b"},
            {"--name="},
        };
        for (String[] args : starts) {
            Optional<Map<Setting, String>> read = NodeArguments.settingsOnly(args);
            assertTrue(read.isPresent(), String.join(" ", args));
            assertEquals(CommandLineSpec.flags(CommandLineSpec.build().parseArgs(args)), read.get(),
                    String.join(" ", args));
        }
    }

    @Test
    void anythingMoreIsLeftToTheWholeCommandLine() {
        String[][] others = {
            {"demo"},
            {"status", "--admin-port", "9090"},
            {"--help"},
            {"--version"},
            {"--no-such-setting", "1"},
            {"--name"},
            {"--http-port", "-1"},
            {"--name", "--http-port", "8080"},
            {"@more-arguments.txt"},
            {"--"},
            {"--name", "demo"},
            {"--name", "status"},
        };
        for (String[] args : others) {
            assertTrue(NodeArguments.settingsOnly(args).isEmpty(), String.join(" ", args));
        }
    }
}
