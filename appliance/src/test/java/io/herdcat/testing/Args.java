package io.herdcat.testing;

import java.util.Arrays;

/** Command-line arguments for test nodes. */
public final class Args {
    private Args() {
    }

    /** {@code base} followed by {@code more}. */
    public static String[] with(String[] base, String... more) {
        String[] all = Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }
}
