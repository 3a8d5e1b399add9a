package io.spawnkit.cli.config;

import io.spawnkit.Signal;
import io.spawnkit.cli.config.Toml.Entry;
import io.spawnkit.cli.config.Toml.Table;
import io.spawnkit.supervisor.DependsOn;
import io.spawnkit.supervisor.ExitPolicy;
import io.spawnkit.supervisor.Readiness;
import io.spawnkit.supervisor.RestartPolicy;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The {@code spawnkit.toml} schema: from a parsed TOML document to a {@link RunConfig}. The
 * user-facing description with examples is {@code docs/spawnkit-toml.md}.
 *
 * <table>
 *   <caption>Keys of {@code [run]} (optional)</caption>
 *   <tr><th>key</th><th>value</th><th>default</th></tr>
 *   <tr><td>{@code exit}</td><td>{@code "keep-running"}, {@code "any"} (the first process that ends
 *       stops the others) or a process name (that process ending stops the others)</td><td>the CLI's</td></tr>
 *   <tr><td>{@code success}</td><td>{@code "first"}, {@code "last"} or {@code "all"}; needs
 *       {@code exit}</td><td>{@code all} for keep-running, else {@code first}</td></tr>
 *   <tr><td>{@code env_file}</td><td>a path or an array of paths, relative to the file's directory;
 *       read for every process</td><td>none</td></tr>
 * </table>
 *
 * <table>
 *   <caption>Keys of {@code [process.NAME]} (one table per process type, file order kept; NAME is
 *   {@code [A-Za-z0-9_-]+})</caption>
 *   <tr><th>key</th><th>value</th><th>default</th></tr>
 *   <tr><td>{@code command}</td><td>a string (run by {@code /bin/sh -c}) or an array (the argv as is);
 *       required</td><td></td></tr>
 *   <tr><td>{@code cwd}</td><td>the working directory, relative to the file's directory</td><td>ours</td></tr>
 *   <tr><td>{@code env}</td><td>a table of variables; values are strings, numbers or booleans, taken
 *       literally (no {@code $} expansion)</td><td>none</td></tr>
 *   <tr><td>{@code env_file}</td><td>a path or an array of paths, relative to the file's directory,
 *       read after {@code [run].env_file} and before {@code env} (later wins)</td><td>none</td></tr>
 *   <tr><td>{@code restart}</td><td>{@code "no"}, {@code "on-failure"} or {@code "always"}</td><td>{@code "no"}</td></tr>
 *   <tr><td>{@code restart_delay}</td><td>the first delay, doubled per restart</td><td>100ms</td></tr>
 *   <tr><td>{@code restart_max_delay}</td><td>the cap of the delay</td><td>30s</td></tr>
 *   <tr><td>{@code restart_limit}</td><td>the most restarts within {@code restart_window}</td><td>5</td></tr>
 *   <tr><td>{@code restart_window}</td><td>the window {@code restart_limit} counts in</td><td>60s</td></tr>
 *   <tr><td>{@code restart_reset_after}</td><td>an uptime after which delay and count start again</td><td>30s</td></tr>
 *   <tr><td>{@code ready}</td><td>one of {@code { line = "regex" }}, {@code { port = 8000 }},
 *       {@code { http = "http://127.0.0.1:8000/" }}, {@code { delay = "2s" }}</td><td>ready when started</td></tr>
 *   <tr><td>{@code ready_timeout}</td><td>how long a line, port or http check may take</td><td>60s</td></tr>
 *   <tr><td>{@code depends_on}</td><td>an array of names (each waited for until ready) or a table
 *       {@code { db = "started" | "ready" | "completed_successfully" }}</td><td>none</td></tr>
 *   <tr><td>{@code stop_signal}</td><td>a name ({@code "TERM"}, {@code "SIGINT"}, any case) or a number</td><td>TERM</td></tr>
 *   <tr><td>{@code stop_grace}</td><td>the time between the stop signal and SIGKILL</td><td>10s</td></tr>
 *   <tr><td>{@code replicas}</td><td>how many instances, 0 or more</td><td>1</td></tr>
 * </table>
 *
 * <p>Durations are strings such as {@code "250ms"}, {@code "10s"}, {@code "1m30s"} or numbers of
 * seconds (see {@link Durations}). Any other key is an error naming the key and its line; so are a
 * {@code depends_on} or {@code exit} naming no process, and a process depending on itself.
 */
