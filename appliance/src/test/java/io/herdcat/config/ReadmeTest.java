package io.herdcat.config;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The README's configuration table names every setting, by key, flag and environment variable. */
class ReadmeTest {
    @Test
    void readmeDocumentsEverySetting() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"));
        for (Setting s : Setting.values()) {
            if (s.hidden()) {
                continue;
            }
            String row = "| `" + s.key() + "` | `" + s.flag() + "` / `" + s.envVar() + "` |";
            assertTrue(readme.contains(row), "README.md lacks the row for " + s.key() + ": " + row);
        }
    }
}
