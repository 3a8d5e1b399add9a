package io.spawnkit.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.Charset;
import java.util.Arrays;

/** A growable byte array: what {@code spawnkit run} has formatted and not yet written. Not thread-safe. */
final class Bytes {
    private byte[] buf;
    private int length;

    Bytes(int capacity) {
        buf = new byte[capacity];
    }

    int length() {
        return length;
    }

    boolean isEmpty() {
        return length == 0;
    }

    void clear() {
        length = 0;
    }

    int capacity() {
        return buf.length;
    }

    Bytes append(byte[] b) {
        return append(b, 0, b.length);
    }

    Bytes append(byte[] b, int offset, int count) {
        ensure(count);
        System.arraycopy(b, offset, buf, length, count);
        length += count;
        return this;
    }

    Bytes append(byte b) {
        ensure(1);
        buf[length++] = b;
        return this;
    }

    /** Appends all of {@code other}. */
    Bytes append(Bytes other) {
        return append(other.buf, 0, other.length);
    }

    String toString(Charset charset) {
        return new String(buf, 0, length, charset);
    }

    void writeTo(OutputStream out) throws IOException {
        out.write(buf, 0, length);
    }

    private void ensure(int more) {
        if (length + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(length + more, buf.length * 2));
        }
    }
}