final class SpawnkitToml {
    private static final Set<String> ROOT_KEYS = Set.of("run", "process");
    private static final Set<String> RUN_KEYS = Set.of("exit", "success", "env_file");
    private static final Set<String> PROCESS_KEYS = Set.of("command", "cwd", "env", "env_file", "restart",
            "restart_delay", "restart_max_delay", "restart_limit", "restart_window", "restart_reset_after",
            "ready", "ready_timeout", "depends_on", "stop_signal", "stop_grace", "replicas");
    private static final List<String> READY_KINDS = List.of("line", "port", "http", "delay");
    private static final List<String> RESTART_MODES = List.of("no", "on-failure", "always");
    private static final List<String> SUCCESS = List.of("first", "last", "all");
    private static final List<String> CONDITIONS = List.of("started", "ready", "completed_successfully");

    private final Path file;
    private final String name;
    private final Path base;
    private final TomlFields fields;
    private final Function<String, String> environment;
    private final Map<Path, String> envTexts = new HashMap<>();

    private SpawnkitToml(Path file, Function<String, String> environment) {
        this.file = file;
        this.name = file.toString();
        this.base = file.getParent() == null ? Path.of("") : file.getParent();
        this.fields = new TomlFields(name);
        this.environment = environment;
    }

    /**
     * The run described by {@code root}, the parsed content of {@code file}.
     *
     * @param environment what .env expansion falls back to, e.g. {@code System::getenv}
     * @throws ConfigException {@code file:line: message} for a bad key or value
     */
    static RunConfig map(Path file, Table root, Function<String, String> environment) throws ConfigException {
        return new SpawnkitToml(file, environment).map(root);
    }

    private RunConfig map(Table root) throws ConfigException {
        fields.checkKeys(root, ROOT_KEYS, "the top level", "expected [run] or [process.NAME]");
        Table run = root.entry("run") == null ? null : fields.table("run", root.entry("run"));
        if (run != null) {
            fields.checkKeys(run, RUN_KEYS, "[run]");
        }
        List<Path> commonEnvFiles = run == null || run.entry("env_file") == null
                ? List.of() : envFiles(run.entry("env_file"));
        Entry processes = root.entry("process");
        if (processes == null || fields.table("process", processes).keys().isEmpty()) {
            throw new ConfigException(name + ": no processes defined (add a [process.NAME] table)");
        }
        List<ProcessConfig> out = new ArrayList<>();
        Map<String, Entry> dependsOnEntries = new HashMap<>();
        for (var e : fields.table("process", processes).entries().entrySet()) {
            String process = e.getKey();
            if (!Procfile.NAME.matcher(process).matches()) {
                throw fields.error(e.getValue().line(),
                        "invalid process name '" + process + "' (letters, digits, '_' and '-')");
            }
            Table t = fields.table("process." + process, e.getValue());
            out.add(process(process, t, commonEnvFiles));
            if (t.entry("depends_on") != null) {
                dependsOnEntries.put(process, t.entry("depends_on"));
            }
        }
        checkDependencies(out, dependsOnEntries);
        return new RunConfig(out, run == null ? null : exitPolicy(run, out));
    }

