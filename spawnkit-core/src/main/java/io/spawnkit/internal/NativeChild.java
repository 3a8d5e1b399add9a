package io.spawnkit.internal;

import io.spawnkit.ExitStatus;
import io.spawnkit.Signal;
import java.util.concurrent.CompletableFuture;

/** A running child as one backend holds it; {@link io.spawnkit.ChildProcess} wraps it. */
public interface NativeChild {

    long pid();

    /**
     * Starts watching for the exit on the backend's own thread; idempotent. Until then only
     * {@link #awaitExitDirectly} can see the exit: a caller that spawns and waits at once (status())
     * saves the backend thread every wake-up. The default does nothing (always watched).
     */
    default void watch() {}

    /** Completes once, when the child has ended and been reaped. */
    CompletableFuture<ExitStatus> onExit();

    /**
     * Blocks the calling platform thread until the child has ended, at most {@code millis}, reaping
     * it on this thread if it gets there first; a shortcut for waiters that saves the hand-off from
     * the backend's own thread. Returns false when this child cannot be waited for that way (the
     * default): callers then wait on {@link #onExit()}.
     */
    default boolean awaitExitDirectly(int millis) {
        return false;
    }

    /**
     * Sends {@code signal} to the child alone. Returns false, sending nothing, once the child has
     * ended: never reaches a recycled pid.
     */
    boolean kill(Signal signal);

    /**
     * Sends {@code signal} to the child's whole process group; the child must have been started in
     * a new group or session. Returns false once the group has no process left.
     */
    boolean killGroup(Signal signal);

    /**
     * True while a process of the child's process group runs (zombies left out); the child must
     * have been started in a new group or session. The default: no process groups on this backend.
     */
    default boolean groupAlive() {
        throw new UnsupportedOperationException("process groups are not supported by this backend");
    }

    /** The read end for child descriptor {@code fd}, or null if it is not a pipe the child writes. */
    ByteSource output(int fd);

    /** The write end for child descriptor {@code fd}, or null if it is not a pipe the child reads. */
    ByteTarget input(int fd);

    /** Closes every pipe end this JVM holds; the exit is still observed. */
    void close();
}
