package io.herdcat.config;

import io.herdcat.config.NodeConfig.FrontMove;
import io.herdcat.config.NodeConfig.Vip;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * Reads front.vip, front.vip.interface, front.on.elected, front.on.demoted and front.hook.timeout. The
 * address must be a literal with a prefix length that fits its family; its interface must exist on this
 * host, so a typo stops the node at start rather than when it is first elected.
 */
final class FrontMoveSettings {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    private FrontMoveSettings() {
    }

    static FrontMove parse(SettingParser p, InetAddress clusterAddress) {
        Duration hookTimeout = p.duration(Setting.FRONT_HOOK_TIMEOUT);
        if (hookTimeout.isZero()) {
            throw ConfigException.of(p.value(Setting.FRONT_HOOK_TIMEOUT), "must be longer than 0; write e.g. 10s");
        }
        return new FrontMove(vip(p, clusterAddress), p.text(Setting.FRONT_ON_ELECTED), p.text(Setting.FRONT_ON_DEMOTED),
                hookTimeout);
    }

    private static Vip vip(SettingParser p, InetAddress clusterAddress) {
        String text = p.text(Setting.FRONT_VIP);
        String device = p.text(Setting.FRONT_VIP_INTERFACE);
        if (text == null) {
            if (device != null) {
                throw ConfigException.of(p.value(Setting.FRONT_VIP_INTERFACE), "is set but front.vip is not; "
                        + "set front.vip to the address that moves with the front, or remove this setting");
            }
            return null;
        }
        RawValue raw = p.value(Setting.FRONT_VIP);
        String problem = "'" + text + "' is not ADDR/PREFIX; write e.g. 198.51.100.100/24 or 2001:db8::100/64";
        int slash = text.indexOf('/');
        String literal = slash < 0 ? "" : text.substring(0, slash);
        if (!IPV4.matcher(literal).matches() && !IPV6.matcher(literal).matches()) {
            throw ConfigException.of(raw, problem);
        }
        InetAddress address;
        int prefix;
        try {
            address = InetAddress.getByName(literal);
            prefix = Integer.parseInt(text.substring(slash + 1));
        } catch (UnknownHostException | NumberFormatException e) {
            throw ConfigException.of(raw, problem);
        }
        int bits = address instanceof Inet4Address ? 32 : 128;
        if (prefix < 1 || prefix > bits) {
            throw ConfigException.of(raw, problem + " (the prefix length is 1-" + bits + ")");
        }
        return new Vip(address, prefix, device == null ? deviceOf(clusterAddress) : existing(p, device));
    }

    private static String existing(SettingParser p, String device) {
        try {
            if (NetworkInterface.getByName(device) != null) {
                return device;
            }
        } catch (SocketException e) {
            // reported below
        }
        throw ConfigException.of(p.value(Setting.FRONT_VIP_INTERFACE), "no interface " + device
                + " on this host; name one that 'ip link' lists");
    }

    private static String deviceOf(InetAddress clusterAddress) {
        try {
            NetworkInterface nic = NetworkInterface.getByInetAddress(clusterAddress);
            if (nic != null) {
                return nic.getName();
            }
        } catch (SocketException e) {
            // reported below
        }
        throw ConfigException.of(new RawValue(Setting.FRONT_VIP_INTERFACE, "", "default"), "no interface holds "
                + "cluster.address " + clusterAddress.getHostAddress() + " to add front.vip to; set front.vip.interface");
    }
}
