package io.spawnkit.supervisor;

/**
 * A supervisor that cannot be built as described: duplicate or unknown helper names, a dependency
 * cycle. Thrown by {@link Supervisor.Builder#build()}, before anything is started.
 */
public final class SupervisorConfigException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public SupervisorConfigException(String message) {
        super(message);
    }
}
