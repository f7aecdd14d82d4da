package io.herdcat.privilege;

import com.sun.jna.Pointer;
import io.herdcat.config.ConfigException;

/**
 * The account named by the {@code user} setting, looked up the way {@code id USER} does (glibc's
 * {@code getpwnam}, so LDAP or SSSD users count too): its uid and primary group. An unknown user, or
 * one with uid or group 0, is a configuration mistake.
 */
public record UserAccount(String name, int uid, int gid) {
    /** Offsets in glibc's {@code struct passwd} on 64-bit Linux: two pointers, then uid and gid. */
    private static final int UID_OFFSET = 2 * 8;
    private static final int GID_OFFSET = UID_OFFSET + 4;

    public static UserAccount lookup(String name) {
        Pointer entry;
        synchronized (UserAccount.class) {
            entry = Libc.C.getpwnam(name);
            if (entry != null) {
                UserAccount account = new UserAccount(name, entry.getInt(UID_OFFSET), entry.getInt(GID_OFFSET));
                return account.unprivileged();
            }
        }
        throw new ConfigException("user: no user '" + name + "' on this host; create it (useradd --system "
                + name + ") or name an existing one");
    }

    private UserAccount unprivileged() {
        if (uid == 0 || gid == 0) {
            throw new ConfigException("user: '" + name + "' has " + (uid == 0 ? "uid" : "group") + " 0, so the node "
                    + "would keep root's rights; name an unprivileged user (e.g. useradd --system herdcat)");
        }
        return this;
    }
}
