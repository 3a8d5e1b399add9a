package io.spawnkit;

import io.spawnkit.internal.ByteTarget;
import io.spawnkit.internal.Cleanup;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Our end of a pipe the child reads (its stdin, or another descriptor).
 *
 * <p>{@link #write(ByteBuffer)} copies the bytes, queues them for the event loop and returns a
 * future that completes once they are in the pipe: wait for it (or chain on it) before writing
 * more, and the queue stays bounded. {@link #outputStream()} does that waiting for you, parking the
 * calling thread while more than {@value #HIGH_WATER} bytes are queued.
 *
 * <p>When the child has closed its end (it exited, or closed stdin), writes fail with an
 * {@link IOException} saying "stdin closed"; there is never a {@code SIGPIPE}.
 */
public final class WriteEnd {
    /** Queued bytes above which {@link #outputStream()} writers wait. */
    public static final int HIGH_WATER = 64 * 1024;

    private final ByteTarget target;
    /** Names the stream in messages; its text is built only when one is needed. */
    private final Object name;

    WriteEnd(ByteTarget target, Object name) {
        this.target = target;
        this.name = name;
        // dropped without close(): the child gets EOF once what was queued is written
        Cleanup.register(this, target::close);
    }

    /** Queues a copy of {@code data}'s remaining bytes (consuming them). */
    public CompletableFuture<Void> write(ByteBuffer data) {
        ByteBuffer copy = ByteBuffer.allocate(data.remaining()).put(data).flip();
        return target.write(copy);
    }

    /** Queues a copy of {@code data}. */
    public CompletableFuture<Void> write(byte[] data) {
        return target.write(ByteBuffer.wrap(data.clone()));
    }

    /** Queues the UTF-8 encoding of {@code text}. */
    public CompletableFuture<Void> write(String text) {
        return target.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** Bytes queued and not yet in the pipe. */
    public long pending() {
        return target.pending();
    }

    /** Closes the pipe once everything queued is written; the child then reads EOF. */
    public CompletableFuture<Void> close() {
        return target.close();
    }

    /** Closes now, dropping (and failing) whatever is still queued. */
    public void abort() {
        target.abort();
    }

    /**
     * A blocking stream: {@code write} parks while too much is queued, {@code flush} waits until
     * everything is in the pipe, {@code close} flushes and closes the pipe.
     */
    public OutputStream outputStream() {
        return new Stream();
    }

    /** {@link #outputStream()} as a channel. */
    public WritableByteChannel channel() {
        return Channels.newChannel(outputStream());
    }

    @Override
    public String toString() {
        return name.toString();
    }

    private static void await(CompletableFuture<?> f) throws IOException {
        try {
            f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while writing");
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            throw c instanceof IOException io ? new IOException(io.getMessage(), io) : new IOException(c);
        }
    }

    private final class Stream extends OutputStream {
        private final ArrayDeque<CompletableFuture<Void>> inFlight = new ArrayDeque<>();
        private boolean closed;

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            if (closed) {
                throw new IOException(name + ": stream closed");
            }
            if (len == 0) {
                return;
            }
            byte[] copy = new byte[len];
            System.arraycopy(b, off, copy, 0, len);
            inFlight.add(target.write(ByteBuffer.wrap(copy)));
            while (!inFlight.isEmpty() && (inFlight.peek().isDone() || target.pending() > HIGH_WATER)) {
                await(inFlight.poll());
            }
        }

        @Override
        public synchronized void flush() throws IOException {
            while (!inFlight.isEmpty()) {
                await(inFlight.poll());
            }
        }

        @Override
        public synchronized void close() throws IOException {
            if (closed) {
                return;
            }
            closed = true;
            try {
                flush();
            } finally {
                await(target.close());
            }
        }
    }
}
