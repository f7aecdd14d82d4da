package io.herdcat.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Turns the raw text of settings into typed values, failing with one line that names the setting. */
final class SettingParser {
    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)");
    private static final Pattern HOST_NAME = Pattern.compile(
            "(\\*\\.)?[a-z0-9]([a-z0-9-]{0,62})?(\\.[a-z0-9]([a-z0-9-]{0,62})?)*|\\[[0-9a-f:.]+]|[0-9a-f:.]+");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private final Map<Setting, RawValue> raw;
    private final Path workingDir;

    SettingParser(Map<Setting, RawValue> raw, Path workingDir) {
        this.raw = raw;
        this.workingDir = workingDir;
    }

    /** The given text, else the default text, else null. */
    RawValue value(Setting s) {
        RawValue given = raw.get(s);
        if (given != null) {
            return given;
        }
        return s.defaultValue() == null ? null : new RawValue(s, s.defaultValue(), "default");
    }

    boolean isGiven(Setting s) {
        return raw.containsKey(s);
    }

    String text(Setting s) {
        RawValue v = value(s);
        return v == null || v.text().isEmpty() ? null : v.text();
    }

    int integer(Setting s, int min, int max) {
        RawValue v = value(s);
        int n;
        try {
            n = Integer.parseInt(v.text());
        } catch (NumberFormatException e) {
            throw ConfigException.of(v, "'" + v.text() + "' is not a whole number; use " + min + "-" + max);
        }
        if (n < min || n > max) {
            throw ConfigException.of(v, n + " is out of range; use " + min + "-" + max);
        }
        return n;
    }

    /** A size in bytes; a k, m or g suffix multiplies by 1024, 1024², 1024³. */
    long bytes(Setting s, long min, long max) {
        RawValue v = value(s);
        String t = v.text().trim().toLowerCase(java.util.Locale.ROOT);
        long unit = t.endsWith("k") ? 1L << 10 : t.endsWith("m") ? 1L << 20 : t.endsWith("g") ? 1L << 30 : 1;
        long n;
        try {
            n = Math.multiplyExact(Long.parseLong(unit == 1 ? t : t.substring(0, t.length() - 1)), unit);
        } catch (NumberFormatException | ArithmeticException e) {
            throw ConfigException.of(v, "'" + v.text() + "' is not a size; write bytes such as 65536, 64k, 10m or 1g");
        }
        if (n < min || n > max) {
            throw ConfigException.of(v, n + " bytes is out of range; use " + min + "-" + max);
        }
        return n;
    }

    /** A port, shifted by the offset unless it is 0 (any free port). */
    int port(Setting s, int offset) {
        RawValue v = value(s);
        int base = integer(s, 0, 65535);
        if (base == 0) {
            return 0;
        }
        int shifted = base + offset;
        if (shifted > 65535) {
            throw ConfigException.of(v, base + " + port.offset " + offset + " = " + shifted
                    + " is out of range; use a lower port or offset (ports end at 65535)");
        }
        return shifted;
    }

    Duration duration(Setting s) {
        RawValue v = value(s);
        Matcher m = DURATION.matcher(v.text());
        if (!m.matches()) {
            throw ConfigException.of(v, "'" + v.text() + "' is not a duration; write it like 500ms, 30s, 2m or 1h");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
        };
    }

    boolean bool(Setting s) {
        RawValue v = value(s);
        return switch (v.text().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw ConfigException.of(v, "'" + v.text() + "' is not true or false");
        };
    }

    <E extends Enum<E>> E choice(Setting s, Class<E> type) {
        RawValue v = value(s);
        try {
            return Enum.valueOf(type, v.text().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ConfigException.of(v, "'" + v.text() + "' is not one of " + s.label());
        }
    }

    String name(Setting s, String fallback) {
        RawValue v = value(s);
        if (v == null) {
            return fallback;
        }
        if (!NAME.matcher(v.text()).matches()) {
            throw ConfigException.of(v, "'" + v.text()
                    + "' is not a usable name; use 1-64 letters, digits, '-' or '_' (it ends session ids)");
        }
        return v.text();
    }

    InetAddress address(Setting s) {
        RawValue v = value(s);
        try {
            return InetAddress.getByName(v.text());
        } catch (UnknownHostException e) {
            throw ConfigException.of(v, "'" + v.text() + "' is not an address of this host; use an IP such as 127.0.0.1");
        }
    }

    Path path(Setting s) {
        String t = text(s);
        return t == null ? null : workingDir.resolve(t).normalize();
    }

    Path existingDirectory(Setting s) {
        Path dir = path(s);
        if (dir != null && !Files.isDirectory(dir)) {
            throw ConfigException.of(value(s), "folder " + dir + " does not exist; create it or point "
                    + s.flag() + " at an existing folder");
        }
        return dir;
    }

    Path existingFile(Setting s) {
        Path file = path(s);
        if (file != null && !Files.isRegularFile(file)) {
            throw ConfigException.of(value(s), "file " + file + " does not exist; create it or fix the path");
        }
        return file;
    }

    /** Addresses and networks: {@code 10.0.0.5,192.168.0.0/16,::1}. */
    List<AddressRange> addressRanges(Setting s) {
        String t = text(s);
        List<AddressRange> ranges = new ArrayList<>();
        if (t == null) {
            return ranges;
        }
        for (String entry : t.split(",")) {
            try {
                ranges.add(AddressRange.parse(entry.trim()));
            } catch (IllegalArgumentException e) {
                throw ConfigException.of(value(s), "'" + entry.trim() + "' is not an address or network; write e.g. "
                        + "10.0.0.5,192.168.0.0/16 (" + e.getMessage() + ")");
            }
        }
        return List.copyOf(ranges);
    }

    List<String> hostPorts(Setting s) {
        String t = text(s);
        List<String> peers = new ArrayList<>();
        if (t == null) {
            return peers;
        }
        for (String peer : t.split(",")) {
            String p = peer.trim();
            int colon = p.lastIndexOf(':');
            boolean ok = colon > 0;
            if (ok) {
                try {
                    int port = Integer.parseInt(p.substring(colon + 1));
                    ok = port > 0 && port <= 65535;
                } catch (NumberFormatException e) {
                    ok = false;
                }
            }
            if (!ok) {
                throw ConfigException.of(value(s), "'" + p + "' is not host:port; write peers like 198.51.100.2:7800,198.51.100.3:7800");
            }
            peers.add(p);
        }
        return List.copyOf(peers);
    }

    /** Host names, lower case: {@code a.example.org}, {@code *.example.net} (its subdomains) or address literals. */
    List<String> hostNames(Setting s) {
        String t = text(s);
        List<String> names = new ArrayList<>();
        if (t == null) {
            return names;
        }
        for (String name : t.split(",")) {
            String n = name.trim().toLowerCase(java.util.Locale.ROOT);
            if (n.isEmpty()) {
                continue;
            }
            if (!HOST_NAME.matcher(n).matches()) {
                throw ConfigException.of(value(s), "'" + n + "' is not a host name; write names like "
                        + "status.example.org,*.ops.example.net (no port, no scheme)");
            }
            names.add(n);
        }
        return List.copyOf(names);
    }
}