    private ExitPolicy exitPolicy(Table run, List<ProcessConfig> processes) throws ConfigException {
        Entry exit = run.entry("exit");
        Entry success = run.entry("success");
        if (exit == null) {
            if (success != null) {
                throw fields.error(success.line(), "'success' needs 'exit' in [run]");
            }
            return null;
        }
        String trigger = fields.nonBlank("exit", exit);
        ExitPolicy policy;
        if (trigger.equals("keep-running")) {
            policy = ExitPolicy.keepRunning();
        } else if (trigger.equals("any")) {
            policy = ExitPolicy.stopAllWhenAnyEnds();
        } else if (processes.stream().anyMatch(p -> p.name().equals(trigger))) {
            policy = ExitPolicy.stopAllWhenEnds(trigger);
        } else {
            throw fields.error(exit.line(), "'exit' must be \"keep-running\", \"any\" or a process name, got \""
                    + trigger + "\" (no such process)");
        }
        if (success != null) {
            String s = fields.choice("success", success, SUCCESS);
            policy = policy.withSuccess(ExitPolicy.Success.valueOf(s.toUpperCase(Locale.ROOT)));
        }
        return policy;
    }

    private ProcessConfig process(String process, Table t, List<Path> commonEnvFiles) throws ConfigException {
        fields.checkKeys(t, PROCESS_KEYS, "[process." + process + "]");
        Entry command = t.entry("command");
        if (command == null) {
            throw fields.error(t.line(), "[process." + process + "] needs a 'command'");
        }
        List<String> argv = argv(command);
        Path directory = t.entry("cwd") == null ? null
                : base.toAbsolutePath().resolve(fields.nonBlank("cwd", t.entry("cwd"))).normalize();

        Map<String, String> env = new LinkedHashMap<>();
        List<Path> envFiles = new ArrayList<>(commonEnvFiles);
        if (t.entry("env_file") != null) {
            envFiles.addAll(envFiles(t.entry("env_file")));
        }
        for (Path p : envFiles) {
            DotEnv.parse(p.toString(), envText(p), env, environment);
        }
        if (t.entry("env") != null) {
            env.putAll(envTable(fields.table("env", t.entry("env"))));
        }

        Readiness readiness = readiness(t);
        List<DependsOn> dependsOn = t.entry("depends_on") == null ? List.of() : dependsOn(process, t.entry("depends_on"));
        Signal stopSignal = t.entry("stop_signal") == null ? Signal.TERM : signal(t.entry("stop_signal"));
        Duration stopGrace = t.entry("stop_grace") == null ? Duration.ofSeconds(10)
                : fields.duration("stop_grace", t.entry("stop_grace"));
        int replicas = t.entry("replicas") == null ? 1
                : (int) fields.integer("replicas", t.entry("replicas"), 0, Integer.MAX_VALUE);
        return new ProcessConfig(process, argv, directory, env, restart(t), readiness, dependsOn, stopSignal,
                stopGrace, replicas, name + ":" + t.line());
    }

    private List<String> argv(Entry command) throws ConfigException {
        if (command.value() instanceof String s) {
            if (s.isBlank()) {
                throw fields.error(command.line(), "'command' must not be empty");
            }
            return List.of("/bin/sh", "-c", s);
        }
        if (command.value() instanceof List<?>) {
            List<String> argv = fields.stringOrStrings("command", command);
            if (argv.isEmpty() || argv.getFirst().isEmpty()) {
                throw fields.error(command.line(), "'command' must not be empty");
            }
            return argv;
        }
        throw fields.wrongType("command", command, "a string or an array of strings");
    }

    private List<Path> envFiles(Entry e) throws ConfigException {
        List<Path> out = new ArrayList<>();
        for (String s : fields.stringOrStrings("env_file", e)) {
            if (s.isBlank()) {
                throw fields.error(e.line(), "'env_file' must not be empty");
            }
            Path p = base.resolve(s);
            if (!Files.isRegularFile(p)) {
                throw fields.error(e.line(), "'env_file': no such file: " + p);
            }
            out.add(p);
        }
        return out;
    }

