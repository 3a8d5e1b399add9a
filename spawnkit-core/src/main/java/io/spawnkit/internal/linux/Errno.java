package io.spawnkit.internal.linux;

/**
 * Linux errno numbers we act on, and names for when glibc's {@code strerrorname_np} (2.32) is
 * missing. The numbers are the generic Linux ones (asm-generic/errno-base.h, errno.h), which
 * {@code io.spawnkit.os.Os} also reports on Windows (WindowsOs translates the C runtime's).
 */
public final class Errno {
    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    public static final int ESRCH = 3;
    public static final int EINTR = 4;
    public static final int E2BIG = 7;
    public static final int ENOEXEC = 8;
    public static final int EBADF = 9;
    public static final int ECHILD = 10;
    public static final int EAGAIN = 11;
    public static final int ENOMEM = 12;
    public static final int EACCES = 13;
    public static final int ENOTDIR = 20;
    public static final int EINVAL = 22;
    public static final int EMFILE = 24;
    public static final int EPIPE = 32;
    public static final int ENOSYS = 38;
    public static final int ECONNRESET = 104;

    private static final String[] NAMES = new String[134];

    static {
        String[] table = {
            "EPERM", "ENOENT", "ESRCH", "EINTR", "EIO", "ENXIO", "E2BIG", "ENOEXEC", "EBADF", "ECHILD",
            "EAGAIN", "ENOMEM", "EACCES", "EFAULT", "ENOTBLK", "EBUSY", "EEXIST", "EXDEV", "ENODEV", "ENOTDIR",
            "EISDIR", "EINVAL", "ENFILE", "EMFILE", "ENOTTY", "ETXTBSY", "EFBIG", "ENOSPC", "ESPIPE", "EROFS",
            "EMLINK", "EPIPE", "EDOM", "ERANGE", "EDEADLK", "ENAMETOOLONG", "ENOLCK", "ENOSYS", "ENOTEMPTY", "ELOOP",
        };
        for (int i = 0; i < table.length; i++) {
            NAMES[i + 1] = table[i];
        }
        NAMES[95] = "EOPNOTSUPP";
        NAMES[104] = "ECONNRESET";
        NAMES[110] = "ETIMEDOUT";
    }

    private Errno() {}

    /** The errno's name ("ENOENT"), or "errno N" for one not in the table. */
    public static String name(int errno) {
        return errno > 0 && errno < NAMES.length && NAMES[errno] != null ? NAMES[errno] : "errno " + errno;
    }
}
