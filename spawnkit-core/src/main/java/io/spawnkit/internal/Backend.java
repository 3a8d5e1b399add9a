package io.spawnkit.internal;

import io.spawnkit.SpawnException;

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
}
