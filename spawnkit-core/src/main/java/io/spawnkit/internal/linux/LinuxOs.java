package io.spawnkit.internal.linux;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import io.spawnkit.internal.EnvBlock;
import io.spawnkit.internal.Native;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The calls {@link io.spawnkit.os.Os} makes on Linux, and nothing else: the bridge from the public
 * {@code io.spawnkit.os} package to the package-private {@link LibC}. Every method returns what the
 * C call returns, failures as {@code -errno}; EINTR is retried here.
 */
public final class LinuxOs {
    private LinuxOs() {}

    public static final int WNOHANG = LibC.WNOHANG;

    /**
     * Starts {@code argv} with posix_spawn (or posix_spawnp when {@code usePath}): {@code file} (or
     * {@code argv[0]} when null) is the program; fd 0, 1 and 2 are dup2'd from {@code stdin},
     * {@code stdout}, {@code stderr} (-1: this process's own, or closed in the child when ours is
     * closed), every other descriptor is closed, the signal mask emptied and every signal reset to
     * its default, as for the high-level API. Returns the pid, or {@code -errno}: posix_spawn
     * reports a failed exec (ENOENT, EACCES, ...) or chdir itself, and then no child remains.
     *
     * @param cwd the child's working directory, or null; -ENOSYS without addchdir_np (glibc 2.29)
     * @param env "NAME=value" entries, or null for this JVM's environment
     */
    public static int spawn(List<String> argv, String file, boolean usePath, String cwd, List<String> env,
            int stdin, int stdout, int stderr) {
        if (cwd != null && LibC.FA_ADDCHDIR_NP.isEmpty()) {
            return -Errno.ENOSYS;
        }
        List<Integer> copies = new ArrayList<>();
        try (Arena arena = Arena.ofConfined()) {
            SortedMap<Integer, Integer> wanted = new TreeMap<>();
            int[] given = {stdin, stdout, stderr};
            for (int fd = 0; fd < 3; fd++) {
                int src = given[fd];
                if (src < 0) {
                    src = LibC.fcntl(fd, LibC.F_GETFD, 0) >= 0 ? fd : -1; // ours closed: closed in the child
                } else if (LibC.fcntl(src, LibC.F_GETFD, 0) < 0) {
                    return -Errno.EBADF;
                } else {
                    src = LinuxBackend.belowFileLimit(src, copies); // glibc's adddup2 refuses a source at or above it
                    if (src < 0) {
                        return src;
                    }
                }
                wanted.put(fd, src);
            }
            MemorySegment fa = arena.allocate(LibC.SIZEOF_POSIX_SPAWN_FILE_ACTIONS_T, 16);
            MemorySegment attr = arena.allocate(LibC.SIZEOF_POSIX_SPAWNATTR_T, 16);
            int err = LibC.posix_spawn_file_actions_init(fa);
            if (err != 0) {
                return -err;
            }
            try {
                err = LibC.posix_spawnattr_init(attr);
                if (err != 0) {
                    return -err;
                }
                try {
                    err = fileActions(arena, fa, wanted, cwd);
                    if (err == 0) {
                        err = attributes(arena, attr);
                    }
                    if (err != 0) {
                        return -err;
                    }
                    MemorySegment argvC = LinuxBackend.cStrings(arena, argv);
                    MemorySegment envp = LinuxBackend.cStrings(arena, env != null ? env : EnvBlock.inherited().entries());
                    MemorySegment program = arena.allocateFrom(file != null ? file : argv.get(0));
                    MemorySegment pid = arena.allocate(JAVA_INT);
                    err = usePath
                            ? LibC.posix_spawnp(pid, program, fa, attr, argvC, envp)
                            : LibC.posix_spawn(pid, program, fa, attr, argvC, envp);
                    return err != 0 ? -err : pid.get(JAVA_INT, 0);
                } finally {
                    LibC.posix_spawnattr_destroy(attr);
                }
            } finally {
                LibC.posix_spawn_file_actions_destroy(fa);
            }
        } finally {
            copies.forEach(LibC::close);
        }
    }

    private static int fileActions(Arena arena, MemorySegment fa, SortedMap<Integer, Integer> wanted, String cwd) {
        for (FdPlan.Action a : FdPlan.plan(wanted)) {
            int err = switch (a) {
                case FdPlan.Dup2 d -> LibC.posix_spawn_file_actions_adddup2(fa, d.from(), d.to());
                case FdPlan.Close c -> LibC.posix_spawn_file_actions_addclose(fa, c.fd());
                case FdPlan.CloseFrom c -> closeFrom(fa, c.lowest());
            };
            if (err != 0) {
                return err;
            }
        }
        if (cwd != null) {
            return LibC.posix_spawn_file_actions_addchdir_np(fa, arena.allocateFrom(cwd));
        }
        return 0;
    }

