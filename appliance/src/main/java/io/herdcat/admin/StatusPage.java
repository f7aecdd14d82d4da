package io.herdcat.admin;

/** The status page at {@code /} on the admin port: one self-contained HTML page that reads /status. */
final class StatusPage {
    private StatusPage() {
    }

    static String html() {
        return "<!doctype html><title>Herdcat</title><p>See <a href=\"/status\">/status</a>.";
    }
}
