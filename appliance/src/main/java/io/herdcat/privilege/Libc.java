package io.herdcat.privilege;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

/**
 * The few glibc calls that Java does not offer: user lookup, changing user and groups, capabilities,
 * and a listening socket opened by one particular thread. Calls that can fail throw
 * {@link LastErrorException} with {@code errno}. glibc applies {@code setuid}, {@code setgid} and
 * {@code setgroups} to every thread of the process, as POSIX requires.
 */
interface Libc extends Library {
    Libc C = Native.load("c", Libc.class);

    int PR_SET_KEEPCAPS = 8;
    int PR_CAPBSET_DROP = 24;
    int PR_CAP_AMBIENT = 47;
    int PR_CAP_AMBIENT_RAISE = 2;
    int LINUX_CAPABILITY_VERSION_3 = 0x20080522;

    int AF_INET = 2;
    int AF_INET6 = 10;
    int SOCK_STREAM = 1;
    int SOCK_NONBLOCK = 0x800;
    int SOCK_CLOEXEC = 0x80000;
    int SOL_SOCKET = 1;
    int SO_REUSEADDR = 2;
    int SO_REUSEPORT = 15;
    int EACCES = 13;
    int EADDRINUSE = 98;
    int EADDRNOTAVAIL = 99;

    int gettid();

    /** A {@code struct passwd} in glibc's static buffer, or null when there is no such user. */
    Pointer getpwnam(String name);

    /**
     * {@code user}: the name as NUL-terminated bytes (a String argument would allocate JNA memory).
     * Returns -1 on failure, with {@code Native.getLastError()}: it reads the group database through
     * NSS, which may leave {@code errno} set when it succeeds, so {@code errno} alone says nothing.
     */
    int initgroups(byte[] user, int group);

    int setgid(int gid) throws LastErrorException;

    int setuid(int uid) throws LastErrorException;

    int prctl(int option, long arg2, long arg3, long arg4, long arg5) throws LastErrorException;

    /** {@code header}: version, pid (0 = this thread); {@code data}: effective, permitted, inheritable, twice. */
    int capset(int[] header, int[] data) throws LastErrorException;

    int socket(int domain, int type, int protocol) throws LastErrorException;

    int setsockopt(int fd, int level, int name, int[] value, int length) throws LastErrorException;

    int bind(int fd, byte[] address, int length) throws LastErrorException;

    int listen(int fd, int backlog) throws LastErrorException;

    int close(int fd) throws LastErrorException;
}
