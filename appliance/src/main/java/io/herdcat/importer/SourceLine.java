package io.herdcat.importer;

import io.herdcat.config.ConfigException;

/** Where an imported value came from: a file name and a line number (0 when the format has none). */
record SourceLine(String file, int line) {
    /** A mistake in this line of the file, for the one-line error and exit code 2. */
    ConfigException error(String problem) {
        return new ConfigException(this + ": " + problem);
    }

    @Override
    public String toString() {
        return line > 0 ? file + ":" + line : file;
    }
}
