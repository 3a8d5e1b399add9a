package io.spawnkit.supervisor;

/**
 * Receives every line of every helper as bytes, without a String per line: for relays that copy
 * lines on (to a terminal, a file). On the supervisor's thread, in order per helper and stream,
 * like {@link LineListener}; the bytes are valid only during the call.
 */
public interface LineBytesListener {

    /** One line, without its newline: {@code length} bytes of {@code bytes} from {@code offset}. */
    void line(String helper, LineListener.Stream stream, byte[] bytes, int offset, int length);

    /**
     * After the last line of a batch (the lines of one chunk read from a helper's pipe): a listener
     * that buffers lines can hand them on here, once per batch instead of once per line.
     */
    default void endOfBatch() {}
}
