package io.spawnkit.os;

import io.spawnkit.internal.EnvBlock;
import io.spawnkit.internal.linux.LinuxOs;
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
 * <p><b>{@link #exec}</b> starts the child with {@code posix_spawn} (or {@code posix_spawnp} when
 * {@link ExecOptions#usePath()}), so a failed start is reported by the call itself, as
 * {@code -errno}, and leaves no child; QuickJS forks and exits the child with 127 instead. The child
 * gets fd 0, 1 and 2 from the options and no other descriptor (QuickJS closes 3 and above too), an
 * empty signal mask and every signal at its default. Blocking, it returns the exit code, or
 * {@code -signal} when a signal ended the child ({@code -9} for SIGKILL), exactly as QuickJS does:
 * that negative number is a signal number, not an errno; a failed start is still {@code -errno}.
 * Non-blocking, it returns the pid, which the caller reaps with {@link #waitpid}: a child never
 * waited for stays a zombie, and its pidfd (below) stays open, until this JVM exits.
 *
 * <p><b>Living with the high-level API.</b> spawnkit's event loop reaps only its own children, one
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
 * <p><b>Platforms.</b> Linux only for now, with native access granted to spawnkit
 * ({@code --enable-native-access}); elsewhere, and without native access (where the high-level API
 * falls back to {@link ProcessBuilder}), every method except the pure status macros throws
 * {@link UnsupportedOperationException} naming Linux. Windows is a later step: there the status
 * will be {@code exitCode << 8}, {@code WIFEXITED} always true and {@code WIFSIGNALED} always false.
 * The constants are Linux's numbers.
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
     */
    public record WaitResult(int pid, int status) {}

    /**
     * The options of {@link #exec}; start from {@link #DEFAULTS} and change what differs.
     *
     * @param block   wait for the child and return its exit code (default), else return its pid
     * @param usePath look a program name without '/' up in this process's PATH (default true)
     * @param file    the program to run; null (default) runs {@code args.get(0)}, which is otherwise
     *                only the child's {@code argv[0]}
     * @param cwd     the child's working directory; null (default) keeps ours. Needs glibc 2.29
     *                ({@code -ENOSYS} before); a missing directory fails the exec with {@code -ENOENT}
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
        /** Null when the Linux calls work here, else why not. */
        static final String PROBLEM = probe();

        private static String probe() {
            String os = System.getProperty("os.name", "an unknown OS");
            if (!os.toLowerCase(Locale.ROOT).startsWith("linux")) {
                return "needs Linux; this is " + os;
            }
            try {
                LinuxOs.getpid();
                return null;
            } catch (IllegalCallerException | LinkageError | UnsupportedOperationException e) {
                Throwable why = e instanceof ExceptionInInitializerError && e.getCause() != null ? e.getCause() : e;
                return "needs Linux with native access granted to spawnkit (--enable-native-access=io.spawnkit"
                        + " or ALL-UNNAMED); here the native calls cannot run: " + why;
            }
        }
    }

    private static void requireLinux(String what) {
        String problem = Availability.PROBLEM;
        if (problem != null) {
            throw new UnsupportedOperationException("Os." + what + " " + problem);
        }
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
     * {@code -signal} when a signal ended the child. Non-blocking: the pid, for {@link #waitpid}.
     * A failed start: {@code -errno} ({@code -ENOENT}: no such program or working directory,
     * {@code -EACCES}, {@code -EBADF}: a given descriptor is not open), and no child.
     *
     * @throws IllegalArgumentException {@code args} is empty, or a string holds NUL
     */
    public static int exec(List<String> args, ExecOptions options) {
        requireLinux("exec");
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
     * {@code pid} 0 or below -1, process groups being unsupported).
     */
    public static WaitResult waitpid(int pid, int options) {
        requireLinux("waitpid");
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
     * dup2s it into place, and the copy there is not close-on-exec.
     *
     * @return the two ends, or a one-element array {@code {-errno}} when the call fails
     */
    public static int[] pipe() {
        requireLinux("pipe");
        int[] fds = new int[2];
        int r = LinuxOs.pipe(fds);
        return r < 0 ? new int[] {r} : fds;
    }

    /** A copy of {@code fd}: close-on-exec, numbered 3 or above (unlike C's dup, the lowest free one). */
    public static int dup(int fd) {
        requireLinux("dup");
        return LinuxOs.dup(fd);
    }

    /** C's {@code dup2}: {@code newFd} becomes a copy of {@code oldFd}, not close-on-exec; returns {@code newFd}. */
    public static int dup2(int oldFd, int newFd) {
        requireLinux("dup2");
        return LinuxOs.dup2(oldFd, newFd);
    }

    /** Closes {@code fd}: 0 or {@code -errno}. */
    public static int close(int fd) {
        requireLinux("close");
        return LinuxOs.close(fd);
    }

    /** Reads at most {@code len} bytes into {@code buf[off...]}: the count (0 at end of file) or {@code -errno}. Blocks. */
    public static int read(int fd, byte[] buf, int off, int len) {
        requireLinux("read");
        Objects.checkFromIndexSize(off, len, buf.length);
        return LinuxOs.read(fd, buf, off, len);
    }

    /** Writes at most {@code len} bytes from {@code buf[off...]}: the count (maybe fewer) or {@code -errno}. Blocks. */
    public static int write(int fd, byte[] buf, int off, int len) {
        requireLinux("write");
        Objects.checkFromIndexSize(off, len, buf.length);
        return LinuxOs.write(fd, buf, off, len);
    }

    // ---- signals and ids ------------------------------------------------------------------------

    /** Sends {@code sig} to {@code pid} (C's {@code kill}, process groups included): 0 or {@code -errno}. */
    public static int kill(int pid, int sig) {
        requireLinux("kill");
        return LinuxOs.kill(pid, sig);
    }

    /** This process's pid. */
    public static int getpid() {
        requireLinux("getpid");
        return LinuxOs.getpid();
    }

    /** "ENOENT (No such file or directory)" for an errno (positive or negated). */
    public static String strerror(int errno) {
        requireLinux("strerror");
        return LinuxOs.describe(Math.abs(errno));
    }
}
