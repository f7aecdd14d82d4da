package io.herdcat.importer;

import java.util.ArrayList;
import java.util.List;

/**
 * Writes a node's {@code herdcat.properties}: each setting after a comment naming the file and line
 * it came from (and how its meaning differs, when it does), settings that need more work commented
 * out, and at the end everything that was not imported, with the reason.
 */
final class PropertiesWriter {
    private PropertiesWriter() {
    }

    static String render(NodeFile node, List<Unmapped> shared, List<String> inputs) {
        StringBuilder out = new StringBuilder();
        out.append("# herdcat.properties of node ").append(node.name()).append(", imported from ")
                .append(String.join(", ", inputs)).append('\n');
        for (NodeFile.Entry e : node.entries()) {
            out.append("# ").append(e.source());
            if (e.comment() != null) {
                out.append(": ").append(e.comment());
            }
            out.append('\n');
            if (e.commentedOut()) {
                out.append("# ");
            }
            out.append(e.key()).append('=').append(escape(e.value())).append('\n');
        }
        List<Unmapped> all = new ArrayList<>(node.unmapped());
        all.addAll(shared);
        if (!all.isEmpty()) {
            out.append("#\n# Not imported (no Herdcat equivalent):\n");
            for (Unmapped u : all) {
                out.append("#   ").append(u.describe().replace('\n', ' ')).append('\n');
            }
        }
        return out.toString();
    }

    /** A value as java.util.Properties reads it back unchanged. */
    static String escape(String value) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\') {
                b.append("\\\\");
            } else if (c == ' ' && i == 0) {
                b.append("\\ ");
            } else if (c < 0x20 || c > 0x7e) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
