package io.spawnkit.internal;

/** One-shot timers of a backend; tasks run on the backend's loop (or timer) thread. */
public interface Timers {

    /** A scheduled task that can be cancelled. */
    interface Timer {
        /** Cancels the task if it has not run yet. */
        void cancel();
    }

    /** Runs {@code task} once after {@code delayNanos}. */
    Timer schedule(long delayNanos, Runnable task);
}
