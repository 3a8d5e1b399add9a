package io.spawnkit.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.Charset;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Frames a byte stream into lines. Not thread-safe: one stream, one thread at a time.
 *
 * <pre>
 *   bytes fed                      lines emitted
 *   "a\nb\n"                       "a", "b"
 *   "a" then "b\n"                 "ab"              (partial lines are joined)
 *   "a\r\nb"  then end()           "a", "b"          (CR before LF dropped; the last line flushed at EOF)
 *   "\n\n"                         "", ""
 *   "x\ry\n"                       "x\ry"            (a lone CR is kept)
 *   maxLength+10 bytes, no LF      one line of maxLength bytes, then the rest continues
 * </pre>
 *
 * Decoding (in the String form) happens per complete line, so a multi-byte character split across
 * reads is whole again.
 */
public final class LineSplitter {

    /** Receives each line as bytes: valid only during the call (the array is reused). */
    @FunctionalInterface
    public interface Sink {
        void line(byte[] bytes, int offset, int length);
    }

    private final Sink out;
    private final int maxLength;
    private byte[] partial = new byte[0];
    private int partialLength;

    /** Lines decoded with {@code charset}, one String each. */
    public LineSplitter(Consumer<String> out, Charset charset, int maxLength) {
        this((bytes, offset, length) -> out.accept(new String(bytes, offset, length, charset)), maxLength);
    }

    /** Lines as bytes, without a String each. */
    public LineSplitter(Sink out, int maxLength) {
        if (maxLength < 1) {
            throw new IllegalArgumentException("maxLength must be positive: " + maxLength);
        }
        this.out = out;
        this.maxLength = maxLength;
    }

    /** Feeds the bytes between {@code data}'s position and limit, consuming them. */
    public void feed(ByteBuffer data) {
        byte[] array = data.hasArray() ? data.array() : null;
        int offset = array != null ? data.arrayOffset() : 0;
        while (data.hasRemaining()) {
            int start = data.position();
            int limit = data.limit();
            int nl = array != null
                    ? indexOfNewline(array, offset + start, offset + limit) - offset
                    : indexOfNewline(data, start, limit);
            if (nl >= 0 && partialLength == 0 && array != null && nl - start <= maxLength) {
                // a whole line in a heap buffer: handed over straight from it, not copied into partial
                int len = nl - start;
                if (len > 0 && array[offset + nl - 1] == '\r') {
                    len--;
                }
                data.position(nl + 1);
                out.line(array, offset + start, len);
                continue;
            }
            int end = nl >= 0 ? nl : limit;
            int room = maxLength - partialLength;
            if (end - start > room) {
                append(data, start, room);
                data.position(start + room);
                emit(false);
                continue;
            }
            append(data, start, end - start);
            if (nl < 0) {
                data.position(limit);
                return;
            }
            data.position(nl + 1);
            emit(true);
        }
    }

    /**
     * The index of the first '\n' in {@code a[from, to)}, or a number that stays negative after the
     * caller subtracts the array offset.
     */
    private static int indexOfNewline(byte[] a, int from, int to) {
        int i = from;
        // eight bytes a step: a byte of x is zero where a byte of the word is '\n', and
        // (x - 0x01..) & ~x & 0x80.. marks the lowest such byte (higher marks may be false, unused)
        for (; i <= to - Long.BYTES; i += Long.BYTES) {
            long x = (long) LONGS.get(a, i) ^ NEWLINES;
            long found = (x - 0x0101010101010101L) & ~x & 0x8080808080808080L;
            if (found != 0) {
                return i + (Long.numberOfTrailingZeros(found) >>> 3);
            }
        }
        for (; i < to; i++) {
            if (a[i] == '\n') {
                return i;
            }
        }
        return Integer.MIN_VALUE / 2; // stays negative after the caller subtracts the array offset
    }

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long NEWLINES = 0x0A0A0A0A0A0A0A0AL;

    private static int indexOfNewline(ByteBuffer data, int from, int to) {
        for (int i = from; i < to; i++) {
            if (data.get(i) == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** Ends the stream: a last line without a newline is emitted. */
    public void end() {
        if (partialLength > 0) {
            emit(false);
        }
    }

    /** True when bytes of an unfinished line are held. */
    public boolean hasPartialLine() {
        return partialLength > 0;
    }

    /** Emits the unfinished line now (e.g. a prompt without a newline after an idle pause). */
    public void flushPartial() {
        end();
    }

    private void append(ByteBuffer data, int from, int count) {
        if (count == 0) {
            return;
        }
        if (partialLength + count > partial.length) {
            partial = Arrays.copyOf(partial, Math.max(partialLength + count, Math.min(maxLength, partial.length * 2 + 64)));
        }
        data.get(from, partial, partialLength, count);
        partialLength += count;
    }

    private void emit(boolean terminated) {
        int len = partialLength;
        if (terminated && len > 0 && partial[len - 1] == '\r') {
            len--;
        }
        partialLength = 0;
        byte[] bytes = partial;
        if (partial.length > 8192) {
            partial = new byte[0];
        }
        out.line(bytes, 0, len);
    }
}
