package io.spawnkit.internal;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

/** The parent's write end of a child's input pipe, as a backend provides it. */
public interface ByteTarget {

    /**
     * Queues {@code data} (taken over by the target: the caller must not touch it afterwards); the
     * future completes once all of it reached the pipe, or fails with an {@link java.io.IOException}
     * (for example "stdin closed" when the child closed its end).
     */
    CompletableFuture<Void> write(ByteBuffer data);

    /** Bytes queued and not yet written. */
    long pending();

    /** Closes after everything queued so far has been written; the future completes then. */
    CompletableFuture<Void> close();

    /** Closes now, failing whatever is still queued. */
    void abort();
}
