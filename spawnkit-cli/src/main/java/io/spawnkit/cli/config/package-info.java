/**
 * What {@code spawnkit run} reads: a foreman-compatible Procfile with its .env files, or a
 * {@code spawnkit.toml}.
 *
 * <p>The API is {@link io.spawnkit.cli.config.ConfigFiles#loadProcfile} and
 * {@link io.spawnkit.cli.config.ConfigFiles#loadToml}, which give a
 * {@link io.spawnkit.cli.config.RunConfig} of {@link io.spawnkit.cli.config.ProcessConfig}s or
 * throw a {@link io.spawnkit.cli.config.ConfigException} whose message is ready to print
 * ({@code file:line: message}). Everything else is package-private: the readers of the three
 * formats ({@code Procfile}, {@code DotEnv}, {@code Toml} with {@code TomlParser} and
 * {@code TomlText}), the schema of {@code spawnkit.toml} ({@code SpawnkitToml}, {@code TomlFields})
 * and {@code Durations}. The file format is described for users in {@code docs/spawnkit-toml.md}.
 */
package io.spawnkit.cli.config;
