package io.spawnkit.bench;

import java.io.OutputStream;

/** Counts what is written and keeps nothing; written by one pump thread, read after it ended. */
final class CountingOutputStream extends OutputStream {
    private volatile long count;

    @Override
    public void write(int b) {
        count++;
    }

    @Override
    public void write(byte[] b, int off, int len) {
        count += len;
    }

    long count() {
        return count;
    }
}
