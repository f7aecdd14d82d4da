package io.herdcat.importer;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A mod_jk {@code uriworkermap.properties}: one {@code PATTERN=WORKER} mount a line ({@code #}
 * comments), a {@code !} before the pattern making it an exclusion and a {@code -} disabling it;
 * anything after a {@code ;} in the worker part is a mount attribute. Mounts given in
 * {@code workers.properties} ({@code worker.X.mount}) are read into the same form.
 */
final class UriWorkerMap {
    /** One mount: the URL pattern, the worker it maps to, and whether it excludes or is disabled. */
    record Mount(String pattern, String worker, boolean exclusion, boolean disabled, SourceLine source) {
        String describe() {
            return (disabled ? "-" : "") + (exclusion ? "!" : "") + pattern + "=" + worker;
        }
    }

    private UriWorkerMap() {
    }

    static List<Mount> read(Path file) throws IOException {
        String name = file.getFileName().toString();
        List<Mount> mounts = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1)) {
            String raw;
            int lineNo = 0;
            while ((raw = in.readLine()) != null) {
                lineNo++;
                int hash = raw.indexOf('#');
                String line = (hash >= 0 ? raw.substring(0, hash) : raw).trim();
                if (!line.isEmpty()) {
                    mounts.add(parse(line, new SourceLine(name, lineNo)));
                }
            }
        }
        return mounts;
    }

    /** A mount from a line such as {@code !/static/*=lb}; a worker.X.mount value passes its worker. */
    static Mount parse(String line, SourceLine at) {
        int eq = line.indexOf('=');
        if (eq <= 0 || eq == line.length() - 1) {
            throw at.error("'" + line + "' is not PATTERN=WORKER");
        }
        String pattern = line.substring(0, eq).trim();
        String worker = line.substring(eq + 1).trim();
        int semi = worker.indexOf(';');
        if (semi >= 0) {
            worker = worker.substring(0, semi).trim();
        }
        boolean disabled = pattern.startsWith("-");
        if (disabled) {
            pattern = pattern.substring(1);
        }
        boolean exclusion = pattern.startsWith("!");
        if (exclusion) {
            pattern = pattern.substring(1);
        }
        if (!pattern.startsWith("/") && !pattern.startsWith("*")) {
            throw at.error("'" + pattern + "' is not a URL pattern (it starts with / or *)");
        }
        return new Mount(pattern, worker, exclusion, disabled, at);
    }
}
