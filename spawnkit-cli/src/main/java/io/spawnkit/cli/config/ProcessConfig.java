package io.spawnkit.cli.config;

import io.spawnkit.Signal;
import io.spawnkit.supervisor.DependsOn;
import io.spawnkit.supervisor.Readiness;
import io.spawnkit.supervisor.RestartPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One process type as a Procfile line or a {@code spawnkit.toml} table describes it, before
 * {@code spawnkit run} expands it into instances ({@code web.1}, {@code web.2}, ...).
 *
 * @param name        the process type, e.g. {@code web}
 * @param argv        what runs: for a Procfile line {@code [/bin/sh, -c, line]}
 * @param directory   its working directory (relative paths already resolved against the config
 *                    file's directory), or null for ours
 * @param env         variables added to the inherited environment, in order: the .env files first,
 *                    then the config's own {@code env} table (later entries win)
 * @param restart     the restart policy (Procfile lines: {@link RestartPolicy#no()})
 * @param readiness   the readiness check (Procfile lines: ready when started)
 * @param dependsOn   its dependencies (Procfile lines: none)
 * @param stopSignal  the stop signal (default TERM)
 * @param stopGrace   the grace before SIGKILL (default 10 s, or {@code -t} of the CLI)
 * @param replicas    how many instances (default 1; {@code -m} overrides)
 * @param source      where it was defined, {@code file:line}, for error messages
 */
public record ProcessConfig(String name, List<String> argv, Path directory, Map<String, String> env,
        RestartPolicy restart, Readiness readiness, List<DependsOn> dependsOn, Signal stopSignal,
        Duration stopGrace, int replicas, String source) {

    public ProcessConfig {
        Objects.requireNonNull(name, "name");
        argv = List.copyOf(argv);
        env = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(env));
        Objects.requireNonNull(restart, "restart");
        Objects.requireNonNull(readiness, "readiness");
        dependsOn = List.copyOf(dependsOn);
        Objects.requireNonNull(stopSignal, "stopSignal");
        Objects.requireNonNull(stopGrace, "stopGrace");
        if (replicas < 0) {
            throw new IllegalArgumentException("replicas must not be negative");
        }
    }

    /** A Procfile entry: {@code /bin/sh -c line} with every default. */
    public static ProcessConfig procfileLine(String name, String line, Map<String, String> env, String source) {
        return new ProcessConfig(name, List.of("/bin/sh", "-c", line), null, env, RestartPolicy.no(),
                Readiness.started(), List.of(), Signal.TERM, Duration.ofSeconds(10), 1, source);
    }
}
