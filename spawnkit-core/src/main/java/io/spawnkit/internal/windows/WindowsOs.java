package io.spawnkit.internal.windows;

import static io.spawnkit.internal.linux.Errno.EPERM;
import static io.spawnkit.internal.linux.Errno.ENOENT;
import static io.spawnkit.internal.linux.Errno.ESRCH;
import static io.spawnkit.internal.linux.Errno.EINTR;
import static io.spawnkit.internal.linux.Errno.E2BIG;
import static io.spawnkit.internal.linux.Errno.ENOEXEC;
import static io.spawnkit.internal.linux.Errno.EBADF;
import static io.spawnkit.internal.linux.Errno.ECHILD;
import static io.spawnkit.internal.linux.Errno.ENOMEM;
import static io.spawnkit.internal.linux.Errno.EACCES;
import static io.spawnkit.internal.linux.Errno.ENOTDIR;
import static io.spawnkit.internal.linux.Errno.EINVAL;
import static io.spawnkit.internal.linux.Errno.EMFILE;
import static io.spawnkit.internal.linux.Errno.EPIPE;
import static io.spawnkit.internal.linux.Errno.ENOSYS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import io.spawnkit.SpawnException;
import io.spawnkit.internal.Native;
import io.spawnkit.internal.linux.Errno;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The calls {@link io.spawnkit.os.Os} makes on Windows: the bridge from the public
 * {@code io.spawnkit.os} package to {@link Kernel32} and {@link Ucrt}, shaped like the Linux
 * bridge ({@code LinuxOs}): results {@code >= 0}, failures as {@code -errno} in Linux's numbering,
 * which {@code Os}'s constants use on every platform.
 *
 * <p><b>Descriptors</b> are the C runtime's ({@link Ucrt}), shared with the JVM, where 0, 1 and 2
 * exist from the start. {@code exec} hands a child descriptor {@code n}'s Win32 handle
 * ({@code _get_osfhandle}) as its standard handle, through an inheritable duplicate made for that
 * one spawn, named in a PROC_THREAD_ATTRIBUTE_HANDLE_LIST and closed right after CreateProcessW, the
 * way {@link WindowsBackend} does it ({@link ProcessStart}, shared with the backend).
 *
 * <p><b>Children.</b> A non-blocking {@code exec} keeps the child's process handle in a table
 * (pid to handle) until {@link #waitpid} reaps it; holding the handle keeps the pid from being
 * reused meanwhile. Waits look only at that table: a child of the high-level API (whose handle
 * belongs to the event loop) is never seen, and {@code waitpid} of any other pid is {@code -ECHILD}.
 * The status of an exit is {@code exitCode << 8}: Os's {@code WIFEXITED} is then always true,
 * {@code WIFSIGNALED} and {@code WIFSTOPPED} false, {@code WEXITSTATUS} the low 8 bits; the whole
 * 32-bit code comes separately ({@link Reaped#exitCode()}).
 *
 * <p><b>Only compiled so far</b> except for the pure parts ({@link #errnoOf}, {@link #describe},
 * {@link #status}): this was written on Linux, and the Windows CI job runs {@code WindowsOsTest}.
 */
public final class WindowsOs {
    private WindowsOs() {}

    /** Os's option bits, the same numbers. */
    public static final int WNOHANG = 1;
    static final int WUNTRACED = 2;
    static final int WCONTINUED = 8;

    // errno numbers: Linux's, as Os names them (Errno, imported above)

    static final int SIGINT = 2;
    static final int SIGKILL = 9;
    static final int SIGTERM = 15;

    /** The exit code TerminateProcess gives a child killed by {@link #kill} (libuv's choice too). */
    public static final int KILLED_EXIT_CODE = 1;

    // Win32 errors Win32Constants does not name
    static final int ERROR_INVALID_DRIVE = 15;
    static final int ERROR_CALL_NOT_IMPLEMENTED = 120;
    static final int ERROR_MOD_NOT_FOUND = 126;
    static final int ERROR_WAIT_NO_CHILDREN = 128;
    static final int ERROR_CHILD_NOT_COMPLETE = 129;
    static final int ERROR_NOT_ENOUGH_QUOTA = 1816;

    /** How long a blocking wait sleeps in WaitForMultipleObjects before looking again (an interrupt shows then). */
    static final int POLL_MILLIS = 50;
    /** MAXIMUM_WAIT_OBJECTS: a wait for more children sleeps on the first 64 and polls the others. */
    static final int MAX_WAIT = 64;

    /**
     * What {@link #waitpid} returns: the pid (0 with WNOHANG when nothing exited, {@code -errno} on
     * failure), the status ({@link #status}) and the child's whole exit code (0 when no child exited).
     */
    public record Reaped(int pid, int status, int exitCode) {
        static Reaped failed(int errno) {
            return new Reaped(-errno, 0, 0);
        }
    }

    /** A child of a non-blocking exec: its handle, closed once reaped and no thread is using it. */
    private static final class Child {
        final int pid;
        final long handle;
        /** Threads waiting on or signalling {@link #handle} outside the lock; guarded by {@link #CHILDREN}. */
        int users;
        boolean reaped;

        Child(int pid, long handle) {
            this.pid = pid;
            this.handle = handle;
        }
    }

    /** The children of a non-blocking exec not reaped yet, in start order. Guarded by itself. */
    private static final Map<Integer, Child> CHILDREN = new LinkedHashMap<>();

    // ---- pure -----------------------------------------------------------------------------------------

    /**
     * The wait status of an exit with {@code exitCode}: {@code exitCode << 8}, so that Os's
     * (Linux) macros read it as an exit, {@code WEXITSTATUS} giving the low 8 bits (POSIX's exit
     * status is 8 bits too; {@code 0xC0000005}'s is 5).
     */
    public static int status(int exitCode) {
        return exitCode << 8;
    }

    /**
     * A Win32 error (GetLastError) as a Linux errno, after the C runtime's {@code _dosmaperr} and
     * libuv's {@code uv_translate_sys_error}.
     *
     * <table class="striped">
     *   <caption>Win32 error to errno</caption>
     *   <tr><th>Win32 error</th><th>errno</th></tr>
     *   <tr><td>FILE_NOT_FOUND, PATH_NOT_FOUND, INVALID_NAME, BAD_PATHNAME, INVALID_DRIVE (15),
     *       MOD_NOT_FOUND (126), DIRECTORY (a bad working directory)</td><td>ENOENT</td></tr>
     *   <tr><td>ACCESS_DENIED, SHARING_VIOLATION, ELEVATION_REQUIRED</td><td>EACCES</td></tr>
     *   <tr><td>PRIVILEGE_NOT_HELD</td><td>EPERM</td></tr>
     *   <tr><td>INVALID_HANDLE</td><td>EBADF</td></tr>
     *   <tr><td>BAD_EXE_FORMAT, EXE_MACHINE_TYPE_MISMATCH</td><td>ENOEXEC</td></tr>
     *   <tr><td>NOT_ENOUGH_MEMORY, OUTOFMEMORY, NO_SYSTEM_RESOURCES, COMMITMENT_LIMIT,
     *       NOT_ENOUGH_QUOTA (1816)</td><td>ENOMEM</td></tr>
     *   <tr><td>TOO_MANY_OPEN_FILES</td><td>EMFILE</td></tr>
     *   <tr><td>FILENAME_EXCED_RANGE (a command line or path too long)</td><td>E2BIG</td></tr>
     *   <tr><td>BROKEN_PIPE, NO_DATA</td><td>EPIPE</td></tr>
     *   <tr><td>WAIT_NO_CHILDREN (128), CHILD_NOT_COMPLETE (129)</td><td>ECHILD</td></tr>
     *   <tr><td>NOT_SUPPORTED, CALL_NOT_IMPLEMENTED (120)</td><td>ENOSYS</td></tr>
     *   <tr><td>anything else (INVALID_PARAMETER, BAD_ENVIRONMENT, ...)</td><td>EINVAL, as the CRT does</td></tr>
     * </table>
     */
    public static int errnoOf(int win32Error) {
        return switch (win32Error) {
            case Win32Constants.ERROR_FILE_NOT_FOUND, Win32Constants.ERROR_PATH_NOT_FOUND,
                    Win32Constants.ERROR_INVALID_NAME, Win32Constants.ERROR_BAD_PATHNAME, ERROR_INVALID_DRIVE, ERROR_MOD_NOT_FOUND,
                    Win32Constants.ERROR_DIRECTORY -> ENOENT;
            case Win32Constants.ERROR_ACCESS_DENIED, Win32Constants.ERROR_SHARING_VIOLATION,
                    Win32Constants.ERROR_ELEVATION_REQUIRED -> EACCES;
            case Win32Constants.ERROR_PRIVILEGE_NOT_HELD -> EPERM;
            case Win32Constants.ERROR_INVALID_HANDLE -> EBADF;
            case Win32Constants.ERROR_BAD_EXE_FORMAT, Win32Constants.ERROR_EXE_MACHINE_TYPE_MISMATCH -> ENOEXEC;
            case Win32Constants.ERROR_NOT_ENOUGH_MEMORY, Win32Constants.ERROR_OUTOFMEMORY,
                    Win32Constants.ERROR_NO_SYSTEM_RESOURCES, Win32Constants.ERROR_COMMITMENT_LIMIT,
                    ERROR_NOT_ENOUGH_QUOTA -> ENOMEM;
            case Win32Constants.ERROR_TOO_MANY_OPEN_FILES -> EMFILE;
            case Win32Constants.ERROR_FILENAME_EXCED_RANGE -> E2BIG;
            case Win32Constants.ERROR_BROKEN_PIPE, Win32Constants.ERROR_NO_DATA -> EPIPE;
            case ERROR_WAIT_NO_CHILDREN, ERROR_CHILD_NOT_COMPLETE -> ECHILD;
            case Win32Constants.ERROR_NOT_SUPPORTED, ERROR_CALL_NOT_IMPLEMENTED -> ENOSYS;
            default -> EINVAL;
        };
    }

    /**
     * A failed CreateProcessW's errno: {@link #errnoOf}, except that ERROR_DIRECTORY (the working
     * directory is unusable) is ENOTDIR when {@code cwd} exists but is not a directory, ENOENT
     * otherwise, as posix_spawn's chdir reports them on Linux.
     */
    static int createProcessErrno(int win32Error, String cwd) {
        if (win32Error == Win32Constants.ERROR_DIRECTORY && cwd != null) {
            try {
                Path p = Path.of(cwd);
                if (Files.exists(p) && !Files.isDirectory(p)) {
                    return ENOTDIR;
                }
            } catch (InvalidPathException e) {
                return ENOENT;
            }
        }
        return errnoOf(win32Error);
    }

    /** glibc's strerror wording for Linux errno 0 to 39 (their names: {@link Errno#name}). */
    private static final String[] ERRNO_MESSAGES = {
        "Success",
        "Operation not permitted",
        "No such file or directory",
        "No such process",
        "Interrupted system call",
        "Input/output error",
        "No such device or address",
        "Argument list too long",
        "Exec format error",
        "Bad file descriptor",
        "No child processes",
        "Resource temporarily unavailable",
        "Cannot allocate memory",
        "Permission denied",
        "Bad address",
        "Block device required",
        "Device or resource busy",
        "File exists",
        "Invalid cross-device link",
        "No such device",
        "Not a directory",
        "Is a directory",
        "Invalid argument",
        "Too many open files in system",
        "Too many open files",
        "Inappropriate ioctl for device",
        "Text file busy",
        "File too large",
        "No space left on device",
        "Illegal seek",
        "Read-only file system",
        "Too many links",
        "Broken pipe",
        "Numerical argument out of domain",
        "Numerical result out of range",
        "Resource deadlock avoided",
        "File name too long",
        "No locks available",
        "Function not implemented",
        "Directory not empty",
    };

    /**
     * "ENOENT (No such file or directory)" for a Linux errno, in glibc's words, for errno 1 to 39
     * (what the CRT can report, once translated); "errno 84" beyond.
     */
    public static String describe(int errno) {
        if (errno > 0 && errno < ERRNO_MESSAGES.length) {
            return Errno.name(errno) + " (" + ERRNO_MESSAGES[errno] + ")";
        }
        return "errno " + errno;
    }

    /** A CRT call's result with its errno in Linux's numbering. */
    private static int crt(int r) {
        return r >= 0 ? r : -Ucrt.toLinuxErrno(-r);
    }

    // ---- exec -----------------------------------------------------------------------------------------

    /**
     * Starts {@code argv}; blocking, waits and returns the exit code's low 8 bits (so a result
     * below 0 is always a failed start), otherwise returns the pid, for {@link #waitpid}.
     *
     * @param file     the program, or null for {@code argv[0]}
     * @param usePath  look a name without a directory part up in this process's PATH, with PATHEXT
     *                 ({@link WindowsProgramLocator}; the current directory is not searched); otherwise
     *                 the name is taken as is, made absolute against {@code cwd} (no ".exe" is added)
     * @param cwd      the child's working directory, or null for ours
     * @param env      "NAME=value" entries, or null for this JVM's environment
     * @param stdin    the CRT descriptor whose handle becomes the child's standard input; -1 for our fd 0
     *                 (none when ours is not open)
     * @return the exit code or pid, or {@code -errno}: ENOENT (no such program or directory), ENOTDIR,
     *         EACCES, ENOEXEC, EBADF (a given descriptor is not open), EINVAL (an argument a batch file
     *         cannot be given safely), and then no child exists
     * @throws IllegalArgumentException {@code argv[0]} holds a {@code "}, which no Windows command line can carry
     */
    public static int exec(List<String> argv, String file, boolean usePath, String cwd, List<String> env,
            int stdin, int stdout, int stderr, boolean block) {
        String program = file != null ? file : argv.get(0);
        String exe;
        String app;
        String commandLine;
        try {
            exe = usePath
                    ? WindowsProgramLocator.locate(program, System.getenv("PATH"), System.getenv("PATHEXT"), cwd, false,
                            WindowsOs::isFile, program)
                    : absolute(program, cwd);
            if (exe == null) {
                return -ENOENT;
            }
            if (BatchFiles.isBatchFile(exe)) {
                app = ProcessStart.comSpec();
                commandLine = BatchFiles.commandLine(app, exe, argv.subList(1, argv.size()), program);
            } else {
                app = exe;
                commandLine = WindowsCommandLine.build(argv, false);
            }
        } catch (SpawnException e) {
            return -e.errno(); // ENOENT from the locator, EINVAL from BatchFiles: Linux's numbers already
        }
        char[] envBlock = env == null ? null : WindowsEnvironment.block(env, System.getenv("SystemRoot"));
        int[] given = {stdin, stdout, stderr};
        long[] std = new long[3];
        for (int fd = 0; fd < 3; fd++) {
            long h = Ucrt._get_osfhandle(given[fd] < 0 ? fd : given[fd]);
            if (h == -1 || h == 0) {
                if (given[fd] >= 0) {
                    return -EBADF;
                }
                h = 0; // ours is not open: the child has none
            }
            std[fd] = h;
        }
        long[] started = new long[3];
        int err = createProcess(app, commandLine, envBlock, cwd, std, started);
        if (err != 0) {
            return -err;
        }
        long process = started[0];
        Kernel32.CloseHandle(started[1]);
        int pid = (int) started[2];
        if (!block) {
            synchronized (CHILDREN) {
                CHILDREN.put(pid, new Child(pid, process));
            }
            return pid;
        }
        // Not in CHILDREN, so no waitpid(-1) of another thread can take it from us.
        try {
            if (Kernel32.WaitForSingleObject(process, Win32Constants.INFINITE) == Win32Constants.WAIT_FAILED) {
                return -errnoOf(Kernel32.lastError());
            }
            long code = exitCode(process);
            return code < 0 ? -errnoOf(Kernel32.lastError()) : (int) (code & 0xff);
        } finally {
            Kernel32.CloseHandle(process);
        }
    }

    private static boolean isFile(String path) {
        try {
            return Files.isRegularFile(Path.of(path));
        } catch (InvalidPathException e) {
            return false;
        }
    }

    /**
     * lpApplicationName for a program run without a PATH search: CreateProcessW would take a
     * relative name against this process's directory, not the child's, so it is made absolute
     * against {@code cwd} here (as posix_spawn's chdir-then-exec does); null when it is no path.
     */
    static String absolute(String program, String cwd) {
        try {
            Path p = Path.of(program);
            if (p.isAbsolute()) {
                return program;
            }
            return (cwd == null ? p.toAbsolutePath() : Path.of(cwd).toAbsolutePath().resolve(p)).toString();
        } catch (InvalidPathException e) {
            return null;
        }
    }

    /**
     * {@link ProcessStart#create} with {@code std} (0: none) as the standard handles, each through an
     * inheritable duplicate named in the handle list and closed before returning. Fills
     * {@code out} with {hProcess, hThread, pid}; returns 0 or the errno (positive).
     */
    private static int createProcess(String app, String commandLine, char[] env, String cwd, long[] std, long[] out) {
        String directory;
        try {
            directory = cwd == null ? null : Path.of(cwd).toAbsolutePath().toString();
        } catch (InvalidPathException e) {
            return ENOENT; // no such directory can exist
        }
        List<Long> duplicates = new ArrayList<>();
        try (Arena arena = Arena.ofConfined()) {
            long[] childStd = ProcessStart.standardHandles(arena, std, duplicates);
            List<Long> handleList = ProcessStart.distinct(childStd);
            int flags = Win32Constants.CREATE_UNICODE_ENVIRONMENT
                    | (handleList.isEmpty() ? 0 : Win32Constants.EXTENDED_STARTUPINFO_PRESENT);
            long[] started = ProcessStart.create(arena, app, commandLine, env, directory, childStd, handleList, null, -1,
                    flags);
            System.arraycopy(started, 0, out, 0, 3);
            return 0;
        } catch (NamedPipes.Failure f) {
            return f.call.equals("CreateProcessW") ? createProcessErrno(f.error, cwd) : errnoOf(f.error);
        } finally {
            for (long h : duplicates) {
                Kernel32.CloseHandle(h);
            }
        }
    }

    /** GetExitCodeProcess's DWORD (0..2^32-1), or -1 when it fails (then see lastError). */
    private static long exitCode(long process) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment code = arena.allocate(JAVA_INT);
            return Kernel32.GetExitCodeProcess(process, code) == 0 ? -1 : Integer.toUnsignedLong(code.get(JAVA_INT, 0));
        }
    }

    // ---- waitpid --------------------------------------------------------------------------------------

    /**
     * Waits for {@code pid} ({@code > 0}) or any ({@code -1}) child of a non-blocking {@link #exec}.
     * A blocking wait sleeps in WaitForMultipleObjects at most {@link #POLL_MILLIS} at a time, so an
     * interrupted thread gets {@code -EINTR} (its interrupt status kept) and a child started by
     * another thread meanwhile is noticed. WUNTRACED and WCONTINUED are accepted and change nothing:
     * a Windows process is never stopped.
     *
     * @return {pid, status, exit code}; {0, 0, 0} with WNOHANG when nothing exited; {@code -ECHILD}
     *         when there is no such child of ours (never reaped yet by another thread, never a child of
     *         the high-level API), {@code -EINVAL} for {@code pid} 0 or below -1 or unknown options
     */
    public static Reaped waitpid(int pid, int options) {
        if (pid == 0 || pid < -1 || (options & ~(WNOHANG | WUNTRACED | WCONTINUED)) != 0) {
            return Reaped.failed(EINVAL);
        }
        while (true) {
            List<Child> sleepOn;
            synchronized (CHILDREN) {
                List<Child> candidates = new ArrayList<>();
                if (pid > 0) {
                    Child c = CHILDREN.get(pid);
                    if (c != null) {
                        candidates.add(c);
                    }
                } else {
                    candidates.addAll(CHILDREN.values());
                }
                if (candidates.isEmpty()) {
                    return Reaped.failed(ECHILD);
                }
                for (Child c : candidates) {
                    int w = Kernel32.WaitForSingleObject(c.handle, 0);
                    if (w == Win32Constants.WAIT_OBJECT_0) {
                        long code = exitCode(c.handle);
                        if (code < 0) {
                            return Reaped.failed(errnoOf(Kernel32.lastError()));
                        }
                        forget(c);
                        return new Reaped(c.pid, status((int) code), (int) code);
                    }
                    if (w == Win32Constants.WAIT_FAILED) {
                        return Reaped.failed(errnoOf(Kernel32.lastError()));
                    }
                }
                if ((options & WNOHANG) != 0) {
                    return new Reaped(0, 0, 0);
                }
                if (Thread.currentThread().isInterrupted()) {
                    return Reaped.failed(EINTR);
                }
                sleepOn = candidates.subList(0, Math.min(MAX_WAIT, candidates.size()));
                sleepOn.forEach(c -> c.users++); // their handles stay open until we are back
            }
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment handles = arena.allocate(JAVA_LONG, sleepOn.size());
                for (int i = 0; i < sleepOn.size(); i++) {
                    handles.setAtIndex(JAVA_LONG, i, sleepOn.get(i).handle);
                }
                // whatever it returns, the next round decides under the lock
                Kernel32.WaitForMultipleObjects(sleepOn.size(), handles, 0, POLL_MILLIS);
            } finally {
                synchronized (CHILDREN) {
                    sleepOn.forEach(WindowsOs::release);
                }
            }
        }
    }

    /** Drops a reaped child; its handle is closed now or by its last user. The caller holds the lock. */
    private static void forget(Child c) {
        CHILDREN.remove(c.pid);
        c.reaped = true;
        if (c.users == 0) {
            Kernel32.CloseHandle(c.handle);
        }
    }

    /** One user done with {@code c}'s handle. The caller holds the lock. */
    private static void release(Child c) {
        if (--c.users == 0 && c.reaped) {
            Kernel32.CloseHandle(c.handle);
        }
    }

    // ---- kill -----------------------------------------------------------------------------------------

    /**
     * libuv's uv_kill: signal 0 asks whether {@code pid} still runs (0, or {@code -ESRCH} once it
     * has exited, even while not reaped: unlike a POSIX zombie); SIGKILL, SIGTERM and SIGINT end it
     * with TerminateProcess, exit code {@link #KILLED_EXIT_CODE} (1); {@code -ESRCH} when it had
     * already exited; any other signal from 1 to 64 is {@code -ENOSYS}. {@code -EINVAL} for a
     * signal outside 0..64 or a pid of 0 or below (there are no process groups here); {@code -EPERM}
     * when the process may not be opened or ended by us.
     */
    public static int kill(int pid, int sig) {
        if (sig < 0 || sig > 64 || pid <= 0) {
            return -EINVAL;
        }
        if (sig != 0 && sig != SIGKILL && sig != SIGTERM && sig != SIGINT) {
            return -ENOSYS;
        }
        Child ours;
        synchronized (CHILDREN) {
            ours = CHILDREN.get(pid);
            if (ours != null) {
                ours.users++;
            }
        }
        if (ours != null) {
            try {
                return signal(ours.handle, sig);
            } finally {
                synchronized (CHILDREN) {
                    release(ours);
                }
            }
        }
        int access = Win32Constants.PROCESS_QUERY_LIMITED_INFORMATION | Win32Constants.SYNCHRONIZE
                | (sig == 0 ? 0 : Win32Constants.PROCESS_TERMINATE);
        long h = Kernel32.OpenProcess(access, 0, pid);
        if (h == 0) {
            int err = Kernel32.lastError();
            return err == Win32Constants.ERROR_INVALID_PARAMETER ? -ESRCH // no such pid
                    : err == Win32Constants.ERROR_ACCESS_DENIED ? -EPERM : -errnoOf(err);
        }
        try {
            return signal(h, sig);
        } finally {
            Kernel32.CloseHandle(h);
        }
    }

    private static int signal(long h, int sig) {
        if (sig == 0) {
            return exited(h) ? -ESRCH : 0;
        }
        if (Kernel32.TerminateProcess(h, KILLED_EXIT_CODE) != 0) {
            return 0;
        }
        int err = Kernel32.lastError();
        if (err == Win32Constants.ERROR_ACCESS_DENIED) {
            return exited(h) ? -ESRCH : -EPERM; // an exited process refuses TerminateProcess with ACCESS_DENIED
        }
        return -errnoOf(err);
    }

    /** True once the process has exited: its handle is signalled (an exit code of 259 is no proof either way). */
    private static boolean exited(long h) {
        return Kernel32.WaitForSingleObject(h, 0) == Win32Constants.WAIT_OBJECT_0;
    }

    // ---- descriptors ----------------------------------------------------------------------------------

    /** {@code _pipe(_O_BINARY | _O_NOINHERIT)}: 0 and the two descriptors in {@code fds}, or {@code -errno}. */
    public static int pipe(int[] fds) {
        return crt(Ucrt._pipe(fds));
    }

    /**
     * {@code _dup(fd)} (the lowest free descriptor), whose handle is then made non-inheritable, as
     * Linux's copy is close-on-exec: only our own handle lists pass a handle to a child.
     */
    public static int dup(int fd) {
        int copy = crt(Ucrt._dup(fd));
        if (copy >= 0) {
            long h = Ucrt._get_osfhandle(copy);
            if (h != -1) {
                Kernel32.SetHandleInformation(h, Win32Constants.HANDLE_FLAG_INHERIT, 0);
            }
        }
        return copy;
    }

    /** {@code _dup2(oldFd, newFd)}: {@code newFd} (the CRT returns 0), or {@code -errno}. */
    public static int dup2(int oldFd, int newFd) {
        int r = crt(Ucrt._dup2(oldFd, newFd));
        return r < 0 ? r : newFd;
    }

    public static int close(int fd) {
        return crt(Ucrt._close(fd));
    }

    /** {@code _read} into {@code buf[off, off + len)} through a native buffer. */
    public static int read(int fd, byte[] buf, int off, int len) {
        return Native.readVia(buf, off, len, nat -> crt(Ucrt._read(fd, nat, len)));
    }

    /**
     * {@code _write} from {@code buf[off, off + len)} through a native buffer. A pipe whose reader
     * has gone is {@code -EPIPE}, as on POSIX: the CRT says EINVAL there (it maps neither
     * ERROR_NO_DATA nor, in {@code _write}, ERROR_BROKEN_PIPE to EPIPE), so the Win32 error decides.
     */
    public static int write(int fd, byte[] buf, int off, int len) {
        return Native.writeVia(buf, off, len, nat -> {
            int r = crt(Ucrt._write(fd, nat, len));
            return r < 0 && r != -EBADF && isBrokenPipe(Ucrt.lastError()) ? -EPIPE : r;
        });
    }

    /** ERROR_NO_DATA or ERROR_BROKEN_PIPE: the other end of the pipe is closed. */
    static boolean isBrokenPipe(int win32Error) {
        return win32Error == Win32Constants.ERROR_NO_DATA || win32Error == Win32Constants.ERROR_BROKEN_PIPE;
    }

    public static int getpid() {
        return Kernel32.GetCurrentProcessId();
    }

    /** Links kernel32 and ucrtbase now (the availability probe): throws where they cannot be linked. */
    public static void link() {
        Kernel32.GetCurrentProcessId();
        Ucrt._get_osfhandle(0);
    }
}
