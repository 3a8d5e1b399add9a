package io.spawnkit.cli.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Reads what {@code spawnkit run} runs: a Procfile with its .env files, or a {@code spawnkit.toml}.
 *
 * <p>Every error is a {@link ConfigException} whose message is ready to print:
 * {@code file:line: message} when a line is to blame ({@code Procfile:3: expected 'name: command'}),
 * {@code file: message} otherwise ({@code .env.local: no such file}). File names appear as they
 * were given (a relative path stays relative).
 *
 * <p>The formats: {@link Procfile} (foreman's), {@link DotEnv} (foreman's and dotenv's, with
 * {@code $VAR} expansion), and {@link SpawnkitToml} (documented in {@code docs/spawnkit-toml.md})
 * on top of a strict TOML 1.0 reader, {@link Toml}.
 */
public final class ConfigFiles {
    /** The .env read when none is given: in the current directory, if it exists. */
    static final Path DEFAULT_ENV_FILE = Path.of(".env");

    private ConfigFiles() {}

    /**
     * A foreman-compatible Procfile with its .env files. Every process type gets the variables of
     * all the files, later files winning; a value's {@code $VAR} is looked up in the earlier
     * entries, then in spawnkit's own environment. Processes run in spawnkit's working directory.
     *
     * @param envFiles the .env files in order; each must exist. When empty, {@code .env} in the
     *                 current directory is read if it exists.
     * @throws ConfigException {@code file:line: message} for a malformed line; {@code file: no such file}
     *                         for a missing Procfile or env file; {@code file: no processes defined}
     */
    public static RunConfig loadProcfile(Path procfile, List<Path> envFiles) throws ConfigException {
        return loadProcfile(procfile, envFiles, System::getenv);
    }

    static RunConfig loadProcfile(Path procfile, List<Path> envFiles, Function<String, String> environment)
            throws ConfigException {
        String name = procfile.toString();
        List<Procfile.Entry> entries = Procfile.parse(name, ConfigText.read(procfile));
        if (entries.isEmpty()) {
            throw new ConfigException(name + ": no processes defined");
        }
        List<Path> files = envFiles;
        if (files.isEmpty()) {
            files = Files.isRegularFile(DEFAULT_ENV_FILE) ? List.of(DEFAULT_ENV_FILE) : List.of();
        }
        Map<String, String> env = readEnvFiles(files, environment);
        List<ProcessConfig> processes = new ArrayList<>();
        for (Procfile.Entry e : entries) {
            processes.add(ProcessConfig.procfileLine(e.name(), e.command(), env, name + ":" + e.line()));
        }
        return new RunConfig(processes, null);
    }

    /**
     * A {@code spawnkit.toml} (see {@code docs/spawnkit-toml.md}); its relative paths are relative
     * to its directory.
     *
     * @throws ConfigException {@code file:line: message} for malformed TOML or a bad key or value;
     *                         {@code file: no such file}; {@code file: no processes defined ...}
     */
    public static RunConfig loadToml(Path file) throws ConfigException {
        return loadToml(file, System::getenv);
    }

    static RunConfig loadToml(Path file, Function<String, String> environment) throws ConfigException {
        Toml.Table root = Toml.parse(file.toString(), ConfigText.read(file));
        return SpawnkitToml.map(file, root, environment);
    }

    /**
     * The variables of {@code files} read in order into one map, later files winning.
     *
     * @throws ConfigException {@code file: no such file}, {@code file:line: message}
     */
    static Map<String, String> readEnvFiles(List<Path> files, Function<String, String> environment)
            throws ConfigException {
        Map<String, String> env = new LinkedHashMap<>();
        for (Path f : files) {
            DotEnv.parse(f.toString(), ConfigText.read(f), env, environment);
        }
        return env;
    }
}
