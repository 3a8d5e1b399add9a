package io.spawnkit.internal.linux;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.Optional;

/**
 * glibc, bound through FFM: C names, C argument order, raw values. Calls that set errno return
 * {@code -errno} on failure (the convention of the JDK's CaptureStateUtil and QuickJS's os module);
 * the {@code posix_spawn} family returns its error number itself, as the C functions do.
 *
 * <p>Every handle captures errno in the same call: reading errno later could see a value the JVM
 * itself left there. Calls that can never block and touch only their arguments are linked
 * {@code critical}, which lets {@link #read} and {@link #write} take heap memory without a copy.
 */
final class LibC {
    static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LOOKUP = LINKER.defaultLookup();
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO =
            CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final ThreadLocal<MemorySegment> STATE =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(CAPTURE));

    // <fcntl.h>, <sys/epoll.h>, <sys/eventfd.h>, <sys/wait.h>, <spawn.h> on Linux (all architectures
    // with the generic ABI: x86_64, aarch64, riscv64)
    static final int O_RDONLY = 0;
    static final int O_WRONLY = 1;
    static final int O_RDWR = 2;
    static final int O_CREAT = 0100;
    static final int O_TRUNC = 01000;
    static final int O_APPEND = 02000;
    static final int O_NONBLOCK = 04000;
    static final int O_CLOEXEC = 02000000;
    static final int F_GETFD = 1;
    static final int F_SETFD = 2;
    static final int F_GETFL = 3;
    static final int F_SETFL = 4;
    static final int F_SETPIPE_SZ = 1031;
    static final int F_DUPFD_CLOEXEC = 1030;
    static final int AF_UNIX = 1;
    static final int SOCK_STREAM = 1;
    static final int SOCK_CLOEXEC = O_CLOEXEC;
    static final int SHUT_WR = 1;
    static final int EPOLL_CLOEXEC = O_CLOEXEC;
    static final int EPOLL_CTL_ADD = 1;
    static final int EPOLL_CTL_DEL = 2;
    static final int EPOLL_CTL_MOD = 3;
    static final int EPOLLIN = 0x001;
    static final short POLLIN = 0x001;
    static final int EPOLLOUT = 0x004;
    static final int EPOLLERR = 0x008;
    static final int EPOLLHUP = 0x010;
    static final int EFD_NONBLOCK = O_NONBLOCK;
    static final int EFD_CLOEXEC = O_CLOEXEC;
    static final int WNOHANG = 1;
    static final short POSIX_SPAWN_SETPGROUP = 0x02;
    static final short POSIX_SPAWN_SETSIGDEF = 0x04;
    static final short POSIX_SPAWN_SETSIGMASK = 0x08;
    static final short POSIX_SPAWN_SETSID = 0x80;
    static final long SYS_PIDFD_SEND_SIGNAL = 424;
    static final long SYS_PIDFD_OPEN = 434;

    // Opaque glibc types: their sizes from <spawn.h>/<signal.h> of glibc 2.36 on x86_64 and aarch64,
    // checked by LayoutTest against a compiled probe when a C compiler is present.
    static final long SIZEOF_POSIX_SPAWNATTR_T = 336;
    static final long SIZEOF_POSIX_SPAWN_FILE_ACTIONS_T = 80;
    static final long SIZEOF_SIGSET_T = 128;

    private LibC() {}

    private static MemorySegment symbol(String name) {
        return LOOKUP.find(name).orElseThrow(() -> new UnsatisfiedLinkError("libc has no " + name));
    }

    /** A handle that captures errno; {@code variadicFrom} >= 0 marks where C's "..." starts. */
    private static MethodHandle downcall(String name, FunctionDescriptor fd, boolean critical, int variadicFrom) {
        Linker.Option capture = Linker.Option.captureCallState("errno");
        if (variadicFrom >= 0) {
            return LINKER.downcallHandle(symbol(name), fd, capture, Linker.Option.firstVariadicArg(variadicFrom));
        }
        return critical
                ? LINKER.downcallHandle(symbol(name), fd, capture, Linker.Option.critical(true))
                : LINKER.downcallHandle(symbol(name), fd, capture);
    }

    /** A handle for functions that return their error instead of setting errno. */
    private static MethodHandle direct(String name, FunctionDescriptor fd) {
        return LINKER.downcallHandle(symbol(name), fd);
    }

    private static Optional<MethodHandle> optional(String name, FunctionDescriptor fd) {
        return LOOKUP.find(name).map(s -> LINKER.downcallHandle(s, fd));
    }

    static MemorySegment state() {
        return STATE.get();
    }

    private static int errno(MemorySegment st) {
        return (int) ERRNO.get(st, 0L);
    }

    private static int ret(int r, MemorySegment st) {
        return r >= 0 ? r : -errno(st);
    }

    private static long ret(long r, MemorySegment st) {
        return r >= 0 ? r : -errno(st);
    }

    private static RuntimeException fail(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException(t);
    }

    // Linking a downcall costs milliseconds per new signature, and the first spawn pays for every
    // handle of this class: functions a spawn does not need are linked on first use, each in a
    // holder class of its own.
    private static final MethodHandle CLOSE = downcall("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT), false, -1);
    private static final MethodHandle READ = downcall("read",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG), true, -1);
    private static final MethodHandle WRITE = downcall("write",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG), true, -1);
    private static final MethodHandle PIPE2 = downcall("pipe2",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT), false, -1);
    private static final MethodHandle FCNTL = downcall("fcntl",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT), false, 2);
    private static final MethodHandle OPEN = downcall("open",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), false, 2);

    private static final class Socketpair {
        static final MethodHandle H = downcall("socketpair",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS), false, -1);
    }

    private static final class Shutdown {
        static final MethodHandle H = downcall("shutdown",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT), false, -1);
    }

    private static final MethodHandle EPOLL_CREATE1 = downcall("epoll_create1",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT), false, -1);
    private static final MethodHandle EPOLL_CTL = downcall("epoll_ctl",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS), false, -1);
    private static final MethodHandle EPOLL_WAIT = downcall("epoll_wait",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), false, -1);

    private static final class Poll {
        static final MethodHandle H = downcall("poll",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT), false, -1);
    }

    private static final MethodHandle EVENTFD = downcall("eventfd",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT), false, -1);
    private static final MethodHandle WAITPID = downcall("waitpid",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT), false, -1);

    private static final class Kill {
        static final MethodHandle H = downcall("kill",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT), false, -1);
    }

    private static final class Getpid {
        static final MethodHandle H = downcall("getpid", FunctionDescriptor.of(JAVA_INT), false, -1);
    }

    private static final MethodHandle SYSCALL2 = downcall("syscall",
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_INT), false, 1);

    private static final class Syscall4 {
        static final MethodHandle H = downcall("syscall",
                FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT), false, 1);
    }

    private static final class Strerror {
        static final MethodHandle H = direct("strerror", FunctionDescriptor.of(ADDRESS, JAVA_INT));
    }

    private static final class StrerrornameNp { // glibc 2.32
        static final Optional<MethodHandle> H = optional("strerrorname_np", FunctionDescriptor.of(ADDRESS, JAVA_INT));
    }

    private static final MethodHandle POSIX_SPAWN = direct("posix_spawn",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS));
    private static final MethodHandle FA_INIT = direct("posix_spawn_file_actions_init",
            FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final MethodHandle FA_DESTROY = direct("posix_spawn_file_actions_destroy",
            FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final MethodHandle FA_ADDDUP2 = direct("posix_spawn_file_actions_adddup2",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
    private static final MethodHandle FA_ADDCLOSE = direct("posix_spawn_file_actions_addclose",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    /** glibc 2.29. */
    static final Optional<MethodHandle> FA_ADDCHDIR_NP = optional("posix_spawn_file_actions_addchdir_np",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    /** glibc 2.34. */
    static final Optional<MethodHandle> FA_ADDCLOSEFROM_NP = optional("posix_spawn_file_actions_addclosefrom_np",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle ATTR_INIT = direct("posix_spawnattr_init",
            FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final MethodHandle ATTR_DESTROY = direct("posix_spawnattr_destroy",
            FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final MethodHandle ATTR_SETFLAGS = direct("posix_spawnattr_setflags",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_SHORT));
    private static final MethodHandle ATTR_SETSIGMASK = direct("posix_spawnattr_setsigmask",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle ATTR_SETSIGDEFAULT = direct("posix_spawnattr_setsigdefault",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle ATTR_SETPGROUP = direct("posix_spawnattr_setpgroup",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle SIGEMPTYSET = direct("sigemptyset", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final MethodHandle SIGFILLSET = direct("sigfillset", FunctionDescriptor.of(JAVA_INT, ADDRESS));

    static int close(int fd) {
        MemorySegment st = state();
        try {
            return ret((int) CLOSE.invokeExact(st, fd), st);
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    static long read(int fd, MemorySegment buf, long count) {
        MemorySegment st = state();
        try {
            return ret((long) READ.invokeExact(st, fd, buf, count), st);
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    static long write(int fd, MemorySegment buf, long count) {
        MemorySegment st = state();
        try {
            return ret((long) WRITE.invokeExact(st, fd, buf, count), st);
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    /** {@code pipe2(fds, flags)}: fills {@code fds[0]} (read end) and {@code fds[1]}. */
    static int pipe2(MemorySegment fds, int flags) {
        MemorySegment st = state();
        try {
            return ret((int) PIPE2.invokeExact(st, fds, flags), st);
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    static int fcntl(int fd, int cmd, int arg) {
        MemorySegment st = state();
        try {
            return ret((int) FCNTL.invokeExact(st, fd, cmd, arg), st);
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    static int open(MemorySegment path, int flags, int mode) {
        MemorySegment st = state();
        try {
            return ret((int) OPEN.invokeExact(st, path, flags, mode), st);
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    static int socketpair(int domain, int type, int protocol, MemorySegment fds) {
        MemorySegment st = state();
        try {
            return ret((int) Socketpair.H.invokeExact(st, domain, type, protocol, fds), st);
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    static int shutdown(int fd, int how) {
        MemorySegment st = state();
        try {
            return ret((int) Shutdown.H.invokeExact(st, fd, how), st);
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    static int epoll_create1(int flags) {
        MemorySegment st = state();
        try {
            return ret((int) EPOLL_CREATE1.invokeExact(st, flags), st);
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    static int epoll_ctl(int epfd, int op, int fd, MemorySegment event) {
        MemorySegment st = state();
        try {
            return ret((int) EPOLL_CTL.invokeExact(st, epfd, op, fd, event), st);
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    static int epoll_wait(int epfd, MemorySegment events, int maxEvents, int timeoutMillis) {
        MemorySegment st = state();
        try {
            return ret((int) EPOLL_WAIT.invokeExact(st, epfd, events, maxEvents, timeoutMillis), st);
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    /** {@code poll(2)} on an array of {@code struct pollfd {int fd; short events; short revents;}}. */
    static int poll(MemorySegment fds, long nfds, int timeoutMillis) {
        MemorySegment st = state();
        try {
            return ret((int) Poll.H.invokeExact(st, fds, nfds, timeoutMillis), st);
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    static int eventfd(int initval, int flags) {
        MemorySegment st = state();
        try {
            return ret((int) EVENTFD.invokeExact(st, initval, flags), st);
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    static int waitpid(int pid, MemorySegment status, int options) {
        MemorySegment st = state();
        try {
            return ret((int) WAITPID.invokeExact(st, pid, status, options), st);
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    static int kill(int pid, int sig) {
        MemorySegment st = state();
        try {
            return ret((int) Kill.H.invokeExact(st, pid, sig), st);
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    static int getpid() {
        MemorySegment st = state();
        try {
            return (int) Getpid.H.invokeExact(st);
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    /** {@code pidfd_open(2)}, Linux 5.3. */
    static int pidfd_open(int pid, int flags) {
        MemorySegment st = state();
        try {
            return (int) ret((long) SYSCALL2.invokeExact(st, SYS_PIDFD_OPEN, pid, flags), st);
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    /** {@code pidfd_send_signal(2)}, Linux 5.1. */
    static int pidfd_send_signal(int pidfd, int sig) {
        MemorySegment st = state();
        try {
            return (int) ret((long) Syscall4.H.invokeExact(st, SYS_PIDFD_SEND_SIGNAL, pidfd, sig, MemorySegment.NULL, 0), st);
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    static String strerror(int errno) {
        try {
            MemorySegment s = (MemorySegment) Strerror.H.invokeExact(errno);
            return s.reinterpret(Long.MAX_VALUE).getString(0);
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    /** The symbolic name of {@code errno} ("ENOENT"), from glibc when it knows, else our table. */
    static String errnoName(int errno) {
        if (StrerrornameNp.H.isPresent()) {
            try {
                MemorySegment s = (MemorySegment) StrerrornameNp.H.get().invokeExact(errno);
                if (!s.equals(MemorySegment.NULL)) {
                    return s.reinterpret(Long.MAX_VALUE).getString(0);
                }
            } catch (Throwable t) {
                throw fail(t);
            }
        }
        return Errno.name(errno);
    }

    static int posix_spawn_file_actions_init(MemorySegment fa) {
        return invokeDirect(FA_INIT, fa);
    }

    static int posix_spawn_file_actions_destroy(MemorySegment fa) {
        return invokeDirect(FA_DESTROY, fa);
    }

    static int posix_spawn_file_actions_adddup2(MemorySegment fa, int fd, int newfd) {
        try {
            return (int) FA_ADDDUP2.invokeExact(fa, fd, newfd);
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    static int posix_spawn_file_actions_addclose(MemorySegment fa, int fd) {
        try {
            return (int) FA_ADDCLOSE.invokeExact(fa, fd);
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    static int posix_spawn_file_actions_addchdir_np(MemorySegment fa, MemorySegment path) {
        try {
            return (int) FA_ADDCHDIR_NP.orElseThrow().invokeExact(fa, path);
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    static int posix_spawn_file_actions_addclosefrom_np(MemorySegment fa, int from) {
        try {
            return (int) FA_ADDCLOSEFROM_NP.orElseThrow().invokeExact(fa, from);
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    static int posix_spawnattr_init(MemorySegment attr) {
        return invokeDirect(ATTR_INIT, attr);
    }

    static int posix_spawnattr_destroy(MemorySegment attr) {
        return invokeDirect(ATTR_DESTROY, attr);
    }

    static int posix_spawnattr_setflags(MemorySegment attr, short flags) {
        try {
            return (int) ATTR_SETFLAGS.invokeExact(attr, flags);
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    static int posix_spawnattr_setsigmask(MemorySegment attr, MemorySegment sigset) {
        try {
            return (int) ATTR_SETSIGMASK.invokeExact(attr, sigset);
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    static int posix_spawnattr_setsigdefault(MemorySegment attr, MemorySegment sigset) {
        try {
            return (int) ATTR_SETSIGDEFAULT.invokeExact(attr, sigset);
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    static int posix_spawnattr_setpgroup(MemorySegment attr, int pgroup) {
        try {
            return (int) ATTR_SETPGROUP.invokeExact(attr, pgroup);
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    static int sigemptyset(MemorySegment set) {
        return invokeDirect(SIGEMPTYSET, set);
    }

    static int sigfillset(MemorySegment set) {
        return invokeDirect(SIGFILLSET, set);
    }

    static int posix_spawn(MemorySegment pid, MemorySegment path, MemorySegment fileActions,
            MemorySegment attr, MemorySegment argv, MemorySegment envp) {
        try {
            return (int) POSIX_SPAWN.invokeExact(pid, path, fileActions, attr, argv, envp);
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    private static int invokeDirect(MethodHandle h, MemorySegment arg) {
        try {
            return (int) h.invokeExact(arg);
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    /** Retries {@code call} while it fails with EINTR: the one place that does. */
    static int retryEintr(java.util.function.IntSupplier call) {
        int r;
        do {
            r = call.getAsInt();
        } while (r == -Errno.EINTR);
        return r;
    }
}
