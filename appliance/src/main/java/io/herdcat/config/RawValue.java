package io.herdcat.config;

/** A setting's text as given, and where it came from ("flag --http-port", "HERDCAT_HTTP_PORT", ...). */
public record RawValue(Setting setting, String text, String origin) {
}
