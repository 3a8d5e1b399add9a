package io.spawnkit.cli.config;

import java.nio.file.Path;
import java.util.List;

/** Reads what {@code spawnkit run} runs (skeleton: the parsers are being written). */
public final class ConfigFiles {
    private ConfigFiles() {}

    /**
     * A foreman-compatible Procfile with its .env files. {@code envFiles} given explicitly must
     * exist; when it is empty, {@code .env} in the current directory is read if it exists.
     *
     * @throws ConfigException {@code file:line: message} for a malformed line, or a missing env file
     */
    public static RunConfig loadProcfile(Path procfile, List<Path> envFiles) throws ConfigException {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /**
     * A {@code spawnkit.toml}.
     *
     * @throws ConfigException {@code file:line: message} for malformed TOML or a bad value
     */
    public static RunConfig loadToml(Path file) throws ConfigException {
        throw new UnsupportedOperationException("not implemented yet");
    }
}
