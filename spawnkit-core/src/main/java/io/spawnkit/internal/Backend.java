package io.spawnkit.internal;

import io.spawnkit.SpawnException;
import java.nio.file.Path;

/**
 * A platform's way of starting and watching children. One is chosen per JVM by {@link Backends};
 * public types never see which.
 */
public interface Backend {

    /** A short name: {@code linux}, {@code jdk}, ... */
    String name();

    /**
     * Starts a child. Throws {@link SpawnException} when the OS refuses (nothing is left behind:
     * no descriptor, no zombie), or {@link UnsupportedOperationException} naming a feature this
     * backend cannot give.
     */
    NativeChild spawn(SpawnRequest request);

    /** Timers on the backend's own thread. */
    Timers timers();

    /** Does now what the first spawn would otherwise do first (see {@code Command.prepare()}). */
    default void prepare() {}

    /**
     * True when this backend can tie a child's life to this JVM's ({@link SpawnRequest#killOnParentExit()}).
     * POSIX cannot without code of ours in the child between fork and exec (prctl(PR_SET_PDEATHSIG)),
     * which posix_spawn cannot run; the default is false.
     */
    default boolean killsOnParentExit() {
        return false;
    }

    /**
     * The file to execute for program {@code name}, found the way this platform does (see
     * {@link ProgramLocator} for POSIX's, the default).
     *
     * @param env       the child's environment (its PATH is searched)
     * @param directory the child's working directory, or null for this JVM's
     * @param windows   the Windows options (whether the working directory is searched first)
     * @param program   what messages call the program
     * @throws io.spawnkit.SpawnException nothing to execute was found
     */
    default String locate(String name, EnvBlock env, Path directory, WindowsOptions windows, String program) {
        return ProgramLocator.locate(name, env.path(), directory, program);
    }
}