    private String envText(Path p) throws ConfigException {
        String text = envTexts.get(p);
        if (text == null) {
            text = ConfigText.read(p);
            envTexts.put(p, text);
        }
        return text;
    }

    private Map<String, String> envTable(Table env) throws ConfigException {
        Map<String, String> out = new LinkedHashMap<>();
        for (var e : env.entries().entrySet()) {
            String key = e.getKey();
            if (key.isEmpty() || key.indexOf('=') >= 0 || key.indexOf('\0') >= 0) {
                throw fields.error(e.getValue().line(), "invalid variable name '" + key + "' in 'env'");
            }
            Object v = e.getValue().value();
            if (!(v instanceof String || v instanceof Long || v instanceof Double || v instanceof Boolean)) {
                throw fields.wrongType("env." + key, e.getValue(), "a string, a number or a boolean");
            }
            out.put(key, String.valueOf(v));
        }
        return out;
    }

    private RestartPolicy restart(Table t) throws ConfigException {
        RestartPolicy policy = RestartPolicy.no();
        if (t.entry("restart") != null) {
            policy = policy.withMode(switch (fields.choice("restart", t.entry("restart"), RESTART_MODES)) {
                case "no" -> RestartPolicy.Mode.NO;
                case "on-failure" -> RestartPolicy.Mode.ON_FAILURE;
                default -> RestartPolicy.Mode.ALWAYS;
            });
        }
        Entry delayEntry = t.entry("restart_delay");
        Entry maxEntry = t.entry("restart_max_delay");
        Duration delay = delayEntry == null ? policy.initialDelay() : fields.duration("restart_delay", delayEntry);
        Duration max = maxEntry == null ? policy.maxDelay() : fields.duration("restart_max_delay", maxEntry);
        if (delay.compareTo(max) > 0) {
            if (delayEntry != null && maxEntry != null) {
                throw fields.error(delayEntry.line(), "'restart_delay' (" + Durations.format(delay)
                        + ") is longer than 'restart_max_delay' (" + Durations.format(max) + ")");
            }
            // only one was given: the default of the other follows it
            if (delayEntry != null) {
                max = delay;
            } else {
                delay = max;
            }
        }
        policy = policy.withBackoff(delay, max, policy.multiplier());
        int limit = t.entry("restart_limit") == null ? policy.burst()
                : (int) fields.integer("restart_limit", t.entry("restart_limit"), 0, Integer.MAX_VALUE);
        Duration window = t.entry("restart_window") == null ? policy.window()
                : fields.duration("restart_window", t.entry("restart_window"));
        policy = policy.withLimit(limit, window);
        if (t.entry("restart_reset_after") != null) {
            policy = policy.withResetAfter(fields.duration("restart_reset_after", t.entry("restart_reset_after")));
        }
        return policy;
    }

    private Readiness readiness(Table t) throws ConfigException {
        Entry timeoutEntry = t.entry("ready_timeout");
        Duration timeout = timeoutEntry == null ? Readiness.DEFAULT_TIMEOUT
                : fields.duration("ready_timeout", timeoutEntry);
        Entry ready = t.entry("ready");
        if (ready == null) {
            if (timeoutEntry != null) {
                throw fields.error(timeoutEntry.line(), "'ready_timeout' needs 'ready' with line, port or http");
            }
            return Readiness.started();
        }
        Table r = fields.table("ready", ready);
        fields.checkKeys(r, Set.copyOf(READY_KINDS), "'ready'", "expected line, port, http or delay");
        if (r.keys().size() != 1) {
            throw fields.error(ready.line(), "'ready' needs exactly one of line, port, http or delay, got "
                    + (r.keys().isEmpty() ? "none" : String.join(" and ", r.keys())));
        }
        String kind = r.keys().iterator().next();
        Entry e = r.entry(kind);
        Readiness readiness = switch (kind) {
            case "line" -> {
                String regex = fields.nonBlank("ready.line", e);
                try {
                    yield new Readiness.Line(Pattern.compile(regex), timeout);
                } catch (PatternSyntaxException ex) {
                    throw fields.error(e.line(), "'ready.line' is not a valid regular expression: "
                            + ex.getDescription() + " near index " + ex.getIndex());
                }
            }
            case "port" -> new Readiness.Port("127.0.0.1", (int) fields.integer("ready.port", e, 1, 65535),
                    Readiness.DEFAULT_INTERVAL, timeout);
            case "http" -> new Readiness.Http(httpUri(e), Readiness.DEFAULT_INTERVAL, timeout);
            default -> {
                if (timeoutEntry != null) {
                    throw fields.error(timeoutEntry.line(), "'ready_timeout' needs 'ready' with line, port or http");
                }
                yield Readiness.delay(fields.duration("ready.delay", e));
            }
        };
        return readiness;
    }

