package io.herdcat.admin;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The status page at {@code /} on the admin port: one self-contained HTML file ({@code status.html}
 * beside this class, inline CSS and script) that polls {@code /status} every second and sends the
 * admin writes. It fetches nothing but this node's own API.
 */
final class StatusPage {
    private static final String RESOURCE = "status.html";
    private static final String HTML = load();

    private StatusPage() {
    }

    static String html() {
        return HTML;
    }

    private static String load() {
        try (InputStream in = StatusPage.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing beside " + StatusPage.class.getName());
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
