package io.herdcat.admin;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.StringJoiner;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The status page at {@code /} on the admin port: one self-contained HTML file ({@code status.html}
 * beside this class, inline CSS and script) that polls {@code /status} every second and sends the
 * admin writes. It fetches nothing but this node's own API, and its Content-Security-Policy says so to
 * the browser: only its own inline script and style (allowed by their SHA-256 hashes, so an injected
 * one does not run), connections only to its origin, no framing by any page, no forms, no plugins.
 */
final class StatusPage {
    private static final String RESOURCE = "status.html";
    private static final String HTML = load();
    private static final String POLICY = policy(HTML);

    private StatusPage() {
    }

    static String html() {
        return HTML;
    }

    /** The page as a response, with the headers that keep a browser from misusing it. */
    static AdminResponse response() {
        return AdminResponse.of(200, "text/html", HTML)
                .with("Content-Security-Policy", POLICY)
                .with("X-Frame-Options", "DENY")
                .with("Referrer-Policy", "no-referrer");
    }

    /** The Content-Security-Policy of the page. */
    static String policy() {
        return POLICY;
    }

    private static String policy(String html) {
        return "default-src 'none'; script-src " + hashes(html, "script") + "; style-src " + hashes(html, "style")
                + "; connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; "
                + "frame-ancestors 'none'";
    }

    /** The hashes of every inline {@code <tag>} element's text, as CSP source expressions. */
    private static String hashes(String html, String tag) {
        Matcher m = Pattern.compile("<" + tag + ">(.*?)</" + tag + ">", Pattern.DOTALL).matcher(html);
        StringJoiner sources = new StringJoiner(" ");
        while (m.find()) {
            try {
                byte[] digest = MessageDigest.getInstance("SHA-256").digest(m.group(1).getBytes(StandardCharsets.UTF_8));
                sources.add("'sha256-" + Base64.getEncoder().encodeToString(digest) + "'");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every Java runtime has SHA-256", e);
            }
        }
        if (sources.length() == 0) {
            throw new IllegalStateException(RESOURCE + " has no inline <" + tag + ">");
        }
        return sources.toString();
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
