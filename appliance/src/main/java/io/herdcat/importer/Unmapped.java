package io.herdcat.importer;

/** A piece of the imported configuration that Herdcat has no setting for, and why. */
record Unmapped(SourceLine source, String item, String reason) {
    String describe() {
        return source + ": " + item + " -- " + reason;
    }
}
