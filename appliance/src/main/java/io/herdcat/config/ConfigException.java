package io.herdcat.config;

/** A user's configuration mistake: the message is one line that names the setting and the fix. */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message, null, false, false);
    }

    public static ConfigException of(RawValue value, String problem) {
        return new ConfigException(value.setting().key() + " (" + value.origin() + "): " + problem);
    }
}
