package io.spawnkit.worker;

import io.spawnkit.Command;
import io.spawnkit.Stdio;
import java.io.File;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * How to start a worker JVM; {@link #start()} starts one. Mutable, like {@link Command}.
 *
 * <p>Defaults: the running JVM's {@code java} binary; a class path made of this JVM's class path,
 * its module path (the worker runs everything on the class path unless {@link #modulePath(String)}
 * is given) and the locations of the task class and of spawnkit; JVM options
 * {@code --enable-native-access=ALL-UNNAMED} plus
 * {@link #jvmOptions(String...)}; stdin from {@code /dev/null} (as multiprocessing does), stdout
 * and stderr inherited; the environment and working directory of this JVM; frames up to 64 MiB;
 * after the channel ends a busy task gets 1 s before the worker exits; {@link Worker#close()}
 * waits 2 s for the worker to exit before killing it.
 *
 * {@snippet :
 * try (Worker w = WorkerSpec.of(Echo.class).jvmOptions("-Xmx64m").start()) {
 *     w.channel().sendString("hello");
 *     String back = w.channel().receiveString();
 * }
 * }
 */
public final class WorkerSpec {
    private final String taskClass;
    private final Class<?> taskType;
    private final List<String> args = new ArrayList<>();
    private final List<String> jvmOptions = new ArrayList<>();
    private final Map<Integer, Stdio> passed = new TreeMap<>();
    private final Map<String, String> env = new TreeMap<>();
    private Path java;
    private String classPath;
    private String modulePath;
    private Transport transport;
    private Path directory;
    private Stdio stdin = Stdio.ignore();
    private Stdio stdout = Stdio.inherit();
    private Stdio stderr = Stdio.inherit();
    private int maxFrame = Channel.DEFAULT_MAX_FRAME;
    private Duration exitGrace = Duration.ofSeconds(1);
    private Duration closeTimeout = Duration.ofSeconds(2);

    private WorkerSpec(String taskClass, Class<?> taskType) {
        this.taskClass = taskClass;
        this.taskType = taskType;
    }

    /** A worker running {@code task}. */
    public static WorkerSpec of(Class<? extends WorkerTask> task) {
        return new WorkerSpec(task.getName(), task);
    }

    /** A worker running the task class named {@code taskClass} (found on the worker's class path). */
    public static WorkerSpec of(String taskClass) {
        return new WorkerSpec(Objects.requireNonNull(taskClass), null);
    }

    /** Adds arguments for the task ({@link WorkerContext#args()}). */
    public WorkerSpec args(String... args) {
        this.args.addAll(List.of(args));
        return this;
    }

    /** Adds JVM options ({@code -Xmx64m}, {@code -Dkey=value}, ...), before the main class. */
    public WorkerSpec jvmOptions(String... options) {
        jvmOptions.addAll(List.of(options));
        return this;
    }

    /** The {@code java} binary to run instead of this JVM's. */
    public WorkerSpec java(Path java) {
        this.java = java;
        return this;
    }

    /** The worker's class path instead of the one derived from this JVM. */
    public WorkerSpec classPath(String classPath) {
        this.classPath = classPath;
        return this;
    }

    /**
     * Runs the worker on a module path: spawnkit as the named module {@code io.spawnkit}, the task
     * in its own module. The worker JVM gets {@code --module-path} with these entries (plus
     * spawnkit's location and, for {@link #of(Class)} with a task in a named module, that module's
     * location, when missing), {@code --add-modules ALL-MODULE-PATH}, native access for
     * {@code io.spawnkit} and {@code ALL-UNNAMED}, and starts
     * {@code -m io.spawnkit/io.spawnkit.worker.WorkerMain}. The task's package must be exported, at
     * least to {@code io.spawnkit}, which instantiates it (otherwise the worker exits with
     * {@link Worker#EXIT_BOOTSTRAP_FAILED} and says so on its stderr). A {@link #classPath(String)}
     * given as well is added as {@code -cp}; a task class in the unnamed module goes there too.
     *
     * @param modulePath entries separated by {@link File#pathSeparator}, as for {@code java -p}
     */
    public WorkerSpec modulePath(String modulePath) {
        this.modulePath = Objects.requireNonNull(modulePath, "modulePath");
        return this;
    }

    /** How the channel reaches the worker: {@link #transport(Transport)}. */
    public enum Transport {
        /**
         * Two pipes, the worker's descriptors 3 and 4 (C runtime descriptors on Windows): the
         * default wherever the backend can pass descriptors above 2.
         */
        PIPES,
        /**
         * A TCP connection over the loopback interface: the worker connects to a port the parent
         * listens on and presents a random 32-byte key it got in its environment
         * ({@code SPAWNKIT_WORKER_KEY}, readable by the same user only) and its pid; the parent takes
         * the first connection that presents both and stops listening. The default on the JDK
         * fallback backend ({@code spawnkit.backend=jdk}, or no native access), which cannot pass
         * descriptors. Frames, limits and backpressure are the same; the worker's exit is still
         * the channel's end; {@code passFd} still needs a backend that passes descriptors. One
         * difference: a worker that dies abruptly ({@code halt}, a crash, a kill) while messages
         * to it are unread makes its system reset the connection; Linux still delivers what the
         * worker sent before, Windows may drop what the parent had not read yet. A worker that
         * returns or exits normally closes cleanly on every system.
         */
        LOOPBACK
    }

    /**
     * How the channel reaches the worker (default: {@link Transport#PIPES}, or
     * {@link Transport#LOOPBACK} on the JDK fallback backend, which cannot pass descriptors).
     */
    public WorkerSpec transport(Transport transport) {
        this.transport = Objects.requireNonNull(transport, "transport");
        return this;
    }

    Transport transport() {
        if (transport != null) {
            return transport;
        }
        return io.spawnkit.internal.Backends.get().name().equals("jdk") ? Transport.LOOPBACK : Transport.PIPES;
    }

    /** The worker's working directory. */
    public WorkerSpec directory(Path directory) {
        this.directory = directory;
        return this;
    }

    /** Sets an environment variable of the worker. */
    public WorkerSpec env(String name, String value) {
        env.put(name, value);
        return this;
    }

    /** The worker's stdin (default {@link Stdio#ignore()}). */
    public WorkerSpec stdin(Stdio s) {
        stdin = Objects.requireNonNull(s);
        return this;
    }

    /** The worker's stdout (default {@link Stdio#inherit()}). */
    public WorkerSpec stdout(Stdio s) {
        stdout = Objects.requireNonNull(s);
        return this;
    }

    /** The worker's stderr (default {@link Stdio#inherit()}). */
    public WorkerSpec stderr(Stdio s) {
        stderr = Objects.requireNonNull(s);
        return this;
    }

    /**
     * Gives the worker descriptor {@code childFd} (5 or more: 0-2 are stdio, 3 and 4 the channel)
     * set up as {@code source} ({@link Stdio#from(Path)}, {@link Stdio#fd(int)}, a pipe, ...): the
     * counterpart of multiprocessing's {@code duplicate_for_child}. The task opens it with
     * {@link WorkerContext#openInput(int)} or {@link WorkerContext#openOutput(int)} (or, on POSIX,
     * {@link WorkerContext#fd(int)}); pipes are reached through {@link Worker#process()}. On
     * Windows the descriptor is a C runtime descriptor of the worker (lpReserved2), up to 255.
     */
    public WorkerSpec passFd(int childFd, Stdio source) {
        if (childFd < 5) {
            throw new IllegalArgumentException("descriptor " + childFd
                    + " is taken (0-2 stdio, " + WorkerMain.FD_IN + " and " + WorkerMain.FD_OUT + " the channel): use 5 or more");
        }
        passed.put(childFd, Objects.requireNonNull(source));
        return this;
    }

    /** The largest frame either side sends or accepts (default 64 MiB). */
    public WorkerSpec maxFrameSize(int bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("negative maximum frame size " + bytes);
        }
        maxFrame = bytes;
        return this;
    }

    /**
     * How long a task that is still running after the channel ended (parent closed it or died) is
     * given before the worker exits with {@link Worker#EXIT_ABANDONED} (default 1 s).
     */
    public WorkerSpec exitGrace(Duration grace) {
        exitGrace = nonNegative(grace, "exit grace");
        return this;
    }

    /** How long {@link Worker#close()} waits for the worker to exit before killing it (default 2 s). */
    public WorkerSpec closeTimeout(Duration timeout) {
        closeTimeout = nonNegative(timeout, "close timeout");
        return this;
    }

    /** A negative grace would reach the worker as exit-grace-ms=-N and kill its exit watch (Thread.sleep throws). */
    private static Duration nonNegative(Duration d, String what) {
        if (d.isNegative()) {
            throw new IllegalArgumentException("negative " + what + " " + d);
        }
        return d;
    }

    /** Starts the worker. */
    public Worker start() {
        return Worker.start(this);
    }

    int maxFrame() {
        return maxFrame;
    }

    Duration closeTimeout() {
        return closeTimeout;
    }

    /**
     * The command that starts the worker (descriptors 3 and 4 included). On Windows the same
     * {@code Command.fd(3/4, ...)}: the Windows backend passes them in the child's C runtime
     * descriptor table, where the worker's ucrtbase finds them.
     */
    Command command() {
        return command(-1, null);
    }

    /**
     * The command that starts the worker: with descriptors 3 and 4 for the channel, or, given a
     * {@code port}, told to connect there with {@code key} ({@link Transport#LOOPBACK}).
     */
    Command command(int port, String key) {
        List<String> argv = new ArrayList<>();
        argv.add(java != null ? java.toString() : javaBinary());
        if (modulePath == null) {
            argv.add("--enable-native-access=ALL-UNNAMED");
            argv.addAll(jvmOptions);
            argv.add("-cp");
            argv.add(classPath != null ? classPath : defaultClassPath());
            argv.add(WorkerMain.class.getName());
        } else {
            argv.add("--enable-native-access=" + MODULE + ",ALL-UNNAMED");
            argv.addAll(jvmOptions);
            Set<String> modules = entries(modulePath);
            Set<String> classes = classPath != null ? entries(classPath) : new LinkedHashSet<>();
            location(WorkerMain.class, modules);
            if (taskType != null) {
                location(taskType, taskType.getModule().isNamed() ? modules : classes);
            }
            argv.add("--module-path");
            argv.add(String.join(File.pathSeparator, modules));
            if (!classes.isEmpty()) {
                argv.add("-cp");
                argv.add(String.join(File.pathSeparator, classes));
            }
            argv.add("--add-modules");
            argv.add("ALL-MODULE-PATH");
            argv.add("-m");
            argv.add(MODULE + "/" + WorkerMain.class.getName());
        }
        argv.add("max-frame=" + maxFrame);
        argv.add("exit-grace-ms=" + exitGrace.toMillis());
        StringBuilder fds = new StringBuilder();
        for (int fd : passed.keySet()) {
            fds.append(fds.isEmpty() ? "" : ",").append(fd);
        }
        argv.add("fds=" + fds);
        if (port >= 0) {
            argv.add("connect=" + port);
        }
        argv.add("--");
        argv.add(taskClass);
        argv.addAll(args);
        Command c = Command.of(argv).stdin(stdin).stdout(stdout).stderr(stderr);
        if (port < 0) {
            c.fd(WorkerMain.FD_IN, Stdio.readPipe()).fd(WorkerMain.FD_OUT, Stdio.writePipe());
        }
        passed.forEach(c::fd);
        env.forEach(c::env);
        if (key != null) {
            c.env(Loopback.KEY_ENV, key);
        }
        if (directory != null) {
            c.directory(directory);
        }
        return c;
    }

    private static String javaBinary() {
        // java.home first: the running command may be a launcher that embeds the JVM (jpackage)
        Path java = Path.of(System.getProperty("java.home"), "bin", WorkerMain.windows() ? "java.exe" : "java");
        return java.toFile().canExecute() ? java.toString()
                : ProcessHandle.current().info().command().orElse(java.toString());
    }

    /** spawnkit's module name, as in its module-info. */
    private static final String MODULE = "io.spawnkit";

    /** The non-blank entries of a path list, in order, once each. */
    private static Set<String> entries(String pathList) {
        Set<String> entries = new LinkedHashSet<>();
        for (String e : pathList.split(File.pathSeparator)) {
            if (!e.isBlank()) {
                entries.add(e);
            }
        }
        return entries;
    }

    private String defaultClassPath() {
        Set<String> entries = new LinkedHashSet<>();
        for (String p : List.of("java.class.path", "jdk.module.path")) {
            String v = System.getProperty(p);
            if (v != null) {
                entries.addAll(entries(v));
            }
        }
        location(WorkerMain.class, entries);
        if (taskType != null) {
            location(taskType, entries);
        }
        return String.join(File.pathSeparator, entries);
    }

    private static void location(Class<?> c, Set<String> entries) {
        try {
            var source = c.getProtectionDomain().getCodeSource();
            if (source != null && source.getLocation() != null) {
                entries.add(Path.of(source.getLocation().toURI()).toString());
            }
        } catch (URISyntaxException | IllegalArgumentException | SecurityException e) {
            // not a file location: the class path must name it
        }
    }

    @Override
    public String toString() {
        return "worker " + taskClass;
    }
}
