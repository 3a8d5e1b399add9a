package io.spawnkit.cli.config;

import io.spawnkit.supervisor.ExitPolicy;
import java.util.List;

/**
 * What {@code spawnkit run} was asked to run, as read from a Procfile (+ .env files) or a
 * {@code spawnkit.toml}.
 *
 * @param processes  the process types in file order
 * @param exitPolicy the exit policy the file sets, or null when it sets none (the CLI's default)
 */
public record RunConfig(List<ProcessConfig> processes, ExitPolicy exitPolicy) {
    public RunConfig {
        processes = List.copyOf(processes);
    }
}
