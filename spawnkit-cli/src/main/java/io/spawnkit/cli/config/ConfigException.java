package io.spawnkit.cli.config;

/**
 * A malformed Procfile, .env or TOML file, or a description that cannot run. The message has the
 * form {@code file:line: message} where a line is to blame; {@code spawnkit run} prints it and
 * exits with code 2.
 */
public final class ConfigException extends Exception {
    public ConfigException(String message) {
        super(message);
    }

    /** {@code file:line: message}. */
    public static ConfigException at(String file, int line, String message) {
        return new ConfigException(file + ":" + line + ": " + message);
    }
}
