package io.herdcat.importer;

import io.herdcat.config.Setting;
import io.herdcat.importer.WorkersFile.Value;
import java.util.List;

/**
 * {@code lbfactor} to {@code weight}. Herdcat's weights run from 1 to 100; mod_jk's from 1 up.
 * When a member of an lb has more than 100, every member's factor is scaled so the largest is 100,
 * keeping their ratios as far as whole numbers allow.
 */
final class MemberWeights {
    private static final int MAX = 100;
    private final WorkersFile file;

    MemberWeights(WorkersFile file) {
        this.file = file;
    }

    void apply(List<NodeFile> nodes, List<String> members) {
        long largest = 1;
        for (String m : members) {
            largest = Math.max(largest, factor(m));
        }
        for (int i = 0; i < members.size(); i++) {
            String member = members.get(i);
            Value v = file.attribute(member, "lbfactor").orElse(null);
            if (v == null) {
                continue;
            }
            long f = factor(member);
            if (largest <= MAX) {
                nodes.get(i).set(Setting.WEIGHT, String.valueOf(f), v.source());
            } else {
                long scaled = Math.max(1, Math.round(f * (double) MAX / largest));
                nodes.get(i).set(Setting.WEIGHT, String.valueOf(scaled), v.source(), "lbfactor " + f
                        + " scaled to Herdcat's 1-100, keeping the ratio to the lb's largest (" + largest + ")");
            }
        }
    }

    private long factor(String member) {
        return file.attribute(member, "lbfactor").map(v -> {
            try {
                return Math.max(1L, Long.parseLong(v.text().trim()));
            } catch (NumberFormatException e) {
                throw v.source().error("lbfactor '" + v.text() + "' is not a whole number");
            }
        }).orElse(1L);
    }
}
