package io.herdcat.admin;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The names a request to the admin API may give in its {@code Host} header: this host's name (and its
 * first label), {@code localhost}, any address of this host written as a literal, and the names in
 * {@code admin.allowed.hosts} ({@code *.example.net} matches its subdomains). A browser always sends
 * the name it resolved, so a page that rebinds its own name to this host's address names a foreign
 * host here and is refused: it cannot read the status, metrics or page through the victim's browser.
 */
final class AllowedHosts {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9a-f:.]+");

    private final Set<String> names = new HashSet<>();
    private final List<String> suffixes = new ArrayList<>();

    AllowedHosts(String hostName, List<String> configured) {
        names.add("localhost");
        String own = hostName.toLowerCase(Locale.ROOT);
        names.add(own);
        names.add(own.contains(".") ? own.substring(0, own.indexOf('.')) : own);
        for (String name : configured) {
            if (name.startsWith("*.")) {
                suffixes.add(name.substring(1));
            } else {
                names.add(stripBrackets(name));
            }
        }
    }

    /** Whether a {@code Host} header value ({@code name}, {@code name:port}, {@code [v6]:port}) is allowed. */
    boolean allows(String host) {
        String name = hostPart(host.trim().toLowerCase(Locale.ROOT));
        if (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        if (name.isEmpty()) {
            return false;
        }
        if (names.contains(name)) {
            return true;
        }
        for (String suffix : suffixes) {
            if (name.endsWith(suffix) && name.length() > suffix.length()) {
                return true;
            }
        }
        return isOwnAddress(name);
    }

    /** The host of a Host header: without the port, an IPv6 literal without its brackets. */
    private static String hostPart(String host) {
        if (host.startsWith("[")) {
            int end = host.indexOf(']');
            return end < 0 ? "" : host.substring(1, end);
        }
        int colon = host.indexOf(':');
        if (colon >= 0 && host.indexOf(':', colon + 1) < 0) {
            return host.substring(0, colon);
        }
        return colon < 0 ? host : "";
    }

    private static String stripBrackets(String name) {
        return name.startsWith("[") && name.endsWith("]") ? name.substring(1, name.length() - 1) : name;
    }

    /** An address literal of this host: loopback, or an address of one of its interfaces now. */
    private static boolean isOwnAddress(String name) {
        boolean v4 = IPV4.matcher(name).matches();
        if (!v4 && !(name.contains(":") && IPV6.matcher(name).matches())) {
            return false; // a name, not a literal: never resolved here
        }
        try {
            InetAddress address = InetAddress.getByName(name); // a literal: parsed, no lookup
            return address.isLoopbackAddress() || address.isAnyLocalAddress()
                    || NetworkInterface.getByInetAddress(address) != null;
        } catch (UnknownHostException | SocketException e) {
            return false;
        }
    }
}
