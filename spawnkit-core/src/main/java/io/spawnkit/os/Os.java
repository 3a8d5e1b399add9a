package io.spawnkit.os;

import io.spawnkit.internal.EnvBlock;
import io.spawnkit.internal.linux.LinuxOs;
import io.spawnkit.internal.windows.WindowsOs;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * QuickJS's {@code os} process calls for Java: {@code exec}, {@code waitpid} and the wait-status
 * macros, {@code pipe}, {@code dup}, {@code dup2}, {@code close}, {@code read}, {@code write},
 * {@code kill}, {@code getpid}. Thin and blocking, for code ported from scripts and for tests;
 * {@link io.spawnkit.Command} is the everyday API.
 *
 * <p><b>Results.</b> As in QuickJS (and the JDK's {@code CaptureStateUtil}), a call returns its
 * result when it is {@code >= 0} and {@code -errno} when it fails: {@code Os.close(99)} is
 * {@code -EBADF}, an {@link #exec} of a missing program {@code -ENOENT}. Nothing here throws for a
 * failed system call; a programming error (null or empty arguments, a NUL in a string, a range
 * outside an array) throws as usual. {@link #strerror} names an error number.
 *
 * <p><b>{@link #exec}</b> on Linux starts the child with {@code posix_spawn} (or {@code posix_spawnp} when
 * {@link ExecOptions#usePath()}), so a failed start is reported by the call itself, as
 * {@code -errno}, and leaves no child; QuickJS forks and exits the child with 127 instead. The child
 * gets fd 0, 1 and 2 from the options and no other descriptor (QuickJS closes 3 and above too), an
 * empty signal mask and every signal at its default. Blocking, it returns the exit code, or
 * {@code -signal} when a signal ended the child ({@code -9} for SIGKILL), exactly as QuickJS does:
 * that negative number is a signal number, not an errno; a failed start is still {@code -errno}.
 * Non-blocking, it returns the pid, which the caller reaps with {@link #waitpid}: a child never
 * waited for stays a zombie, and its pidfd (below) stays open, until this JVM exits.
 *
 * <p><b>Living with the high-level API</b> (Linux; Windows below). spawnkit's event loop reaps only its own children, one
 * by one, by pidfd or {@code waitpid(pid)} -- never {@code waitpid(-1)} -- so a child started here
 * is never reaped behind the caller's back. The other way round, a real {@code waitpid(-1)} would
 * reap a {@link io.spawnkit.ChildProcess}'s exit and leave it without a status; so
 * {@link #waitpid}{@code (-1, ...)} here waits only for children started by a non-blocking
 * {@link #exec}:
 * <ul>
 *   <li>each such child is remembered with a pidfd (Linux 5.3) opened right after the spawn;
 *   <li>every reap of one of them is a {@code waitpid(pid, options | WNOHANG)} made under one lock,
 *       for pids still remembered, so two threads never reap the same pid, and a pid reaped (and
 *       perhaps reused by a high-level child) is never waited for again;
 *   <li>a blocking wait polls the pidfds of the children it waits for, at most 50 ms at a time,
 *       then tries again: an exit wakes it at once; a stop or continue ({@link #WUNTRACED},
 *       {@link #WCONTINUED}), a child started by another thread meanwhile, or a kernel without
 *       pidfd is noticed within 50 ms;
 *   <li>with none of them left, {@code waitpid(-1, ...)} returns {@code -ECHILD}, even while
 *       high-level children run.
 * </ul>
 * {@code waitpid(pid, ...)} for a pid that {@code exec} did not start non-blocking (a blocking
 * {@code exec} reaps its own child) is the plain system call: waiting for a high-level child's pid
 * that way does reap it, and that child's {@code onExit} then fails. Process groups are not
 * supported: {@code waitpid(0, ...)} and {@code waitpid(-pgid, ...)} return {@code -EINVAL}. A
 * blocking wait cannot be interrupted while in {@code waitpid(pid, 0)} for a pid not started here;
 * in the polling loop an interrupted thread gets {@code -EINTR} (its interrupt status kept).
 *
 * <p><b>Platforms.</b> Linux and Windows, with native access granted to spawnkit
 * ({@code --enable-native-access}); elsewhere (macOS included, for now), and without native access
 * (where the high-level API falls back to {@link ProcessBuilder}), every method except the pure
 * status macros throws {@link UnsupportedOperationException} saying what is missing. The
 * constants are Linux's numbers on both: a Windows failure is translated to the Linux errno
 * ({@code -ENOENT}, {@code -EBADF}, ...).
 *
 * <p><b>Windows.</b> As in QuickJS built for Windows, the descriptors are the C runtime's
 * (ucrtbase.dll, which this JVM uses too: fd 0, 1 and 2 are its standard streams) and a pid is a
 * Windows process id. What differs from Linux:
 * <ul>
 *   <li>{@link #exec} runs CreateProcessW. With {@link ExecOptions#usePath()} a name without a
 *       directory part is looked up in this process's PATH with the extensions of PATHEXT (not in
 *       the current directory); without it the name is a path, taken against {@code cwd}, with its
 *       extension ({@code .exe} is not added). A {@code .bat} or {@code .cmd} runs through
 *       System32's {@code cmd.exe} with its arguments quoted for cmd ({@code -EINVAL} for one no
 *       quoting can pass). The child's standard handles are the handles of the given descriptors;
 *       it inherits no other handle.
 *   <li>Blocking, {@code exec} returns the exit code's low 8 bits, as a POSIX status carries it,
 *       so that a negative result is always a failed start; {@link WaitResult#exitCode()} has the
 *       whole 32-bit code of a child reaped by {@link #waitpid}.
 *   <li>The status {@link #waitpid} gives is {@code exitCode << 8}: {@link #WIFEXITED} is always
 *       true, {@link #WIFSIGNALED} and {@link #WIFSTOPPED} always false, {@link #WEXITSTATUS} the
 *       low 8 bits. {@link #WUNTRACED} and {@link #WCONTINUED} are accepted and change nothing.
 *   <li>{@code waitpid} sees only children of a non-blocking {@code exec}: any other pid,
 *       a high-level child's included, is {@code -ECHILD} (there is no plain system call to fall
 *       back on). A child's process handle is kept until it is reaped, so its pid is not reused
 *       meanwhile. A blocking wait polls every 50 ms at most, an interrupt giving {@code -EINTR}.
 *   <li>{@link #kill}: signal 0 tells whether the process still runs ({@code -ESRCH} once it has
 *       exited, reaped or not: unlike a POSIX zombie); {@link #SIGKILL}, {@link #SIGTERM} and
 *       {@link #SIGINT} end it at once with TerminateProcess and <b>exit code 1</b>, as libuv does
 *       ({@code -ESRCH} when it had exited already); other signals are {@code -ENOSYS}; a pid of 0
 *       or below is {@code -EINVAL} (no process groups).
 *   <li>{@link #pipe} and {@link #dup} give the lowest free descriptors (0 to 2 included, when
 *       those are closed), their handles not inheritable; pipes are binary, 64 KiB. The standard
 *       descriptors 0 to 2 are in text mode (CR-LF translation) unless changed.
 *   <li>Errors of the C runtime are translated to Linux's errno numbers (its ENOSYS is 40, for
 *       one); {@link #strerror} names them in glibc's words.
 * </ul>
 *
 * {@snippet :
 * int[] p = Os.pipe();                                   // [readFd, writeFd], close-on-exec
 * int pid = Os.exec(List.of("sh", "-c", "echo hi"),
 *         Os.ExecOptions.DEFAULTS.block(false).stdout(p[1]));
 * Os.close(p[1]);                                        // the child has its own copy
 * byte[] buf = new byte[100];
 * int n = Os.read(p[0], buf, 0, buf.length);             // "hi\n"
 * Os.close(p[0]);
 * Os.WaitResult w = Os.waitpid(pid, 0);
 * if (Os.WIFEXITED(w.status())) System.out.println(Os.WEXITSTATUS(w.status()));
 * }
 */
public final class Os {
    private Os() {}

    /** {@code waitpid}: return at once ({@code pid} 0) when no child has changed state. */
    public static final int WNOHANG = 1;
    /** {@code waitpid}: report stopped children too ({@link #WIFSTOPPED}). */
    public static final int WUNTRACED = 2;
    /** {@code waitpid}: report children continued by SIGCONT too ({@link #WIFCONTINUED}). */
    public static final int WCONTINUED = 8;

    public static final int SIGHUP = 1;
    public static final int SIGINT = 2;
    public static final int SIGQUIT = 3;
    public static final int SIGABRT = 6;
    public static final int SIGKILL = 9;
    public static final int SIGUSR1 = 10;
    public static final int SIGSEGV = 11;
    public static final int SIGUSR2 = 12;
    public static final int SIGPIPE = 13;
    public static final int SIGALRM = 14;
    public static final int SIGTERM = 15;
    public static final int SIGCHLD = 17;
    public static final int SIGCONT = 18;
    public static final int SIGSTOP = 19;
    public static final int SIGTSTP = 20;

    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    public static final int ESRCH = 3;
    public static final int EINTR = 4;
    public static final int EBADF = 9;
    public static final int ECHILD = 10;
    public static final int EAGAIN = 11;
    public static final int EACCES = 13;
    public static final int ENOTDIR = 20;
    public static final int EINVAL = 22;
    public static final int EPIPE = 32;
    public static final int ENOSYS = 38;

    /** How long a blocking wait polls the pidfds before looking again (see the class comment). */
    private static final int POLL_MILLIS = 50;

    /**
     * The result of {@link #waitpid}: the pid that changed state and its raw status; with
     * {@link #WNOHANG} {@code pid} 0 when none did; {@code -errno} and status 0 on failure.
     *
     * @param exitCode the child's whole exit code when it exited: on Linux {@link #WEXITSTATUS}
     *                 (0..255); on Windows all 32 bits of GetExitCodeProcess, which the status
     *                 cannot hold ({@code 0xC0000005}, an access violation, is negative here);
     *                 0 when no child exited (pid 0 or {@code -errno}, a signal, a stop)
     */
    public record WaitResult(int pid, int status, int exitCode) {
        /** A result whose exit code is read from the status: {@link #WEXITSTATUS} when the child exited. */
        public WaitResult(int pid, int status) {
            this(pid, status, pid > 0 && WIFEXITED(status) ? WEXITSTATUS(status) : 0);
        }
    }

    /**
     * The options of {@link #exec}; start from {@link #DEFAULTS} and change what differs.
     *
     * @param block   wait for the child and return its exit code (default), else return its pid
     * @param usePath look a program name without '/' up in this process's PATH (default true; on
     *                Windows a name without a directory part, with PATHEXT's extensions)
     * @param file    the program to run; null (default) runs {@code args.get(0)}, which is otherwise
     *                only the child's {@code argv[0]}
     * @param cwd     the child's working directory; null (default) keeps ours. Needs glibc 2.29 on
     *                Linux ({@code -ENOSYS} before); a missing directory fails the exec with
     *                {@code -ENOENT}, a file that is no directory with {@code -ENOTDIR}
     * @param env     the child's whole environment; null (default) passes this JVM's
     * @param stdin   the descriptor the child gets as fd 0; -1 (default) passes ours
     * @param stdout  the descriptor the child gets as fd 1; -1 (default) passes ours
     * @param stderr  the descriptor the child gets as fd 2; -1 (default) passes ours
     */
    public record ExecOptions(boolean block, boolean usePath, String file, Path cwd, Map<String, String> env,
            int stdin, int stdout, int stderr) {
        /** Blocking, PATH lookup, ours for everything else. */
        public static final ExecOptions DEFAULTS = new ExecOptions(true, true, null, null, null, -1, -1, -1);

        public ExecOptions {
            if (env != null) {
                env = Map.copyOf(env);
            }
        }

        public ExecOptions block(boolean block) {
            return new ExecOptions(block, usePath, file, cwd, env, stdin, stdout, stderr);
        }

        public ExecOptions usePath(boolean usePath) {
            return new ExecOptions(block, usePath, file, cwd, env, stdin, stdout, stderr);
        }

        public ExecOptions file(String file) {
            return new ExecOptions(block, usePath, file, cwd, env, stdin, stdout, stderr);
        }

        public ExecOptions cwd(Path cwd) {
            return new ExecOptions(block, usePath, file, cwd, env, stdin, stdout, stderr);
        }

        public ExecOptions env(Map<String, String> env) {
            return new ExecOptions(block, usePath, file, cwd, env, stdin, stdout, stderr);
        }

        public ExecOptions stdin(int fd) {
            return new ExecOptions(block, usePath, file, cwd, env, fd, stdout, stderr);
        }

        public ExecOptions stdout(int fd) {
            return new ExecOptions(block, usePath, file, cwd, env, stdin, fd, stderr);
        }

        public ExecOptions stderr(int fd) {
            return new ExecOptions(block, usePath, file, cwd, env, stdin, stdout, fd);
        }
    }

    // ---- availability ---------------------------------------------------------------------------

    private static final class Availability {
        /** Windows: the calls go to WindowsOs; otherwise to LinuxOs. */
        static final boolean WINDOWS =
                System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
        /** Null when the native calls work here, else why not. */
        static final String PROBLEM = probe();

        private static String probe() {
            String os = System.getProperty("os.name", "an unknown OS");
            if (!WINDOWS && !os.toLowerCase(Locale.ROOT).startsWith("linux")) {
                return "needs Linux or Windows; this is " + os;
            }
            try {
                if (WINDOWS) {
                    WindowsOs.link();
                } else {
                    LinuxOs.getpid();
                }
                return null;
            } catch (IllegalCallerException | LinkageError | UnsupportedOperationException e) {
                Throwable why = e instanceof ExceptionInInitializerError && e.getCause() != null ? e.getCause() : e;
                return "needs " + (WINDOWS ? "Windows" : "Linux") + " with native access granted to spawnkit"
                        + " (--enable-native-access=io.spawnkit or ALL-UNNAMED); here the native calls cannot run: " + why;
            }
        }
    }

    /** Throws unless the native calls work here; then true on Windows (use WindowsOs), false on Linux. */
    private static boolean onWindows(String what) {
        String problem = Availability.PROBLEM;
        if (problem != null) {
            throw new UnsupportedOperationException("Os." + what + " " + problem);
        }
        return Availability.WINDOWS;
    }

    // ---- exec and waitpid -----------------------------------------------------------------------

    /** The children of a non-blocking exec not reaped yet: pid -> pidfd (-1 without one). Guarded by itself. */
    private static final Map<Integer, Integer> CHILDREN = new LinkedHashMap<>();
    /**
     * Cleared when pidfd_open is refused for good (ENOSYS, EPERM, EINVAL); then waits only poll.
     * {@code -Dspawnkit.linux.pidfd=false} clears it from the start, as for the Linux backend (tests).
     */
    private static volatile boolean pidfdUsable = !"false".equals(System.getProperty("spawnkit.linux.pidfd"));

    /**
     * Runs {@code args} (QuickJS's {@code os.exec}). Blocking (the default): the exit code, or
     * {@code -signal} when a signal ended the child (on Windows the exit code's low 8 bits).
     * Non-blocking: the pid, for {@link #waitpid}.
     * A failed start: {@code -errno} ({@code -ENOENT}: no such program or working directory,
     * {@code -EACCES}, {@code -EBADF}: a given descriptor is not open), and no child.
     *
     * @throws IllegalArgumentException {@code args} is empty, or a string holds NUL; on Windows also
     *         when {@code args.get(0)} holds a {@code "}, which no command line can carry
     */
    public static int exec(List<String> args, ExecOptions options) {
        boolean windows = onWindows("exec");
        Objects.requireNonNull(options, "options");
        if (args.isEmpty()) {
            throw new IllegalArgumentException("exec needs at least the program in args");
        }
        for (String a : args) {
            EnvBlock.requireNoNul(a, "argument");
        }
        if (options.file() != null) {
            EnvBlock.requireNoNul(options.file(), "file");
        }
        List<String> env = options.env() == null ? null : EnvBlock.of(options.env()).entries();
        String cwd = options.cwd() == null ? null : options.cwd().toString();
        if (windows) {
            return WindowsOs.exec(args, options.file(), options.usePath(), cwd, env, options.stdin(), options.stdout(),
                    options.stderr(), options.block());
        }
        if (!options.block()) {
            synchronized (CHILDREN) { // a concurrent waitpid(-1) polls what it saw; it finds this pid next time
                int pid = spawn(args, options, cwd, env);
                if (pid > 0) {
                    CHILDREN.put(pid, pidfdFor(pid));
                }
                return pid;
            }
        }
        int pid = spawn(args, options, cwd, env);
        if (pid < 0) {
            return pid;
        }
        // Not remembered in CHILDREN, so no waitpid(-1) of another thread can take it from us.
        int[] status = new int[1];
        while (true) {
            int r = LinuxOs.waitpid(pid, status, 0);
            if (r < 0) {
                return r; // ECHILD: SIGCHLD is ignored in this process, the kernel reaped it
            }
            if (WIFEXITED(status[0])) {
                return WEXITSTATUS(status[0]);
            }
            if (WIFSIGNALED(status[0])) {
                return -WTERMSIG(status[0]);
            }
        }
    }

    private static int spawn(List<String> args, ExecOptions o, String cwd, List<String> env) {
        return LinuxOs.spawn(args, o.file(), o.usePath(), cwd, env, o.stdin(), o.stdout(), o.stderr());
    }

    private static int pidfdFor(int pid) {
        if (!pidfdUsable) {
            return -1;
        }
        int fd = LinuxOs.pidfdOpen(pid);
        if (fd == -ENOSYS || fd == -EPERM || fd == -EINVAL) {
            pidfdUsable = false; // Linux < 5.3 or a seccomp filter: waits poll every 50 ms
        }
        return Math.max(fd, -1); // EMFILE: this child's waits poll
    }

    /**
     * Waits for a child (QuickJS's {@code os.waitpid}): {@code pid > 0} that child, {@code -1} any
     * child started by a non-blocking {@link #exec} (never one of the high-level API: see the class
     * comment). Options: {@link #WNOHANG}, {@link #WUNTRACED}, {@link #WCONTINUED}. Returns
     * {@code {pid, raw status}}; {@code {0, 0}} with WNOHANG when nothing changed yet;
     * {@code {-errno, 0}} on failure ({@code -ECHILD}: no such child of ours, {@code -EINVAL}:
     * {@code pid} 0 or below -1, process groups being unsupported). On Windows see the class
     * comment: only children of a non-blocking exec are seen, the status is {@code exitCode << 8}.
     */
    public static WaitResult waitpid(int pid, int options) {
        if (onWindows("waitpid")) {
            WindowsOs.Reaped r = WindowsOs.waitpid(pid, options);
            return new WaitResult(r.pid(), r.status(), r.exitCode());
        }
        if (pid == 0 || pid < -1) {
            return new WaitResult(-EINVAL, 0);
        }
        if (pid > 0) {
            boolean ours;
            synchronized (CHILDREN) {
                ours = CHILDREN.containsKey(pid);
            }
            if (!ours) {
                int[] status = new int[1];
                int r = LinuxOs.waitpid(pid, status, options);
                return new WaitResult(r, status[0]);
            }
        }
        return waitOurs(pid, options);
    }

    /** Waits for {@code only} ({@code > 0}) or any ({@code -1}) child in {@link #CHILDREN}. */
    private static WaitResult waitOurs(int only, int options) {
        int[] status = new int[1];
        while (true) {
            int[] pidfds;
            synchronized (CHILDREN) {
                List<Integer> pids = new ArrayList<>();
                if (only > 0) {
                    if (CHILDREN.containsKey(only)) {
                        pids.add(only);
                    }
                } else {
                    pids.addAll(CHILDREN.keySet());
                }
                if (pids.isEmpty()) {
                    return new WaitResult(-ECHILD, 0); // reaped meanwhile by another thread, or none left
                }
                for (int p : pids) {
                    int r = LinuxOs.waitpid(p, status, options | WNOHANG);
                    if (r > 0) {
                        if (WIFEXITED(status[0]) || WIFSIGNALED(status[0])) {
                            forget(p);
                        }
                        return new WaitResult(r, status[0]);
                    }
                    if (r == -ECHILD) {
                        forget(p); // reaped by a plain waitpid of its pid, or SIGCHLD ignored
                        if (only > 0) {
                            return new WaitResult(r, 0);
                        }
                    } else if (r < 0) {
                        return new WaitResult(r, 0); // EINVAL (bad options): the child is still ours to wait for
                    }
                }
                if ((options & WNOHANG) != 0) {
                    return new WaitResult(0, 0);
                }
                pidfds = pids.stream().map(CHILDREN::get).filter(fd -> fd != null && fd >= 0)
                        .mapToInt(Integer::intValue).toArray();
            }
            if (Thread.currentThread().isInterrupted()) {
                return new WaitResult(-EINTR, 0);
            }
            // A pidfd closed (and its number reused) between here and the poll only wakes us early
            // or late by POLL_MILLIS: what we reap is decided under the lock above.
            LinuxOs.pollReadable(pidfds, POLL_MILLIS);
        }
    }

    /** Drops a reaped child; the caller holds the lock. */
    private static void forget(int pid) {
        Integer pidfd = CHILDREN.remove(pid);
        if (pidfd != null && pidfd >= 0) {
            LinuxOs.close(pidfd);
        }
    }

    // ---- the status macros (Linux's encoding: <sys/wait.h>) ---------------------------------------

    /** The child exited normally. */
    public static boolean WIFEXITED(int status) {
        return (status & 0x7f) == 0;
    }

    /** Its exit code, when {@link #WIFEXITED}. */
    public static int WEXITSTATUS(int status) {
        return (status >> 8) & 0xff;
    }

    /** A signal ended the child. */
    public static boolean WIFSIGNALED(int status) {
        return ((byte) ((status & 0x7f) + 1) >> 1) > 0;
    }

    /** The signal that ended it, when {@link #WIFSIGNALED}. */
    public static int WTERMSIG(int status) {
        return status & 0x7f;
    }

    /** The child ended with a core dump, when {@link #WIFSIGNALED}. */
    public static boolean WCOREDUMP(int status) {
        return (status & 0x80) != 0;
    }

    /** The child is stopped (reported with {@link #WUNTRACED}). */
    public static boolean WIFSTOPPED(int status) {
        return (status & 0xff) == 0x7f;
    }

    /** The signal that stopped it, when {@link #WIFSTOPPED}. */
    public static int WSTOPSIG(int status) {
        return WEXITSTATUS(status);
    }

    /** The child was continued by SIGCONT (reported with {@link #WCONTINUED}). */
    public static boolean WIFCONTINUED(int status) {
        return status == 0xffff;
    }

    // ---- descriptors ----------------------------------------------------------------------------

    /**
     * A pipe: {@code [readFd, writeFd]}, both close-on-exec and numbered 3 or above. Give an end to
     * a child through {@link ExecOptions#stdin(int)}/{@code stdout}/{@code stderr}: the spawn
     * dup2s it into place, and the copy there is not close-on-exec. On Windows: binary, not
     * inheritable, the lowest free descriptors.
     *
     * @return the two ends, or a one-element array {@code {-errno}} when the call fails
     */
    public static int[] pipe() {
        boolean windows = onWindows("pipe");
        int[] fds = new int[2];
        int r = windows ? WindowsOs.pipe(fds) : LinuxOs.pipe(fds);
        return r < 0 ? new int[] {r} : fds;
    }

    /**
     * A copy of {@code fd}: close-on-exec, numbered 3 or above (unlike C's dup, the lowest free one).
     * On Windows the lowest free one, its handle not inheritable.
     */
    public static int dup(int fd) {
        return onWindows("dup") ? WindowsOs.dup(fd) : LinuxOs.dup(fd);
    }

    /** C's {@code dup2}: {@code newFd} becomes a copy of {@code oldFd}, not close-on-exec; returns {@code newFd}. */
    public static int dup2(int oldFd, int newFd) {
        return onWindows("dup2") ? WindowsOs.dup2(oldFd, newFd) : LinuxOs.dup2(oldFd, newFd);
    }

    /** Closes {@code fd}: 0 or {@code -errno}. */
    public static int close(int fd) {
        return onWindows("close") ? WindowsOs.close(fd) : LinuxOs.close(fd);
    }

    /** Reads at most {@code len} bytes into {@code buf[off...]}: the count (0 at end of file) or {@code -errno}. Blocks. */
    public static int read(int fd, byte[] buf, int off, int len) {
        boolean windows = onWindows("read");
        Objects.checkFromIndexSize(off, len, buf.length);
        return windows ? WindowsOs.read(fd, buf, off, len) : LinuxOs.read(fd, buf, off, len);
    }

    /** Writes at most {@code len} bytes from {@code buf[off...]}: the count (maybe fewer) or {@code -errno}. Blocks. */
    public static int write(int fd, byte[] buf, int off, int len) {
        boolean windows = onWindows("write");
        Objects.checkFromIndexSize(off, len, buf.length);
        return windows ? WindowsOs.write(fd, buf, off, len) : LinuxOs.write(fd, buf, off, len);
    }

    // ---- signals and ids ------------------------------------------------------------------------

    /**
     * Sends {@code sig} to {@code pid} (C's {@code kill}, process groups included): 0 or
     * {@code -errno}. On Windows only 0, SIGKILL, SIGTERM and SIGINT, the last three ending the
     * process with exit code 1 (see the class comment).
     */
    public static int kill(int pid, int sig) {
        return onWindows("kill") ? WindowsOs.kill(pid, sig) : LinuxOs.kill(pid, sig);
    }

    /** This process's pid. */
    public static int getpid() {
        return onWindows("getpid") ? WindowsOs.getpid() : LinuxOs.getpid();
    }

    /** "ENOENT (No such file or directory)" for an errno (positive or negated). */
    public static String strerror(int errno) {
        return onWindows("strerror") ? WindowsOs.describe(Math.abs(errno)) : LinuxOs.describe(Math.abs(errno));
    }
}
