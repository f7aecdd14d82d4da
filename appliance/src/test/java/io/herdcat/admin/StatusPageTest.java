package io.herdcat.admin;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The status page is one self-contained file that talks only to its own node. */
class StatusPageTest {
    /** Anything that would make the browser fetch from another host or another file. */
    private static final List<Pattern> OUTSIDE = List.of(
            Pattern.compile("(?i)\\b(https?|wss?|ftp):"),
            Pattern.compile("(?i)(src|href|action|srcset)\\s*=\\s*[\"']?\\s*//"),
            Pattern.compile("(?i)url\\(\\s*[\"']?\\s*//"),
            Pattern.compile("(?i)fetch\\(\\s*[\"'`]//"),
            Pattern.compile("(?i)//\\s*cdn"),
            Pattern.compile("(?i)@import"),
            Pattern.compile("(?i)<script[^>]*\\bsrc\\s*="),
            Pattern.compile("(?i)<link\\b"),
            Pattern.compile("(?i)<(img|iframe|object|embed)\\b"));

    @Test
    void pageReferencesNoOtherHostAndNoOtherFile() {
        String html = StatusPage.html();
        assertAll(OUTSIDE.stream().map(p -> () -> {
            Matcher m = p.matcher(html);
            assertFalse(m.find(), () -> "the page must fetch nothing from elsewhere, but has '" + m.group()
                    + "' near: " + html.substring(Math.max(0, m.start() - 60), Math.min(html.length(), m.end() + 60)));
        }));
    }

    @Test
    void pageReadsStatusAndWritesThroughTheSameOriginApi() {
        String html = StatusPage.html();
        assertTrue(html.startsWith("<!doctype html>"), "a complete HTML document");
        assertTrue(html.contains("fetch(\"/status\""), "polls /status on the node that served it");
        assertTrue(html.contains("\"/nodes/\""), "writes go to /nodes/NAME/...");
        assertTrue(html.contains("\"/counters/reset\""), "reset goes to /counters/reset");
        assertTrue(html.contains("\"Authorization\": \"Bearer \""), "writes carry the admin token");
        assertTrue(html.contains("<style>") && html.contains("<script>"), "CSS and script are inline");
    }
}
