package io.spawnkit.internal;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Receives what a {@link ByteSource} reads. Calls come one at a time, never concurrently, from the
 * source's thread (the event loop for native backends).
 */
public interface ByteSink {

    /**
     * New bytes between {@code data}'s position and limit, readable only during this call (the
     * buffer is reused). Return {@code false} to pause reading until {@link ByteSource#resume()}.
     */
    boolean onData(ByteBuffer data);

    /** End of stream: {@code error} is null at EOF. Called exactly once, last. */
    void onEnd(IOException error);
}