    /** closefrom (glibc 2.34), else a close per descriptor open now (see {@link LinuxBackend}). */
    private static int closeFrom(MemorySegment fa, int lowest) {
        if (LibC.FA_ADDCLOSEFROM_NP.isPresent()) {
            return LibC.posix_spawn_file_actions_addclosefrom_np(fa, lowest);
        }
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            for (int fd : s.map(p -> Integer.parseInt(p.getFileName().toString())).filter(fd -> fd >= lowest).toList()) {
                int err = LibC.posix_spawn_file_actions_addclose(fa, fd);
                if (err != 0) {
                    return err;
                }
            }
            return 0;
        } catch (IOException e) {
            return Errno.ENOSYS;
        }
    }

    /** Empty signal mask, every signal 1..64 at its default (the reason: {@link LinuxBackend}'s attributes). */
    private static int attributes(Arena arena, MemorySegment attr) {
        MemorySegment empty = arena.allocate(LibC.SIZEOF_SIGSET_T, 8);
        MemorySegment all = arena.allocate(LibC.SIZEOF_SIGSET_T, 8);
        LibC.sigemptyset(empty);
        LibC.sigfillset(all);
        all.set(JAVA_LONG, 0, -1L);
        int err = LibC.posix_spawnattr_setsigmask(attr, empty);
        if (err == 0) {
            err = LibC.posix_spawnattr_setsigdefault(attr, all);
        }
        if (err == 0) {
            err = LibC.posix_spawnattr_setflags(attr, (short) (LibC.POSIX_SPAWN_SETSIGMASK | LibC.POSIX_SPAWN_SETSIGDEF));
        }
        return err;
    }

    /** {@code waitpid(pid, &status, options)}, EINTR retried; the raw status in {@code status[0]}. */
    public static int waitpid(int pid, int[] status, int options) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment st = arena.allocate(JAVA_INT);
            int r = LibC.retryEintr(() -> LibC.waitpid(pid, st, options));
            status[0] = r > 0 ? st.get(JAVA_INT, 0) : 0;
            return r;
        }
    }

    /** {@code pipe2(O_CLOEXEC)}, both ends moved off 0..2 ({@link LibC#aboveStdio}); 0 or -errno. */
    public static int pipe(int[] fds) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment pair = arena.allocate(JAVA_INT, 2);
            int r = LibC.pipe2(pair, LibC.O_CLOEXEC);
            if (r < 0) {
                return r;
            }
            int readEnd = LibC.aboveStdio(pair.getAtIndex(JAVA_INT, 0));
            int writeEnd = LibC.aboveStdio(pair.getAtIndex(JAVA_INT, 1));
            if (readEnd < 0 || writeEnd < 0) {
                LibC.close(Math.max(readEnd, writeEnd));
                return Math.min(readEnd, writeEnd);
            }
            fds[0] = readEnd;
            fds[1] = writeEnd;
            return 0;
        }
    }

    /** {@code fcntl(fd, F_DUPFD_CLOEXEC, 3)}: a close-on-exec copy numbered 3 or above. */
    public static int dup(int fd) {
        return LibC.fcntl(fd, LibC.F_DUPFD_CLOEXEC, 3);
    }

    /** {@code dup2(2)}, EINTR retried (Linux may return EBUSY while {@code newfd} is being opened). */
    public static int dup2(int oldfd, int newfd) {
        return LibC.retryEintr(() -> LibC.dup2(oldfd, newfd));
    }

    /** {@code close(2)}, never retried: on Linux the descriptor is gone even when EINTR is returned. */
    public static int close(int fd) {
        return LibC.close(fd);
    }

    /**
     * {@code read(2)} into {@code buf[off, off + len)} through a native buffer, EINTR retried: the
     * descriptor may block, so not through {@link LibC#read}, whose critical link takes heap arrays.
     */
    public static int read(int fd, byte[] buf, int off, int len) {
        return Native.readVia(buf, off, len, nat -> LibC.retryEintr(() -> (int) LibC.readMayBlock(fd, nat, len)));
    }

    /** {@code write(2)} from {@code buf[off, off + len)} through a native buffer, EINTR retried; may write fewer bytes. */
    public static int write(int fd, byte[] buf, int off, int len) {
        return Native.writeVia(buf, off, len, nat -> LibC.retryEintr(() -> (int) LibC.writeMayBlock(fd, nat, len)));
    }

    public static int kill(int pid, int sig) {
        return LibC.kill(pid, sig);
    }

    public static int getpid() {
        return LibC.getpid();
    }

    /** {@code pidfd_open(pid, 0)} moved off 0..2, or -errno (ENOSYS before Linux 5.3, EPERM under seccomp). */
    public static int pidfdOpen(int pid) {
        return LibC.aboveStdio(LibC.pidfd_open(pid, 0));
    }

    /**
     * {@code poll(2)} for POLLIN on {@code fds} (none: a sleep) for at most {@code timeoutMillis};
     * the count of ready descriptors, 0 on timeout, or -errno (EINTR is not retried: the caller loops).
     */
    public static int pollReadable(int[] fds, int timeoutMillis) {
        try (Arena arena = Arena.ofConfined()) {
            // struct pollfd {int fd; short events; short revents;}
            MemorySegment set = arena.allocate(8L * Math.max(1, fds.length), 4);
            for (int i = 0; i < fds.length; i++) {
                set.set(JAVA_INT, 8L * i, fds[i]);
                set.set(JAVA_SHORT, 8L * i + 4, LibC.POLLIN);
            }
            return LibC.poll(set, fds.length, timeoutMillis);
        }
    }

    /** "ENOENT (No such file or directory)". */
    public static String describe(int errno) {
        return LibC.errnoName(errno) + " (" + LibC.strerror(errno) + ")";
    }
}
