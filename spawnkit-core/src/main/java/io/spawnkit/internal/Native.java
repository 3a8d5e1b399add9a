package io.spawnkit.internal;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.function.ToIntFunction;

/** What every binding class ({@code LibC}, {@code Kernel32}, {@code WindowsCalls}) shares. */
public final class Native {
    private Native() {}

    /**
     * A read that may block, into {@code buf[off, off + len)} through a native buffer of
     * {@code len} bytes: {@code call} reads into the buffer and returns the count (or a negative
     * error, returned as it is). Heap arrays go only to critical downcalls, which must not block.
     */
    public static int readVia(byte[] buf, int off, int len, ToIntFunction<MemorySegment> call) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment nat = arena.allocate(Math.max(1, len));
            int r = call.applyAsInt(nat);
            if (r > 0) {
                MemorySegment.copy(nat, JAVA_BYTE, 0, buf, off, r);
            }
            return r;
        }
    }

    /** {@link #readVia} for a write: {@code buf[off, off + len)} is copied out, then {@code call} writes it. */
    public static int writeVia(byte[] buf, int off, int len, ToIntFunction<MemorySegment> call) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment nat = arena.allocate(Math.max(1, len));
            MemorySegment.copy(buf, off, nat, JAVA_BYTE, 0, len);
            return call.applyAsInt(nat);
        }
    }

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
