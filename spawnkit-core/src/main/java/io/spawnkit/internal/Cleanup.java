package io.spawnkit.internal;

import java.lang.ref.Cleaner;

/**
 * Closes pipe ends that their owner dropped without consuming or closing: a child's stdout nobody
 * read would otherwise hold a descriptor for as long as this JVM runs. One daemon thread.
 */
public final class Cleanup {
    private static final Cleaner CLEANER = Cleaner.create(r -> {
        Thread t = new Thread(r, "spawnkit-cleaner");
        t.setDaemon(true);
        return t;
    });

    private Cleanup() {}

    /** Runs {@code action} once {@code owner} is unreachable; {@code action} must not refer to it. */
    public static void register(Object owner, Runnable action) {
        CLEANER.register(owner, action);
    }
}
