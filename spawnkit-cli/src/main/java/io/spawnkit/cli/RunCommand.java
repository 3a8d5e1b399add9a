package io.spawnkit.cli;

import io.spawnkit.cli.config.ConfigException;
import io.spawnkit.cli.config.ConfigFiles;
import io.spawnkit.cli.config.RunConfig;
import io.spawnkit.supervisor.ExitPolicy;
import io.spawnkit.supervisor.HelperSpec;
import io.spawnkit.supervisor.LineListener;
import io.spawnkit.supervisor.RestartPolicy;
import io.spawnkit.supervisor.Supervisor;
import io.spawnkit.supervisor.SupervisorConfigException;
import java.io.Console;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine;

/**
 * {@code spawnkit run}: runs the processes of a Procfile (foreman-compatible) or a
 * {@code spawnkit.toml} side by side, their lines prefixed with their names, until one ends for good
 * (by default) or Ctrl-C.
 *
 * <p>Exit codes: the exit policy's code when the helpers end by themselves (by default the code of
 * the first that ended, 128 + N for a death by signal N); 130 after Ctrl-C, 143 after SIGTERM (129
 * after SIGHUP); 141
 * when stdout was closed (then all are stopped: nobody reads their lines); 2 for bad input
 * (options, a malformed file, an unknown process type, a dependency cycle), with nothing started. When it returns, no process it started is left running.
 */
@CommandLine.Command(name = "run", mixinStandardHelpOptions = true, version = Main.VERSION, sortOptions = false,
        description = {
            "Run the processes of a Procfile (or a spawnkit.toml) side by side, foreman style.",
            "Instances are named TYPE.1, TYPE.2, ...; each gets PORT = base + 100 * type index + instance index.",
            "Ctrl-C stops them all (stop signal, grace, SIGKILL); a second Ctrl-C kills them at once.",
        },
        footer = {"", "Exit codes: the exit policy's (default: the first process to end), 130 after Ctrl-C,"
                + " 143 after SIGTERM, 129 after SIGHUP, 141 when stdout is closed, 2 for bad input."})
final class RunCommand implements Callable<Integer> {

    @CommandLine.Option(names = {"-f", "--procfile"}, paramLabel = "FILE",
            description = "The Procfile (default: ./Procfile; ./spawnkit.toml when there is no Procfile).")
    Path procfile;

    @CommandLine.Option(names = {"-e", "--env"}, paramLabel = "FILE",
            description = "An env file for a Procfile, repeatable. Default: a file .env in the Procfile's directory.")
    List<Path> envFiles = new ArrayList<>();

