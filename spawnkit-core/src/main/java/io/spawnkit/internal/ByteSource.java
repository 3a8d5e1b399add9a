package io.spawnkit.internal;

/** The parent's read end of a child's output pipe, as a backend provides it. */
public interface ByteSource {

    /** Starts reading into {@code sink}; at most once. */
    void start(ByteSink sink);

    /** Resumes reading after the sink returned {@code false}; any thread, any time. */
    void resume();

    /**
     * Gives up the descriptor (in blocking mode) so that it can become another child's input; only
     * before {@link #start}. The caller owns the returned descriptor.
     */
    int detach();

    /** Stops reading and releases the descriptor; the sink, if started, ends with an error. */
    void close();
}
