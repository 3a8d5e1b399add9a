package io.spawnkit.internal.jdk;

import io.spawnkit.SpawnException;
import io.spawnkit.Stdio;
import io.spawnkit.internal.Backend;
import io.spawnkit.internal.EnvBlock;
import io.spawnkit.internal.NativeChild;
import io.spawnkit.internal.SpawnRequest;
import io.spawnkit.internal.Timers;
import io.spawnkit.internal.WindowsOptions;
import io.spawnkit.internal.windows.WindowsProgramLocator;
import java.io.File;
import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The fallback backend: children started by {@link ProcessBuilder}, for platforms without a native
 * backend or when this JVM denies native access. It needs nothing beyond {@code java.base}.
 *
 * <p>What it gives: descriptors 0, 1 and 2 inherited, ignored, from or to a file, piped, fed with
 * bytes, or stderr merged into stdout ({@code 2>&1}); the environment and working directory; the
 * exit status; {@code TERM} and {@code KILL}.
 *
 * <p>What it refuses, with an {@link UnsupportedOperationException} naming the feature, before any
 * child is started: a file to execute distinct from {@code argv[0]}, a new process group or session,
 * a pipe size, descriptors above 2, another of this JVM's descriptors under a different number,
 * {@code n>&m} other than {@code 2>&1}, a file opened against the direction of its descriptor,
 * duplex pipes, pipes running against the direction of their descriptor, another child's output
 * (pipelines), and every signal other than {@code TERM} and {@code KILL}.
 *
 * <p>Limits that remain, all inherited from {@link ProcessBuilder}:
 * <ul>
 *   <li>The child sees the resolved executable path as {@code argv[0]} ({@code /usr/bin/ls}, not
 *       {@code ls}): {@code ProcessBuilder} has no separate program path.
 *   <li>A death by signal is reported by the JDK as exit value 128 + the signal number, which
 *       cannot be told apart from {@code exit(128 + n)}; see {@code JdkChild} for how that is
 *       decoded. Core dumps are never reported.
 *   <li>Relative paths of {@link Stdio#from(Path)}, {@link Stdio#to(Path)} and
 *       {@link Stdio#appendTo(Path)} are opened by this JVM, against its own working directory,
 *       not the child's.
 *   <li>Threads, not an event loop: the JDK parks one "process reaper" thread per running child,
 *       and every piped stream is read or written by a daemon platform thread of its own (not a
 *       virtual thread: one blocked in a pipe holds its carrier, and a few hundred of them stall
 *       every other virtual thread of the JVM). Futures complete on those threads or on the common
 *       {@link java.util.concurrent.ForkJoinPool}.
 *   <li>On Windows, {@code TERM} terminates the child at once (exit code 1), as
 *       {@link ProcessHandle#destroy()} does there.
 * </ul>
 *
 * <p>Timers run on one daemon thread, {@code spawnkit-jdk-timer}, shared by every instance and
 * started on first use.
 */
public final class JdkBackend implements Backend {
    static final String BACKEND = "the jdk backend (ProcessBuilder)";

    private static final boolean WINDOWS =
            System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
    private static final File NULL_DEVICE = new File(WINDOWS ? "NUL" : "/dev/null");

    /*
     * The JDK's wording of an exec failure depends on the launch mechanism:
     *   error=2, No such file or directory                 FORK and VFORK; CreateProcess on Windows
     *   Exec failed, error: 2 (No such file or directory)  POSIX_SPAWN through jspawnhelper (JDK 25)
     * and a redirect file that cannot be opened gives FileNotFoundException's "/x/y (Permission denied)".
     */
    private static final Pattern ERRNO_COMMA = Pattern.compile("error=(\\d+), ?(.*)$", Pattern.DOTALL);
    // not anchored at the end: JDK 25 may add "Possible reasons: ..." lines after it (EMFILE)
    private static final Pattern ERRNO_PAREN = Pattern.compile("error: (\\d+) \\(([^()]*)\\)");
    private static final Pattern STRERROR_PAREN = Pattern.compile("\\(([^()]+)\\)\\s*$");

    public JdkBackend() {
    }

    @Override
    public String name() {
        return "jdk";
    }

    @Override
    public Timers timers() {
        return TimerThread.INSTANCE;
    }

    /** On Windows the program is found as Windows finds it (PATH and PATHEXT), else as execvp does. */
    @Override
    public String locate(String name, EnvBlock env, Path directory, WindowsOptions windows, String program) {
        return WINDOWS ? WindowsProgramLocator.locate(name, env, directory, windows.searchCurrentDirectory(), program)
                : Backend.super.locate(name, env, directory, windows, program);
    }

    /**
     * Starts the child with {@link ProcessBuilder#start()}. Every option is checked before the
     * child exists: an unsupported one throws {@link UnsupportedOperationException} and nothing
     * is started.
     */
    @Override
    public NativeChild spawn(SpawnRequest request) {
        if (!request.program().equals(request.argv().get(0))) {
            throw unsupported("executing a file (" + request.program() + ") distinct from argv[0] ("
                    + request.argv().get(0) + ")");
        }
        if (request.newSession()) {
            throw unsupported("a new session");
        }
        if (request.newProcessGroup()) {
            throw unsupported("a new process group");
        }
        if (request.pipeSize() > 0) {
            throw unsupported("a pipe size (" + request.pipeSize() + " bytes)");
        }
        if (!request.transferred().isEmpty()) {
            // Only a native ByteSource can detach a descriptor, and this backend has none.
            throw unsupported("handing another child's pipe over (descriptors " + request.transferred() + ")");
        }
        for (int fd : request.stdio().keySet()) {
            if (fd > 2) {
                throw unsupported("descriptor " + fd + " (only 0, 1 and 2 can be set)");
            }
        }
        Map<Integer, Stdio> stdio = request.stdio();
        Stdio in = stdio.getOrDefault(0, Stdio.inherit());
        Stdio out = stdio.getOrDefault(1, Stdio.inherit());
        Stdio err = stdio.getOrDefault(2, Stdio.inherit());

        List<String> command = new ArrayList<>(request.argv().size());
        command.add(request.executable());
        command.addAll(request.argv().subList(1, request.argv().size()));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.redirectInput(redirect(0, in));
        pb.redirectOutput(redirect(1, out));
        if (err instanceof Stdio.SameAs) {
            redirect(2, err); // throws unless it is 2>&1
            pb.redirectErrorStream(true);
        } else {
            pb.redirectError(redirect(2, err));
        }
        Map<String, String> env = pb.environment();
        env.clear();
        for (String entry : request.env().entries()) {
            int eq = entry.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("environment entry is not NAME=VALUE: \"" + entry + "\"");
            }
            env.put(entry.substring(0, eq), entry.substring(eq + 1));
        }
        if (request.directory() != null) {
            pb.directory(request.directory().toFile());
        }

        Process process;
        try {
            process = pb.start();
        } catch (IOException e) {
            throw startFailure(e, request);
        }
        JdkChild child = new JdkChild(process,
                in instanceof Stdio.Pipe || in instanceof Stdio.Bytes,
                out instanceof Stdio.Pipe,
                err instanceof Stdio.Pipe);
        if (in instanceof Stdio.Bytes bytes) {
            StreamTarget stdin = child.input(0);
            // Nobody else holds this target's futures: a child that exits without reading its
            // stdin fails them, and that is not an error of the spawn.
            stdin.write(ByteBuffer.wrap(bytes.data()));
            stdin.close();
        }
        return child;
    }

    /** The redirect for {@code stdio} on child descriptor {@code fd} (0, 1 or 2), or a refusal. */
    private static Redirect redirect(int fd, Stdio stdio) {
        return switch (stdio) {
            case Stdio.Inherit _ -> Redirect.INHERIT;
            // DISCARD is an output redirect only; stdin reads the null device instead.
            case Stdio.Ignore _ -> fd == 0 ? Redirect.from(NULL_DEVICE) : Redirect.DISCARD;
            case Stdio.ReadFile(Path path) -> {
                if (fd != 0) {
                    throw unsupported("a file opened for reading (" + path + ") on descriptor " + fd);
                }
                yield Redirect.from(path.toFile());
            }
            case Stdio.WriteFile(Path path, boolean append) -> {
                if (fd == 0) {
                    throw unsupported("a file opened for writing (" + path + ") on descriptor 0");
                }
                yield append ? Redirect.appendTo(path.toFile()) : Redirect.to(path.toFile());
            }
            case Stdio.ParentFd(int parentFd) -> {
                if (parentFd != fd) {
                    throw unsupported("this JVM's descriptor " + parentFd + " as the child's descriptor " + fd);
                }
                yield Redirect.INHERIT;
            }
            case Stdio.SameAs(int target) -> {
                if (fd != 2 || target != 1) {
                    throw unsupported("descriptor " + fd + " the same as descriptor " + target + " (only 2>&1)");
                }
                yield null; // redirectErrorStream(true), set by the caller
            }
            case Stdio.Pipe pipe -> {
                Stdio.Direction direction = pipe.directionFor(fd);
                if (direction == Stdio.Direction.DUPLEX) {
                    throw unsupported("a duplex pipe (socket pair) on descriptor " + fd);
                }
                if (fd == 0 && direction == Stdio.Direction.CHILD_WRITES) {
                    throw unsupported("a pipe the child writes on descriptor 0");
                }
                if (fd != 0 && direction == Stdio.Direction.CHILD_READS) {
                    throw unsupported("a pipe the child reads on descriptor " + fd);
                }
                yield Redirect.PIPE;
            }
            case Stdio.Bytes _ -> {
                if (fd != 0) {
                    throw unsupported("bytes fed to descriptor " + fd);
                }
                yield Redirect.PIPE;
            }
            case Stdio.FromChild _ -> throw unsupported("another child's output as descriptor " + fd + " (pipelines)");
        };
    }

    /**
     * An unstarted daemon platform thread to block on one pipe. Not a virtual thread: one blocked
     * reading a pipe holds its carrier, and a few hundred children then stall every other virtual
     * thread of the JVM (measured: 200 children with two idle pipes each held back an unrelated
     * virtual thread for 5.6 s).
     */
    static Thread pipeThread(String name, Runnable task) {
        return Thread.ofPlatform().daemon().name(name).stackSize(256 * 1024).unstarted(task);
    }

    static UnsupportedOperationException unsupported(String feature) {
        return new UnsupportedOperationException(feature + " is not supported by " + BACKEND);
    }

    /**
     * Turns {@link ProcessBuilder#start()}'s {@link IOException} into a {@link SpawnException}. The
     * JDK wraps the error in "Cannot run program ...: "; the detail is the error it wraps.
     *
     * <pre>
     *   wrapped error                                        errno  name                 detail
     *   error=2, No such file or directory                       2  ENOENT               No such file or directory
     *   Exec failed, error: 13 (Permission denied)              13  EACCES               Permission denied
 *   error: 24 (Too many open files) Possible reasons: ...   24  EMFILE               Too many open files
     *   error=99, Something                                     99  errno 99             Something
     *   /in.txt (Permission denied)   (a redirect file)         13  EACCES               /in.txt (Permission denied)
     *   CreateProcess error=5, Access is denied  (Windows)       5  ERROR_ACCESS_DENIED  Access is denied
     *   anything else                                            0  unknown error        the error's message
     * </pre>
     */
    static SpawnException startFailure(IOException e, SpawnRequest request) {
        Throwable wrapped = e.getCause() instanceof IOException || e.getCause() instanceof IllegalArgumentException
                ? e.getCause()
                : e;
        String message = Objects.requireNonNullElse(wrapped.getMessage(), wrapped.toString()).strip();
        int errno = 0;
        String detail = message;
        Matcher m = ERRNO_COMMA.matcher(message);
        if (!m.find()) {
            m = ERRNO_PAREN.matcher(message);
            if (!m.find()) {
                m = null;
            }
        }
        if (m != null) {
            errno = parseErrno(m.group(1));
            if (!m.group(2).isBlank()) {
                detail = m.group(2).strip();
            }
        } else {
            Matcher f = STRERROR_PAREN.matcher(message);
            if (f.find()) {
                errno = errnoOfText(f.group(1));
            }
        }
        SpawnException se = new SpawnException(detail, request.program(), request.directory(),
                "ProcessBuilder.start", errno, errnoName(errno));
        se.initCause(e);
        return se;
    }

    private static int parseErrno(String digits) {
        try {
            return Integer.parseInt(digits);
        } catch (NumberFormatException tooLong) {
            return 0;
        }
    }

    /** The symbolic name of the error numbers exec and open commonly fail with. */
    static String errnoName(int errno) {
        if (errno == 0) {
            return "unknown error";
        }
        String name = WINDOWS ? win32Name(errno) : posixName(errno);
        return name != null ? name : "errno " + errno;
    }

    // The same numbers on Linux, macOS and the BSDs.
    private static String posixName(int errno) {
        return switch (errno) {
            case 1 -> "EPERM";
            case 2 -> "ENOENT";
            case 7 -> "E2BIG";
            case 8 -> "ENOEXEC";
            case 12 -> "ENOMEM";
            case 13 -> "EACCES";
            case 20 -> "ENOTDIR";
            case 21 -> "EISDIR";
            case 24 -> "EMFILE";
            case 26 -> "ETXTBSY";
            default -> null;
        };
    }

    private static String win32Name(int error) {
        return switch (error) {
            case 2 -> "ERROR_FILE_NOT_FOUND";
            case 3 -> "ERROR_PATH_NOT_FOUND";
            case 5 -> "ERROR_ACCESS_DENIED";
            case 8 -> "ERROR_NOT_ENOUGH_MEMORY";
            case 193 -> "ERROR_BAD_EXE_FORMAT";
            case 206 -> "ERROR_FILENAME_EXCED_RANGE";
            case 267 -> "ERROR_DIRECTORY";
            default -> null;
        };
    }

    /** The errno of a strerror text, for messages that carry no number; 0 if not known. */
    private static int errnoOfText(String text) {
        return switch (text.strip()) {
            case "Operation not permitted" -> 1;
            case "No such file or directory" -> 2;
            case "Permission denied" -> 13;
            case "Not a directory" -> 20;
            case "Is a directory" -> 21;
            case "Too many open files" -> 24;
            case "Text file busy" -> 26;
            default -> 0;
        };
    }

    /** One daemon thread for every jdk backend's timers, started on first use. */
    private static final class TimerThread implements Timers {
        static final TimerThread INSTANCE = new TimerThread();

        private static final class Holder {
            static final ScheduledThreadPoolExecutor EXECUTOR = newExecutor();
        }

        private static ScheduledThreadPoolExecutor newExecutor() {
            ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, task -> {
                Thread t = new Thread(task, "spawnkit-jdk-timer");
                t.setDaemon(true);
                return t;
            });
            // Timeouts and grace periods are mostly cancelled (the child ended first): do not
            // keep every cancelled task in the queue until its time comes.
            executor.setRemoveOnCancelPolicy(true);
            return executor;
        }

        @Override
        public Timer schedule(long delayNanos, Runnable task) {
            Objects.requireNonNull(task, "task");
            ScheduledFuture<?> f = Holder.EXECUTOR.schedule(() -> runReporting(task),
                    Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
            return () -> f.cancel(false);
        }

        // The executor would keep a task's exception in a future nobody reads: report it instead.
        private static void runReporting(Runnable task) {
            try {
                task.run();
            } catch (Throwable e) {
                Thread t = Thread.currentThread();
                t.getUncaughtExceptionHandler().uncaughtException(t, e);
            }
        }
    }
}