    @CommandLine.Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "A spawnkit.toml instead of a Procfile (restart, readiness, depends_on, exit policy).")
    Path tomlFile;

    @CommandLine.Option(names = {"-m", "--formation"}, paramLabel = "FORMATION",
            description = "How many of each type, e.g. web=2,worker=1 or all=1,worker=0; a type not named runs "
                    + "the all= count, else none (as foreman).")
    String formation;

    @CommandLine.Option(names = {"-p", "--port"}, paramLabel = "PORT", defaultValue = "5000",
            description = "The base port (default ${DEFAULT-VALUE}).")
    int port = 5000;

    @CommandLine.Option(names = {"-t", "--grace", "--timeout"}, paramLabel = "DURATION", converter = DurationConverter.class,
            description = "How long a stop waits before SIGKILL (default: the file's, else 10s).")
    Duration grace;

    @CommandLine.Option(names = "--restart", paramLabel = "MODE", converter = RestartModeConverter.class,
            description = "Restart processes that end: no, on-failure or always (default: the file's, else no).")
    RestartPolicy.Mode restart;

    @CommandLine.Option(names = "--success", paramLabel = "WHICH", converter = SuccessConverter.class,
            description = "The exit code: of the first process to end, of the last, or all (0 if all succeeded,"
                    + " else the first failure's); default first.")
    ExitPolicy.Success success;

    @CommandLine.Option(names = "--color", negatable = true,
            description = "Colours (default: on a terminal, unless NO_COLOR is set).")
    Boolean color;

    @CommandLine.Option(names = "--timestamps", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Start each line with HH:MM:SS (default: on).")
    boolean timestamps = true;

    @CommandLine.Option(names = "--raw",
            description = "Print each line alone: no time, name nor colour, no lines about the processes.")
    boolean raw;

    @CommandLine.Parameters(paramLabel = "NAME", arity = "0..*", description = "Run only these process types.")
    List<String> names = new ArrayList<>();

    /** Where spawnkit's own messages go. */
    PrintStream err = System.err;

    @Override
    public Integer call() {
        RunConfig config;
        Path defaultDirectory;
        List<Formation.Instance> instances;
        RunPlan plan;
        try {
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("-p: not a port: " + port);
            }
            Source source = source();
            config = source.load();
            defaultDirectory = source.defaultDirectory();
            instances = Formation.plan(config.processes(), formation == null ? null : Formation.parse(formation),
                    names, port);
            if (instances.isEmpty()) {
                throw new IllegalArgumentException("nothing to run: " + source.file() + " has no process"
                        + (formation != null || !names.isEmpty() ? " left by the formation and names given" : ""));
            }
            plan = RunPlan.of(config, instances, defaultDirectory,
                    new RunPlan.Overrides(restart, grace, success));
        } catch (ConfigException e) {
            err.println(e.getMessage());
            return 2;
        } catch (IllegalArgumentException e) {
            err.println("spawnkit run: " + e.getMessage());
            return 2;
        }
        for (String w : plan.warnings()) {
            err.println("spawnkit run: " + w);
        }
        return run(plan);
    }

    /** Builds the supervisor, starts it and waits until every helper has stopped. */
    private int run(RunPlan plan) {
        boolean useColor = useColor(color, System.getenv(), isTerminal());
        LineFormatter formatter = new LineFormatter(plan.names(), useColor, timestamps, raw);
        // nobody reads our output any more (spawnkit run | head): stop, as SIGPIPE would end foreman
        CompletableFuture<IOException> stdoutClosed = new CompletableFuture<>();
        try (ConsoleOutput out = new ConsoleOutput(new FileOutputStream(FileDescriptor.out), formatter,
                Clock.systemDefaultZone(), stdoutClosed::complete)) {
            EventPrinter events = new EventPrinter(plan.helpers(), plan.exitPolicy(), raw,
                    (name, text) -> out.line(name, LineFormatter.Kind.EVENT, text));
            Supervisor supervisor;
            try {
                Supervisor.Builder b = Supervisor.builder().exitPolicy(plan.exitPolicy()).logLines(false);
                for (HelperSpec h : plan.helpers()) {
                    b.helper(h);
                }
                b.listener(events);
                b.lineBytesListener(out.relay());
                supervisor = b.build();
            } catch (SupervisorConfigException e) {
                err.println("spawnkit run: " + e.getMessage());
                return 2;
            }
            return supervise(supervisor, plan, out, events, stdoutClosed);
        }
    }

    private int supervise(Supervisor supervisor, RunPlan plan, ConsoleOutput out, EventPrinter events,
            CompletableFuture<IOException> stdoutClosed) {
        Duration longestGrace = plan.helpers().stream().map(HelperSpec::stopGrace)
                .max(Duration::compareTo).orElse(Duration.ZERO);
        // a JVM ending another way (SIGHUP, an error) still takes the helpers down with it
        Thread hook = new Thread(() -> killAndWait(supervisor), "spawnkit-run-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try (Interrupts interrupts = Interrupts.install(
                n -> {
                    events.stopping();
                    system(out, signalName(n) + " received: stopping all processes (grace "
                            + DurationConverter.format(longestGrace) + "; again to kill them at once)");
                    stopAllAtOnce(supervisor);
                },
                n -> {
                    system(out, signalName(n) + " received again: killing all processes");
                    supervisor.kill();
                })) {
            int code;
            try {
                supervisor.start();
                if (interrupts.interrupted()) {
                    // the signal came while the helpers were being started
                    stopAllAtOnce(supervisor);
                }
                stdoutClosed.thenAccept(e -> {
                    events.stopping();
                    err.println("spawnkit run: cannot write to stdout (" + e.getMessage() + "): stopping all processes");
                    stopAllAtOnce(supervisor);
                });
                code = supervisor.exitCode().get();
            } catch (ExecutionException | RuntimeException e) {
                Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
                out.flush();
                err.println("spawnkit run: " + cause);
                killAndWait(supervisor);
                code = 1;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                killAndWait(supervisor);
                code = 1;
            }
            out.flush();
            if (interrupts.interrupted()) {
                return interrupts.exitCode();
            }
            // 128 + SIGPIPE, what a shell reports for a writer whose reader went away
            return stdoutClosed.isDone() ? 141 : code;
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: it kills what is left
            }
        }
    }

    /** A line of spawnkit's own: from {@code system}, or on stderr with {@code --raw}. */
    private void system(ConsoleOutput out, String text) {
        if (raw) {
            err.println("spawnkit run: " + text);
        } else {
            out.system(text);
        }
    }

    private static void stopAllAtOnce(Supervisor supervisor) {
        try {
            supervisor.stopAllAtOnce();
        } catch (RuntimeException e) {
            // not started yet: the main thread asks again once start() has returned
        }
    }

    /** SIGKILL to every helper and a bounded wait for them (an error path or the JVM's shutdown). */
    private static void killAndWait(Supervisor supervisor) {
        try {
            CompletableFuture<Void> killed = supervisor.kill();
            killed.get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            System.err.println("spawnkit run: while killing the processes: " + e);
        }
    }

    private static String signalName(int number) {
        return switch (number) {
            case 1 -> "SIGHUP";
            case 2 -> "SIGINT";
            case 15 -> "SIGTERM";
            default -> "signal " + number;
        };
    }

    /**
     * Whether to colour: {@code --color}/{@code --no-color} if given, else not when {@code NO_COLOR}
     * is set to anything non-empty (no-color.org) or {@code TERM=dumb}, else when stdout is a terminal.
     */
    static boolean useColor(Boolean flag, Map<String, String> env, boolean terminal) {
        if (flag != null) {
            return flag;
        }
        String noColor = env.get("NO_COLOR");
        if (noColor != null && !noColor.isEmpty()) {
            return false;
        }
        if ("dumb".equals(env.get("TERM"))) {
            return false;
        }
        return terminal;
    }

    /** Whether this JVM's stdin and stdout are a terminal ({@link Console#isTerminal()}, JDK 22). */
    private static boolean isTerminal() {
        Console c = System.console();
        return c != null && c.isTerminal();
    }

    /** Which file to read. */
    record Source(Path file, boolean toml, List<Path> envFiles) {
        RunConfig load() throws ConfigException {
            return toml ? ConfigFiles.loadToml(file) : ConfigFiles.loadProcfile(file, envFiles);
        }

        /** A Procfile's commands run in its directory (foreman's default root); a toml says its own. */
        Path defaultDirectory() {
            if (toml) {
                return null;
            }
            return file.toAbsolutePath().normalize().getParent();
        }
    }

    /**
     * {@code -c FILE}, else {@code -f FILE}, else {@code ./Procfile}, else {@code ./spawnkit.toml}.
     *
     * @throws IllegalArgumentException for both {@code -c} and {@code -f}, {@code -e} with
     *                                  {@code -c}, or a file that does not exist
     */
    Source source() {
        if (tomlFile != null && procfile != null) {
            throw new IllegalArgumentException("give a Procfile (-f) or a spawnkit.toml (-c), not both");
        }
        if (tomlFile != null && !envFiles.isEmpty()) {
            throw new IllegalArgumentException("-e goes with a Procfile; a spawnkit.toml names its env itself");
        }
        Source s;
        if (tomlFile != null) {
            s = new Source(tomlFile, true, List.of());
        } else if (procfile != null) {
            s = new Source(procfile, false, envFiles.isEmpty() ? besideProcfile(procfile) : envFiles);
        } else if (!Files.exists(Path.of("Procfile")) && Files.exists(Path.of("spawnkit.toml")) && envFiles.isEmpty()) {
            s = new Source(Path.of("spawnkit.toml"), true, List.of());
        } else {
            s = new Source(Path.of("Procfile"), false, envFiles);
        }
        if (!Files.isRegularFile(s.file())) {
            throw new IllegalArgumentException("no " + (s.toml() ? "spawnkit.toml" : "Procfile") + " at " + s.file()
                    + (procfile == null && tomlFile == null ? " (give one with -f FILE or -c spawnkit.toml)" : ""));
        }
        return s;
    }

    /**
     * The {@code .env} beside a Procfile given with {@code -f}, if there is one (foreman reads it
     * from the Procfile's directory, its root); else none, and the config reader looks in ours.
     */
    static List<Path> besideProcfile(Path procfile) {
        Path env = procfile.resolveSibling(".env");
        return Files.isRegularFile(env) ? List.of(env) : List.of();
    }

    /** {@code no}, {@code on-failure}, {@code always} (also with underscores, in any case); else null. */
    static RestartPolicy.Mode restartMode(String value) {
        return switch (value.strip().toLowerCase(Locale.ROOT).replace('_', '-')) {
            case "no", "never" -> RestartPolicy.Mode.NO;
            case "on-failure" -> RestartPolicy.Mode.ON_FAILURE;
            case "always" -> RestartPolicy.Mode.ALWAYS;
            default -> null;
        };
    }

    /** {@code first}, {@code last}, {@code all}, in any case; else null. */
    static ExitPolicy.Success success(String value) {
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "first" -> ExitPolicy.Success.FIRST;
            case "last" -> ExitPolicy.Success.LAST;
            case "all" -> ExitPolicy.Success.ALL;
            default -> null;
        };
    }

    static final class RestartModeConverter implements CommandLine.ITypeConverter<RestartPolicy.Mode> {
        @Override
        public RestartPolicy.Mode convert(String value) {
            RestartPolicy.Mode mode = restartMode(value);
            if (mode == null) {
                throw new CommandLine.TypeConversionException(
                        "not a restart mode: '" + value + "' (no, on-failure or always)");
            }
            return mode;
        }
    }

    static final class SuccessConverter implements CommandLine.ITypeConverter<ExitPolicy.Success> {
        @Override
        public ExitPolicy.Success convert(String value) {
            ExitPolicy.Success which = success(value);
            if (which == null) {
                throw new CommandLine.TypeConversionException(
                        "not a --success choice: '" + value + "' (first, last or all)");
            }
            return which;
        }
    }
}
