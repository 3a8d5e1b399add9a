package io.spawnkit.internal.linux;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import io.spawnkit.internal.Native;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.lang.ref.Reference;
import java.util.Objects;
import java.util.Optional;

/**
 * glibc, bound through FFM: C names, C argument order, raw values. Calls that set errno return
 * {@code -errno} on failure (the convention of the JDK's CaptureStateUtil and QuickJS's os module);
 * the {@code posix_spawn} family returns its error number itself, as the C functions do. Every call
 * captures errno in the same downcall: reading errno later could see a value the JVM itself left.
 *
 * <p><b>One call shape.</b> Linking a downcall of a new shape costs about 5 ms on first use (a
 * class generated, loaded and compiled), and a first spawn used 17 shapes: 85 ms of a CLI's start on
 * a 2-vCPU VM, after the 35 ms the first link costs anyway. So every function here is called through
 * one shape, {@code long f(long, ...)} with five more {@code long}s, the function's address an
 * argument. That is sound on the Linux ABIs this backend runs on (x86-64 System V, AArch64 AAPCS64,
 * RISC-V LP64; {@link #checkArchitecture} refuses others, and the fallback backend takes over):
 * <ul>
 *   <li>integer and pointer arguments, whatever their C width, go in the first six integer
 *       registers in order, and a callee reads the width it declares; a Java {@code int} widened
 *       to {@code long} is sign-extended, as RISC-V requires of 32-bit values;
 *   <li>registers beyond the arguments a function declares are never read by it;
 *   <li>an {@code int} result is the low 32 bits of the result register, all that is kept;
 *   <li>the call is marked variadic after its first argument, so x86-64's {@code %al} holds the
 *       count of vector registers (0), which variadic callees ({@code fcntl}, {@code open},
 *       {@code syscall}) read; on AArch64 and RISC-V Linux variadic integers go in the same
 *       registers as named ones (unlike macOS, which is why this is the Linux binding).
 * </ul>
 * Pointers are passed as addresses of native memory, which the caller keeps reachable until the
 * call has returned ({@link #address} checks that a segment is native). {@link #read} and
 * {@link #write} keep a shape of their own, linked after the first spawn's: linked critical, they
 * take heap arrays without a copy.
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
    static final int RLIMIT_NOFILE = 7;
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

    static {
        checkArchitecture(System.getProperty("os.arch", ""));
    }

    /** Refuses an architecture whose calling convention the one call shape was not checked for. */
    static void checkArchitecture(String arch) {
        switch (arch) {
            case "amd64", "x86_64", "aarch64", "riscv64" -> { }
            default -> throw new UnsupportedOperationException("spawnkit's Linux binding calls libc through one"
                    + " call shape, checked for x86-64, AArch64 and RISC-V 64 only; this JVM runs on " + arch);
        }
    }

    /** {@code long f(long, ...)}: the function's address, the errno state, then six arguments. */
    private static final MethodHandle CALL = LINKER.downcallHandle(
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG),
            Linker.Option.captureCallState("errno"), Linker.Option.firstVariadicArg(1));

    /**
     * {@code ssize_t read/write(int, void *, size_t)}, the buffer on or off the heap: linked at the
     * first use, or by {@link #linkReadWrite}, since no spawn needs them.
     */
    private static final class ReadWrite {
        static final FunctionDescriptor SHAPE = FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG);
        static final MethodHandle READ = LINKER.downcallHandle(symbol("read"), SHAPE,
                Linker.Option.captureCallState("errno"), Linker.Option.critical(true));
        static final MethodHandle WRITE = LINKER.downcallHandle(symbol("write"), SHAPE,
                Linker.Option.captureCallState("errno"), Linker.Option.critical(true));
    }

    /** Links {@link #read} and {@link #write} now (from {@code Command.prepare()}, after the rest). */
    static void linkReadWrite() {
        Objects.requireNonNull(ReadWrite.READ); // initialises the holder, which links both
    }

    private static MemorySegment symbol(String name) {
        return LOOKUP.find(name).orElseThrow(() -> new UnsatisfiedLinkError("libc has no " + name));
    }

    private static final MemorySegment CLOSE = symbol("close");
    private static final MemorySegment PIPE2 = symbol("pipe2");
    private static final MemorySegment FCNTL = symbol("fcntl");
    private static final MemorySegment OPEN = symbol("open");
    private static final MemorySegment SOCKETPAIR = symbol("socketpair");
    private static final MemorySegment SHUTDOWN = symbol("shutdown");
    private static final MemorySegment EPOLL_CREATE1 = symbol("epoll_create1");
    private static final MemorySegment EPOLL_CTL = symbol("epoll_ctl");
    private static final MemorySegment EPOLL_WAIT = symbol("epoll_wait");
    private static final MemorySegment POLL = symbol("poll");
    private static final MemorySegment EVENTFD = symbol("eventfd");
    private static final MemorySegment WAITPID = symbol("waitpid");
    private static final MemorySegment KILL = symbol("kill");
    private static final MemorySegment GETRLIMIT = symbol("getrlimit");
    private static final MemorySegment GETPID = symbol("getpid");
    private static final MemorySegment SYSCALL = symbol("syscall");
    private static final MemorySegment STRERROR = symbol("strerror");
    /** glibc 2.32. */
    private static final Optional<MemorySegment> STRERRORNAME_NP = LOOKUP.find("strerrorname_np");
    private static final MemorySegment POSIX_SPAWN = symbol("posix_spawn");
    private static final MemorySegment POSIX_SPAWNP = symbol("posix_spawnp");
    private static final MemorySegment DUP2 = symbol("dup2");
    private static final MemorySegment READ = symbol("read");
    private static final MemorySegment WRITE = symbol("write");
    private static final MemorySegment FA_INIT = symbol("posix_spawn_file_actions_init");
    private static final MemorySegment FA_DESTROY = symbol("posix_spawn_file_actions_destroy");
    private static final MemorySegment FA_ADDDUP2 = symbol("posix_spawn_file_actions_adddup2");
    private static final MemorySegment FA_ADDCLOSE = symbol("posix_spawn_file_actions_addclose");
    /** glibc 2.29. */
    static final Optional<MemorySegment> FA_ADDCHDIR_NP = LOOKUP.find("posix_spawn_file_actions_addchdir_np");
    /** glibc 2.34. */
    static final Optional<MemorySegment> FA_ADDCLOSEFROM_NP = LOOKUP.find("posix_spawn_file_actions_addclosefrom_np");
    private static final MemorySegment ATTR_INIT = symbol("posix_spawnattr_init");
    private static final MemorySegment ATTR_DESTROY = symbol("posix_spawnattr_destroy");
    private static final MemorySegment ATTR_SETFLAGS = symbol("posix_spawnattr_setflags");
    private static final MemorySegment ATTR_SETSIGMASK = symbol("posix_spawnattr_setsigmask");
    private static final MemorySegment ATTR_SETSIGDEFAULT = symbol("posix_spawnattr_setsigdefault");
    private static final MemorySegment ATTR_SETPGROUP = symbol("posix_spawnattr_setpgroup");
    private static final MemorySegment SIGEMPTYSET = symbol("sigemptyset");
    private static final MemorySegment SIGFILLSET = symbol("sigfillset");

    static MemorySegment state() {
        return STATE.get();
    }

    private static int errno(MemorySegment st) {
        return (int) ERRNO.get(st, 0L);
    }

    /** The address of native memory, to pass as a pointer (a heap segment has none). */
    private static long address(MemorySegment s) {
        if (!s.isNative()) {
            throw new IllegalArgumentException("not native memory: " + s);
        }
        return s.address();
    }

    /** Calls {@code fn} and returns its raw result register; errno is left in {@code st}. */
    private static long call(MemorySegment fn, MemorySegment st, long a, long b, long c, long d, long e, long f) {
        try {
            return (long) CALL.invokeExact(fn, st, a, b, c, d, e, f);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** A function returning {@code int}, -1 and errno on failure: its result, or {@code -errno}. */
    private static int errnoCall(MemorySegment fn, long a, long b, long c, long d) {
        MemorySegment st = state();
        int r = (int) call(fn, st, a, b, c, d, 0, 0);
        return r >= 0 ? r : -errno(st);
    }

    /** A function returning {@code long}, -1 and errno on failure: its result, or {@code -errno}. */
    private static long errnoCallLong(MemorySegment fn, long a, long b, long c, long d, long e) {
        MemorySegment st = state();
        long r = call(fn, st, a, b, c, d, e, 0);
        return r >= 0 ? r : -errno(st);
    }

    /** A function that returns its error number (the {@code posix_spawn} family), or 0. */
    private static int direct(MemorySegment fn, long a, long b, long c) {
        return (int) call(fn, state(), a, b, c, 0, 0, 0);
    }

    static int close(int fd) {
        return errnoCall(CLOSE, fd, 0, 0, 0);
    }

    static long read(int fd, MemorySegment buf, long count) {
        return readWrite(ReadWrite.READ, fd, buf, count);
    }

    static long write(int fd, MemorySegment buf, long count) {
        return readWrite(ReadWrite.WRITE, fd, buf, count);
    }

    private static long readWrite(MethodHandle h, int fd, MemorySegment buf, long count) {
        MemorySegment st = state();
        long r;
        try {
            r = (long) h.invokeExact(st, fd, buf, count);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
        return r >= 0 ? r : -errno(st);
    }

    /** {@code pipe2(fds, flags)}: fills {@code fds[0]} (read end) and {@code fds[1]}. */
    static int pipe2(MemorySegment fds, int flags) {
        try {
            return errnoCall(PIPE2, address(fds), flags, 0, 0);
        } finally {
            Reference.reachabilityFence(fds);
        }
    }

    /** {@code RLIMIT_NOFILE}'s soft limit (getrlimit(2)), or {@code -errno}. */
    static long softFileLimit() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment rlimit = arena.allocate(JAVA_LONG, 2); // struct rlimit {rlim_cur, rlim_max}
            int r = errnoCall(GETRLIMIT, RLIMIT_NOFILE, address(rlimit), 0, 0);
            return r < 0 ? r : rlimit.getAtIndex(JAVA_LONG, 0);
        }
    }

    static int fcntl(int fd, int cmd, int arg) {
        return errnoCall(FCNTL, fd, cmd, arg, 0);
    }

    static int open(MemorySegment path, int flags, int mode) {
        try {
            return errnoCall(OPEN, address(path), flags, mode, 0);
        } finally {
            Reference.reachabilityFence(path);
        }
    }

    static int socketpair(int domain, int type, int protocol, MemorySegment fds) {
        try {
            return errnoCall(SOCKETPAIR, domain, type, protocol, address(fds));
        } finally {
            Reference.reachabilityFence(fds);
        }
    }

    static int shutdown(int fd, int how) {
        return errnoCall(SHUTDOWN, fd, how, 0, 0);
    }

    static int epoll_create1(int flags) {
        return errnoCall(EPOLL_CREATE1, flags, 0, 0, 0);
    }

    static int epoll_ctl(int epfd, int op, int fd, MemorySegment event) {
        try {
            return errnoCall(EPOLL_CTL, epfd, op, fd, address(event));
        } finally {
            Reference.reachabilityFence(event);
        }
    }

    static int epoll_wait(int epfd, MemorySegment events, int maxEvents, int timeoutMillis) {
        try {
            return errnoCall(EPOLL_WAIT, epfd, address(events), maxEvents, timeoutMillis);
        } finally {
            Reference.reachabilityFence(events);
        }
    }

    /** {@code poll(2)} on an array of {@code struct pollfd {int fd; short events; short revents;}}. */
    static int poll(MemorySegment fds, long nfds, int timeoutMillis) {
        try {
            return errnoCall(POLL, address(fds), nfds, timeoutMillis, 0);
        } finally {
            Reference.reachabilityFence(fds);
        }
    }

    static int eventfd(int initval, int flags) {
        return errnoCall(EVENTFD, initval, flags, 0, 0);
    }

    static int waitpid(int pid, MemorySegment status, int options) {
        try {
            return errnoCall(WAITPID, pid, address(status), options, 0);
        } finally {
            Reference.reachabilityFence(status);
        }
    }

    static int kill(int pid, int sig) {
        return errnoCall(KILL, pid, sig, 0, 0);
    }

    static int getpid() {
        return errnoCall(GETPID, 0, 0, 0, 0);
    }

    /**
     * {@code read(2)} through the ordinary call shape, for a descriptor that may block ({@link #read}
     * is linked critical: blocking in it would hold every other thread at the next safepoint).
     * {@code buf} must be native memory.
     */
    static long readMayBlock(int fd, MemorySegment buf, long count) {
        try {
            return errnoCallLong(READ, fd, address(buf), count, 0, 0);
        } finally {
            Reference.reachabilityFence(buf);
        }
    }

    /** {@code write(2)} for a descriptor that may block; see {@link #readMayBlock}. */
    static long writeMayBlock(int fd, MemorySegment buf, long count) {
        try {
            return errnoCallLong(WRITE, fd, address(buf), count, 0, 0);
        } finally {
            Reference.reachabilityFence(buf);
        }
    }

    static int dup2(int oldfd, int newfd) {
        return errnoCall(DUP2, oldfd, newfd, 0, 0);
    }

    /** {@code pidfd_open(2)}, Linux 5.3. */
    static int pidfd_open(int pid, int flags) {
        return (int) errnoCallLong(SYSCALL, SYS_PIDFD_OPEN, pid, flags, 0, 0);
    }

    /** {@code pidfd_send_signal(2)}, Linux 5.1 (no siginfo, no flags). */
    static int pidfd_send_signal(int pidfd, int sig) {
        return (int) errnoCallLong(SYSCALL, SYS_PIDFD_SEND_SIGNAL, pidfd, sig, 0, 0);
    }

    static String strerror(int errno) {
        return cString(call(STRERROR, state(), errno, 0, 0, 0, 0, 0));
    }

    /** The symbolic name of {@code errno} ("ENOENT"), from glibc when it knows, else our table. */
    static String errnoName(int errno) {
        if (STRERRORNAME_NP.isPresent()) {
            long s = call(STRERRORNAME_NP.get(), state(), errno, 0, 0, 0, 0, 0);
            if (s != 0) {
                return cString(s);
            }
        }
        return Errno.name(errno);
    }

    /** The NUL-terminated string at {@code address}, which libc owns. */
    private static String cString(long address) {
        return MemorySegment.ofAddress(address).reinterpret(Long.MAX_VALUE).getString(0);
    }

    static int posix_spawn_file_actions_init(MemorySegment fa) {
        return onSegment(FA_INIT, fa, 0, 0);
    }

    static int posix_spawn_file_actions_destroy(MemorySegment fa) {
        return onSegment(FA_DESTROY, fa, 0, 0);
    }

    static int posix_spawn_file_actions_adddup2(MemorySegment fa, int fd, int newfd) {
        return onSegment(FA_ADDDUP2, fa, fd, newfd);
    }

    static int posix_spawn_file_actions_addclose(MemorySegment fa, int fd) {
        return onSegment(FA_ADDCLOSE, fa, fd, 0);
    }

    static int posix_spawn_file_actions_addchdir_np(MemorySegment fa, MemorySegment path) {
        try {
            return onSegment(FA_ADDCHDIR_NP.orElseThrow(), fa, address(path), 0);
        } finally {
            Reference.reachabilityFence(path);
        }
    }

    static int posix_spawn_file_actions_addclosefrom_np(MemorySegment fa, int from) {
        return onSegment(FA_ADDCLOSEFROM_NP.orElseThrow(), fa, from, 0);
    }

    static int posix_spawnattr_init(MemorySegment attr) {
        return onSegment(ATTR_INIT, attr, 0, 0);
    }

    static int posix_spawnattr_destroy(MemorySegment attr) {
        return onSegment(ATTR_DESTROY, attr, 0, 0);
    }

    static int posix_spawnattr_setflags(MemorySegment attr, short flags) {
        return onSegment(ATTR_SETFLAGS, attr, flags, 0);
    }

    static int posix_spawnattr_setsigmask(MemorySegment attr, MemorySegment sigset) {
        try {
            return onSegment(ATTR_SETSIGMASK, attr, address(sigset), 0);
        } finally {
            Reference.reachabilityFence(sigset);
        }
    }

    static int posix_spawnattr_setsigdefault(MemorySegment attr, MemorySegment sigset) {
        try {
            return onSegment(ATTR_SETSIGDEFAULT, attr, address(sigset), 0);
        } finally {
            Reference.reachabilityFence(sigset);
        }
    }

    static int posix_spawnattr_setpgroup(MemorySegment attr, int pgroup) {
        return onSegment(ATTR_SETPGROUP, attr, pgroup, 0);
    }

    static int sigemptyset(MemorySegment set) {
        return onSegment(SIGEMPTYSET, set, 0, 0);
    }

    static int sigfillset(MemorySegment set) {
        return onSegment(SIGFILLSET, set, 0, 0);
    }

    /** A function of the {@code posix_spawn} family on the object at {@code s}, with two more arguments. */
    private static int onSegment(MemorySegment fn, MemorySegment s, long b, long c) {
        try {
            return direct(fn, address(s), b, c);
        } finally {
            Reference.reachabilityFence(s);
        }
    }

    static int posix_spawn(MemorySegment pid, MemorySegment path, MemorySegment fileActions,
            MemorySegment attr, MemorySegment argv, MemorySegment envp) {
        try {
            return (int) call(POSIX_SPAWN, state(), address(pid), address(path), address(fileActions),
                    address(attr), address(argv), address(envp));
        } finally {
            Reference.reachabilityFence(pid);
            Reference.reachabilityFence(path);
            Reference.reachabilityFence(fileActions);
            Reference.reachabilityFence(attr);
            Reference.reachabilityFence(argv);
            Reference.reachabilityFence(envp);
        }
    }

    /** {@code posix_spawnp}: a {@code file} without a slash is looked up in this process's PATH. */
    static int posix_spawnp(MemorySegment pid, MemorySegment file, MemorySegment fileActions,
            MemorySegment attr, MemorySegment argv, MemorySegment envp) {
        try {
            return (int) call(POSIX_SPAWNP, state(), address(pid), address(file), address(fileActions),
                    address(attr), address(argv), address(envp));
        } finally {
            Reference.reachabilityFence(pid);
            Reference.reachabilityFence(file);
            Reference.reachabilityFence(fileActions);
            Reference.reachabilityFence(attr);
            Reference.reachabilityFence(argv);
            Reference.reachabilityFence(envp);
        }
    }

    /**
     * {@code fd}, or, when it is 0, 1 or 2, a close-on-exec copy of it at 3 or above, {@code fd}
     * closed; {@code -errno} (and {@code fd} closed) when no copy could be made. Every descriptor
     * spawnkit makes goes through this: when this process runs with its own stdin, stdout or stderr
     * closed, a new descriptor takes the lowest free number, and a descriptor of ours sitting on 1
     * would be what a child told to inherit our stdout gets (CPython moves its error pipe off
     * 0..2 for the same reason). A negative {@code fd} (a failed call's -errno) is returned as is.
     */
    static int aboveStdio(int fd) {
        if (fd < 0 || fd > 2) {
            return fd;
        }
        int copy = fcntl(fd, F_DUPFD_CLOEXEC, 3);
        close(fd);
        return copy;
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