    private URI httpUri(Entry e) throws ConfigException {
        String s = fields.nonBlank("ready.http", e);
        try {
            URI uri = new URI(s);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
                return uri;
            }
        } catch (java.net.URISyntaxException ex) {
            // reported below
        }
        throw fields.error(e.line(), "'ready.http' must be an http:// or https:// URL, got \"" + s + "\"");
    }

    private List<DependsOn> dependsOn(String process, Entry e) throws ConfigException {
        Map<String, DependsOn.Condition> deps = new LinkedHashMap<>();
        if (e.value() instanceof List<?>) {
            for (String other : fields.stringOrStrings("depends_on", e)) {
                if (deps.put(other, DependsOn.Condition.READY) != null) {
                    throw fields.error(e.line(), "'depends_on' names '" + other + "' twice");
                }
            }
        } else if (e.value() instanceof Table t) {
            for (var d : t.entries().entrySet()) {
                String condition = fields.choice("depends_on." + d.getKey(), d.getValue(), CONDITIONS);
                deps.put(d.getKey(), DependsOn.Condition.valueOf(condition.toUpperCase(Locale.ROOT)));
            }
        } else {
            throw fields.wrongType("depends_on", e, "an array of process names or a table");
        }
        if (deps.containsKey(process)) {
            throw fields.error(e.line(), "'" + process + "' cannot depend on itself");
        }
        List<DependsOn> out = new ArrayList<>();
        deps.forEach((other, condition) -> out.add(new DependsOn(other, condition)));
        return out;
    }

    /** Every {@code depends_on} names a process; reported on the line of the name if it has one. */
    private void checkDependencies(List<ProcessConfig> processes, Map<String, Entry> dependsOnEntries)
            throws ConfigException {
        Set<String> names = new java.util.HashSet<>();
        processes.forEach(p -> names.add(p.name()));
        for (ProcessConfig p : processes) {
            for (DependsOn d : p.dependsOn()) {
                if (!names.contains(d.helper())) {
                    Entry e = dependsOnEntries.get(p.name());
                    int line = e.value() instanceof Table t && t.entry(d.helper()) != null
                            ? t.entry(d.helper()).line() : e.line();
                    throw fields.error(line, "'depends_on' of '" + p.name() + "' names no process: '"
                            + d.helper() + "'");
                }
            }
        }
    }

    private Signal signal(Entry e) throws ConfigException {
        if (e.value() instanceof Long n) {
            if (n < 1 || n > 128) {
                throw fields.error(e.line(), "'stop_signal' must be between 1 and 128, got " + n);
            }
            return Signal.of(n.intValue());
        }
        String s = fields.nonBlank("stop_signal", e);
        return Signal.byName(s.strip()).orElseThrow(() -> fields.error(e.line(),
                "'stop_signal': unknown signal \"" + s + "\" (e.g. \"TERM\", \"INT\", \"SIGHUP\" or 15)"));
    }
}
