package io.herdcat.importer;

/** A piece of the imported configuration that Herdcat has no setting for, and why. */
record Unmapped(SourceLine source, String item, String reason) {
    /** KEY=VALUE for the list, the value hidden when the key names a secret or a password. */
    static String shown(String key, String value) {
        String k = key.toLowerCase(java.util.Locale.ROOT);
        boolean secret = k.contains("secret") || k.contains("pass") || k.equals("user");
        return key + "=" + (secret ? "(hidden)" : value);
    }

    String describe() {
        return source + ": " + item + " -- " + reason;
    }
}
