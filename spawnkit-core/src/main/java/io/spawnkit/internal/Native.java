package io.spawnkit.internal;

/** What every binding class ({@code LibC}, {@code Kernel32}, {@code WindowsCalls}) shares. */
public final class Native {
    private Native() {}

    /**
     * For {@code catch (Throwable t) { throw Native.rethrow(t); }} around an {@code invokeExact}:
     * a RuntimeException as it is, an Error thrown from here, anything else (only a checked
     * exception the handle cannot really throw) wrapped in an IllegalStateException.
     */
    public static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException(t);
    }
}
