package io.spawnkit;

import io.spawnkit.internal.Backend;
import io.spawnkit.internal.Backends;
import io.spawnkit.internal.EnvBlock;
import io.spawnkit.internal.SpawnRequest;
import io.spawnkit.internal.WindowsOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * How to start a child: the program and its arguments, and every option of how it starts, what it
 * inherits and how we talk to it. A mutable builder (not thread-safe); {@link #spawn()} copies what
 * it needs, so one {@code Command} can start many children.
 *
 * <p>Defaults: the environment and working directory of this JVM; descriptors 0, 1, 2 inherited
 * (for {@link #output()}: stdin from /dev/null, stdout and stderr piped); no other descriptor; same
 * process group and session as this JVM; no timeout. A program name without {@code /} is looked up
 * on the child's PATH (glibc's default {@code /bin:/usr/bin} when the child has none), relative
 * entries and a relative program path being resolved against the child's working directory.
 * On Windows a name without a directory part is looked up on the child's PATH with each extension
 * of its PATHEXT ({@code .COM;.EXE;.BAT;.CMD} when unset), the working directory not searched unless
 * {@link #windowsSearchCurrentDirectory()}; a {@code .bat} or {@code .cmd} runs through
 * {@code cmd.exe} with every argument escaped for it (or refused, for CR and LF).
 *
 * {@snippet :
 * Output out = Command.of("git", "rev-parse", "HEAD").directory(repo)
 *     .timeout(Duration.ofSeconds(10)).output();
 * String head = out.checkSuccess().stdoutText().strip();
 * }
 */
public final class Command {
    private static final boolean WINDOWS =
            System.getProperty("os.name", "").regionMatches(true, 0, "windows", 0, 7);

    /** Default {@link #captureLimit(long)}: 64 MiB per stream. */
    public static final long DEFAULT_CAPTURE_LIMIT = 64L << 20;

    private final List<String> argv = new ArrayList<>();
    private String file;
    private Path directory;
    private Map<String, String> env;
    private final SortedMap<Integer, Stdio> stdio = new TreeMap<>();
    private boolean newProcessGroup;
    private boolean newSession;
    private Duration timeout;
    private int pipeSize;
    private long captureLimit = DEFAULT_CAPTURE_LIMIT;
    private Integer uid;
    private Integer gid;
    private boolean killOnParentExit;
    private boolean windowsVerbatimArguments;
    private boolean windowsHide;
    private boolean windowsHideConsole;
    private boolean windowsHideGui;
    private boolean windowsSearchCurrentDirectory;

    private Command(String program) {
        argv.add(Objects.requireNonNull(program, "program"));
    }

    /** A command running {@code program} (looked up on PATH if it has no '/') with {@code args}. */
    public static Command of(String program, String... args) {
        return new Command(program).args(args);
    }

    /** A command from a whole argv: the program first, then its arguments. */
    public static Command of(List<String> argv) {
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("argv is empty: a command needs at least a program");
        }
        Command c = new Command(argv.get(0));
        c.args(argv.subList(1, argv.size()));
        return c;
    }

    /**
     * A copy of this command with every setting as it stands; later changes to either leave the
     * other alone. For code that takes a command from its caller and adds settings of its own (the
     * supervisor takes over stdout, stderr and the process group) without changing the caller's.
     */
    public Command copy() {
        Command c = new Command(argv.get(0));
        c.argv.addAll(argv.subList(1, argv.size()));
        c.file = file;
        c.directory = directory;
        if (env != null) {
            c.env = newEnvironment();
            c.env.putAll(env);
        }
        c.stdio.putAll(stdio);
        c.newProcessGroup = newProcessGroup;
        c.newSession = newSession;
        c.timeout = timeout;
        c.pipeSize = pipeSize;
        c.captureLimit = captureLimit;
        c.uid = uid;
        c.gid = gid;
        c.killOnParentExit = killOnParentExit;
        c.windowsVerbatimArguments = windowsVerbatimArguments;
        c.windowsHide = windowsHide;
        c.windowsHideConsole = windowsHideConsole;
        c.windowsHideGui = windowsHideGui;
        c.windowsSearchCurrentDirectory = windowsSearchCurrentDirectory;
        return c;
    }

    /** Appends one argument. */
    public Command arg(String arg) {
        argv.add(Objects.requireNonNull(arg, "arg"));
        return this;
    }

    /** Appends arguments. */
    public Command args(String... args) {
        for (String a : args) {
            arg(a);
        }
        return this;
    }

    /** Appends arguments. */
    public Command args(List<String> args) {
        for (String a : args) {
            arg(a);
        }
        return this;
    }

    /** The argv as it stands: the program, then the arguments. */
    public List<String> argv() {
        return Collections.unmodifiableList(argv);
    }

    /**
     * Executes {@code file} while the child still sees the program name as {@code argv[0]} (libuv's
     * {@code options.file}; the way login shells get {@code -bash}). Looked up on PATH like a
     * program name.
     */
    public Command file(String file) {
        this.file = Objects.requireNonNull(file, "file");
        return this;
    }

    /** {@link #file(String)} with a path. */
    public Command file(Path file) {
        return file(file.toString());
    }

    /** The child's working directory (default: this JVM's). It must exist. */
    public Command directory(Path directory) {
        this.directory = directory;
        return this;
    }

    /**
     * The child's environment, editable: a copy of this JVM's until changed. Changes through this
     * map or {@link #env(String, String)}, {@link #envRemove(String)}, {@link #envClear()} are the
     * same thing.
     */
    public Map<String, String> environment() {
        if (env == null) {
            env = newEnvironment();
            env.putAll(System.getenv());
        }
        return env;
    }

    /**
     * An empty environment map. Windows compares variable names ignoring case ({@code Path} and
     * {@code PATH} are one variable, the first spelling kept), so there the map does too.
     */
    private static Map<String, String> newEnvironment() {
        return WINDOWS ? new TreeMap<>(String.CASE_INSENSITIVE_ORDER) : new LinkedHashMap<>();
    }

    /** Sets one variable of the child's environment. */
    public Command env(String name, String value) {
        environment().put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
        return this;
    }

    /** Sets variables of the child's environment. */
    public Command env(Map<String, String> vars) {
        vars.forEach(this::env);
        return this;
    }

    /** Removes one variable from the child's environment. */
    public Command envRemove(String name) {
        environment().remove(name);
        return this;
    }

    /** Starts the child with an empty environment (add to it afterwards). */
    public Command envClear() {
        env = newEnvironment();
        return this;
    }

    /** Gives the child this JVM's environment again, dropping every change. */
    public Command envInherit() {
        env = null;
        return this;
    }

    /** The child's stdin (descriptor 0). */
    public Command stdin(Stdio s) {
        return fd(0, s);
    }

    /** The child's stdout (descriptor 1). */
    public Command stdout(Stdio s) {
        return fd(1, s);
    }

    /** The child's stderr (descriptor 2). */
    public Command stderr(Stdio s) {
        return fd(2, s);
    }

    /**
     * What the child's descriptor {@code childFd} is connected to; descriptors above 2 are passed
     * only when named here. {@code null} removes the setting (0-2 then inherit, others are closed).
     *
     * <p>On Windows, which has no descriptors of its own, 0-2 are the child's standard handles and a
     * descriptor above 2 (up to 255) is an entry of the C runtime's descriptor table that the child
     * receives at its start (STARTUPINFO's {@code lpReserved2}, as libuv and Node pass it): a program
     * built on msvcrt.dll or the UCRT (MSVC or mingw-w64: Node, Python, a JVM) finds the handle as
     * its descriptor {@code childFd} ({@code _get_osfhandle(childFd)}). A program on another runtime
     * (Cygwin, Go, Rust's std) does not read that table; it only inherits the handle, whose value it
     * would have to be told. {@link Stdio#fd(int)} above 2 names this JVM's C runtime descriptor
     * there (one from {@code io.spawnkit.os.Os.pipe()}, say).
     */
    public Command fd(int childFd, Stdio s) {
        if (childFd < 0 || childFd > 1023) {
            throw new IllegalArgumentException("child descriptor out of range 0..1023: " + childFd);
        }
        if (s == null) {
            stdio.remove(childFd);
        } else {
            stdio.put(childFd, s);
        }
        return this;
    }

    /** Starts the child as the leader of a new process group, so that its whole tree can be signalled. */
    public Command newProcessGroup() {
        this.newProcessGroup = true;
        return this;
    }

    /**
     * Starts the child in a new session (setsid; DETACHED_PROCESS on Windows): no controlling
     * terminal, its own process group, untouched by the terminal's Ctrl-C. It is still our child:
     * its exit is observed and it is killed by {@link ChildProcess#killTree()}.
     */
    public Command newSession() {
        this.newSession = true;
        return this;
    }

    /** Same as {@link #newSession()} (libuv's {@code UV_PROCESS_DETACHED}). */
    public Command detached() {
        return newSession();
    }

    /**
     * Kills the child (its process group if it has one) with SIGKILL when it runs longer than
     * {@code timeout}; {@link #output()} then throws {@link ProcessTimeoutException}.
     */
    public Command timeout(Duration timeout) {
        if (timeout != null && timeout.isNegative()) {
            throw new IllegalArgumentException("negative timeout: " + timeout);
        }
        this.timeout = timeout;
        return this;
    }

    /** Asks for new pipes of this capacity (F_SETPIPE_SZ on Linux); 0 for the OS default. */
    public Command pipeSize(int bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("negative pipe size: " + bytes);
        }
        this.pipeSize = bytes;
        return this;
    }

    /**
     * Runs the child as user {@code uid} (POSIX). Not available yet: {@code posix_spawn} cannot
     * change the user, and no backend forks; spawning then throws
     * {@link UnsupportedOperationException}. Start the program through {@code setpriv} or
     * {@code runuser} instead.
     */
    public Command uid(int uid) {
        this.uid = uid;
        return this;
    }

    /** Runs the child with group {@code gid} (POSIX); see {@link #uid(int)}: not available yet. */
    public Command gid(int gid) {
        this.gid = gid;
        return this;
    }

    /**
     * Kills the child and its whole tree when this JVM ends, however it ends (even killed), on
     * Windows, where the child goes into a job object of its own with KILL_ON_JOB_CLOSE. Not on
     * POSIX: tying a child to its parent's end needs code between fork and exec
     * (prctl(PR_SET_PDEATHSIG)), which posix_spawn cannot run; spawning then throws
     * {@link UnsupportedOperationException}. Without it, children outlive this JVM.
     */
    public Command killOnParentExit() {
        this.killOnParentExit = true;
        return this;
    }

    /**
     * Windows: the arguments after the program go into the command line as they are, joined by
     * spaces, without quoting (libuv's {@code UV_PROCESS_WINDOWS_VERBATIM_ARGUMENTS}), for programs
     * that read their command line by rules of their own ({@code cmd.exe /c}, say). The caller then
     * answers for what the program makes of them. Ignored on other platforms.
     */
    public Command windowsVerbatimArguments() {
        this.windowsVerbatimArguments = true;
        return this;
    }

    /**
     * Windows: shows no window at all, neither a console window for a console program nor a GUI
     * program's main window (libuv's {@code UV_PROCESS_WINDOWS_HIDE}). Ignored on other platforms.
     */
    public Command windowsHide() {
        this.windowsHide = true;
        return this;
    }

    /**
     * Windows: creates no console window for a console program (CREATE_NO_WINDOW; libuv's
     * {@code UV_PROCESS_WINDOWS_HIDE_CONSOLE}). Ignored on other platforms.
     */
    public Command windowsHideConsole() {
        this.windowsHideConsole = true;
        return this;
    }

    /**
     * Windows: starts a GUI program's main window hidden (SW_HIDE; libuv's
     * {@code UV_PROCESS_WINDOWS_HIDE_GUI}). Ignored on other platforms.
     */
    public Command windowsHideGui() {
        this.windowsHideGui = true;
        return this;
    }

    /**
     * Windows: looks for a bare program name in the child's working directory before PATH, as
     * cmd.exe does. Off by default, as in Windows' NoDefaultCurrentDirectoryInExePath and Rust's
     * Command: a program dropped into a working directory would otherwise shadow the one on PATH.
     * Ignored on other platforms (execvp never searches it unless PATH names it).
     */
    public Command windowsSearchCurrentDirectory() {
        this.windowsSearchCurrentDirectory = true;
        return this;
    }

    /** The most bytes {@link #output()} keeps per stream; the rest is read and dropped. */
    public Command captureLimit(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("negative capture limit: " + bytes);
        }
        this.captureLimit = bytes;
        return this;
    }

    /**
     * Readies the platform backend now instead of at the first spawn: links the native calls,
     * starts the event loop, encodes the inherited environment. Optional and idempotent. Called
     * early on a thread of its own, it does that work while the program does the rest of its
     * start-up, and the first spawn starts sooner: on a 2-vCPU VM the first FFM downcall alone
     * costs 35-90 ms, and spawnkit's command line does this while it reads its arguments and files.
     * A failure is left for the first spawn to report.
     */
    public static void prepare() {
        try {
            Backends.get().prepare();
        } catch (RuntimeException e) {
            // the first spawn meets it again and reports it with its context
        }
    }

    /**
     * Starts the child.
     *
     * @throws SpawnException the OS refused (missing program or directory, not executable, E2BIG,
     *     ...); no child exists and nothing is left open
     * @throws IllegalArgumentException a string holds NUL, an env name holds '=' or is empty
     * @throws UnsupportedOperationException this platform's backend cannot do an option asked for
     */
    public ChildProcess spawn() {
        return spawn(Backends.get(), stdio);
    }

    /** The stdio settings as they stand (package use: pipelines). */
    SortedMap<Integer, Stdio> layout() {
        return new TreeMap<>(stdio);
    }

    long captureLimitValue() {
        return captureLimit;
    }

    Duration timeoutValue() {
        return timeout;
    }

    ChildProcess spawn(Backend backend, SortedMap<Integer, Stdio> layout) {
        return spawn(backend, layout, true);
    }

    private ChildProcess spawn(Backend backend, SortedMap<Integer, Stdio> layout, boolean watch) {
        if (uid != null || gid != null) {
            throw new UnsupportedOperationException("uid/gid: the " + backend.name() + " backend cannot start a child"
                    + " as another user (posix_spawn has no such attribute); run it through setpriv or runuser");
        }
        if (killOnParentExit && !backend.killsOnParentExit()) {
            throw new UnsupportedOperationException("killOnParentExit: the " + backend.name() + " backend cannot"
                    + " tie a child's life to this JVM's (posix_spawn cannot run prctl(PR_SET_PDEATHSIG) in the"
                    + " child); stop children yourself, e.g. from a shutdown hook");
        }
        SpawnRequest request = request(backend, layout);
        return new ChildProcess(backend.spawn(request), backend, request.argv(), request.stdio(),
                request.ownsGroup(), timeout, watch);
    }

    /**
     * Runs the child to its end with stdin from /dev/null and stdout and stderr captured (unless
     * set otherwise), up to the capture limit per stream.
     *
     * @throws ProcessTimeoutException the timeout elapsed; carries what was captured until then
     */
    public Output output() {
        SortedMap<Integer, Stdio> layout = new TreeMap<>(stdio);
        layout.putIfAbsent(0, Stdio.ignore());
        layout.putIfAbsent(1, Stdio.pipe());
        layout.putIfAbsent(2, Stdio.pipe());
        ChildProcess child = spawn(Backends.get(), layout);
        return collect(child, argv(), captureLimit, timeout);
    }

    static Output collect(ChildProcess child, List<String> command, long limit, Duration timeout) {
        CompletableFuture<ReadEnd.Captured> out = captureIfPipe(child, 1, limit);
        CompletableFuture<ReadEnd.Captured> err = captureIfPipe(child, 2, limit);
        try {
            ExitStatus status = child.waitFor();
            ReadEnd.Captured o = out.get();
            ReadEnd.Captured e = err.get();
            Output output = new Output(command, status, o.bytes(), o.truncated(), e.bytes(), e.truncated());
            if (child.timedOut()) {
                throw new ProcessTimeoutException(command, timeout, output);
            }
            return output;
        } catch (InterruptedException e) {
            child.killTree();
            child.close();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + child, e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("reading the output of " + child + " failed", e.getCause());
        }
    }

    private static CompletableFuture<ReadEnd.Captured> captureIfPipe(ChildProcess child, int fd, long limit) {
        try {
            return child.output(fd).capture(limit);
        } catch (IllegalStateException notAPipe) {
            return CompletableFuture.completedFuture(new ReadEnd.Captured(new byte[0], false));
        }
    }

    /** Runs the child to its end with the streams as set (inherited by default) and returns its status. */
    public ExitStatus status() {
        // Waited for at once on this thread: the event loop need not watch it (waitFor() hands it
        // to the loop if it cannot wait directly, or is interrupted).
        ChildProcess child = spawn(Backends.get(), stdio, Thread.currentThread().isVirtual());
        try {
            return child.waitFor();
        } catch (InterruptedException e) {
            child.killTree();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + child, e);
        }
    }

    private SpawnRequest request(Backend backend, SortedMap<Integer, Stdio> layout) {
        for (String a : argv) {
            EnvBlock.requireNoNul(a, "argument");
        }
        String program = argv.get(0);
        if (file != null) {
            EnvBlock.requireNoNul(file, "file");
        }
        if (directory != null) {
            EnvBlock.requireNoNul(directory.toString(), "directory");
        }
        EnvBlock envBlock = env != null ? EnvBlock.of(env) : EnvBlock.inherited();
        String display = file != null ? file : program;
        if (directory != null && !Files.isDirectory(directory)) {
            boolean exists = Files.exists(directory);
            throw new SpawnException(exists ? "not a directory" : "no such directory", display, directory,
                    "chdir", exists ? 20 : 2, exists ? "ENOTDIR" : "ENOENT");
        }
        WindowsOptions windows = new WindowsOptions(windowsVerbatimArguments, windowsHide, windowsHideConsole,
                windowsHideGui, windowsSearchCurrentDirectory);
        String executable = backend.locate(display, envBlock, directory, windows, display);
        SortedMap<Integer, Stdio> resolved = new TreeMap<>(layout);
        for (int fd = 0; fd <= 2; fd++) {
            resolved.putIfAbsent(fd, Stdio.inherit());
        }
        for (Map.Entry<Integer, Stdio> e : resolved.entrySet()) {
            if (e.getValue() instanceof Stdio.SameAs same && !resolved.containsKey(same.childFd())) {
                throw new IllegalArgumentException("fd " + e.getKey() + " is set the same as fd " + same.childFd()
                        + ", which the child does not have");
            }
            if (e.getValue() instanceof Stdio.SameAs same && resolved.get(same.childFd()) instanceof Stdio.SameAs) {
                throw new IllegalArgumentException("fd " + e.getKey() + " is set the same as fd " + same.childFd()
                        + ", which is itself set the same as another: name the target directly");
            }
        }
        // Last, as it cannot be undone: another child's pipe becomes one of our descriptors to pass on.
        List<Integer> transferred = new ArrayList<>();
        for (Map.Entry<Integer, Stdio> e : resolved.entrySet()) {
            if (e.getValue() instanceof Stdio.FromChild from) {
                int fd = from.source().detachForChild();
                transferred.add(fd);
                e.setValue(Stdio.fd(fd));
            }
        }
        return new SpawnRequest(argv, display, executable, directory, envBlock, resolved,
                newProcessGroup, newSession, pipeSize, transferred,
                windows, killOnParentExit);
    }

    @Override
    public String toString() {
        return "Command" + ProcessFailedException.describe(argv);
    }
}
