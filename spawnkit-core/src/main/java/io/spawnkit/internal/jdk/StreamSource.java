package io.spawnkit.internal.jdk;

import io.spawnkit.internal.ByteSink;
import io.spawnkit.internal.ByteSource;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A child's stdout or stderr as a {@link ByteSource}: one daemon platform thread, started by
 * {@link #start}, reads the {@link Process} stream in chunks of up to {@value #BUFFER_SIZE} bytes
 * and hands each to the sink.
 *
 * <p>Backpressure: when the sink returns {@code false} the thread parks until {@link #resume()};
 * the child then blocks once the pipe is full. A {@code resume()} that arrives while the sink is
 * still inside {@code onData} (from another thread) is not lost.
 *
 * <p>Ending: the sink sees {@code onEnd(null)} at EOF, {@code onEnd(e)} when a read fails, or
 * {@code onEnd(IOException("closed"))} after {@link #close()}; exactly once, never concurrently
 * with {@code onData}. A consumer that throws ends the stream with an {@link IOException} carrying
 * what it threw, and our end is closed (the child then gets {@code EPIPE}).
 *
 * <p>Limit: {@link #detach()} is refused, as a {@link Process} stream has no descriptor to hand to
 * another child.
 */
final class StreamSource implements ByteSource {
    static final int BUFFER_SIZE = 64 * 1024;

    private final InputStream in;
    private final String threadName;

    /** Guards the fields below it, and {@link #resumed}. */
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition resumed = lock.newCondition();
    private ByteSink sink;
    /** The sink once the real one has ended: takes nothing. */
    private static final ByteSink ENDED = new ByteSink() {
        @Override
        public boolean onData(ByteBuffer data) {
            return false;
        }

        @Override
        public void onEnd(IOException error) {}
    };
    private Thread reader;
    private boolean resumePermit;
    private boolean closed;

    /** Serialises calls into the sink between the reader and {@link #close()}; guards {@link #ended}. */
    private final ReentrantLock sinkLock = new ReentrantLock();
    private boolean ended;

    StreamSource(InputStream in, String threadName) {
        this.in = in;
        this.threadName = threadName;
    }

    @Override
    public void start(ByteSink sink) {
        Objects.requireNonNull(sink, "sink");
        Thread t;
        lock.lock();
        try {
            if (this.sink != null) {
                throw new IllegalStateException(threadName + ": already started");
            }
            this.sink = sink;
            if (closed) {
                t = null;
            } else {
                t = JdkBackend.pipeThread(threadName, this::readLoop);
                reader = t;
            }
        } finally {
            lock.unlock();
        }
        if (t == null) {
            end(new IOException("closed"));
        } else {
            t.start();
        }
    }

    @Override
    public void resume() {
        lock.lock();
        try {
            resumePermit = true;
            resumed.signal();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int detach() {
        throw JdkBackend.unsupported("handing a pipe to another child (pipelines need native descriptors)");
    }

    /**
     * Closes the stream and, if started, ends the sink with {@code IOException("closed")} unless it
     * has ended already; idempotent. Called from another thread, the sink has ended when this
     * returns (after an {@code onData} in progress, if any); called from inside {@code onData}, the
     * sink ends once that call returns.
     */
    @Override
    public void close() {
        boolean endHere;
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            endHere = sink != null && Thread.currentThread() != reader;
            resumed.signal();
        } finally {
            lock.unlock();
        }
        // Hazard: closing does not wake a read blocked in the pipe (the kernel keeps the pipe open
        // for it); the reader returns when the child writes or exits, finds the sink ended and
        // stops. That is why the end is delivered here rather than by the reader.
        closeQuietly();
        if (endHere) {
            end(new IOException("closed"));
        }
    }

    private void readLoop() {
        byte[] buffer = new byte[BUFFER_SIZE];
        IOException error = null;
        try {
            for (;;) {
                int n = in.read(buffer, 0, buffer.length);
                if (n < 0) {
                    break;
                }
                if (n > 0 && !deliver(buffer, n)) {
                    break;
                }
            }
        } catch (IOException e) {
            error = e;
        } catch (RuntimeException | Error e) {
            closeQuietly();
            end(new IOException("the consumer of " + threadName + " threw " + e, e));
            if (e instanceof Error fatal) {
                throw fatal;
            }
            return;
        }
        closeQuietly();
        end(isClosed() ? new IOException("closed") : error);
    }

    /** Hands one chunk to the sink, then waits out a pause. False when reading should stop. */
    private boolean deliver(byte[] buffer, int n) {
        lock.lock();
        try {
            if (closed) {
                return false;
            }
            // A resume() from before this chunk answered an earlier pause: it must not cancel the next one.
            resumePermit = false;
        } finally {
            lock.unlock();
        }
        boolean more;
        sinkLock.lock();
        try {
            if (ended) {
                return false;
            }
            more = sink.onData(ByteBuffer.wrap(buffer, 0, n));
        } finally {
            sinkLock.unlock();
        }
        lock.lock();
        try {
            while (!more && !resumePermit && !closed) {
                resumed.awaitUninterruptibly();
            }
            return !closed;
        } finally {
            lock.unlock();
        }
    }

    private boolean isClosed() {
        lock.lock();
        try {
            return closed;
        } finally {
            lock.unlock();
        }
    }

    private void end(IOException error) {
        sinkLock.lock();
        try {
            if (ended) {
                return;
            }
            ended = true;
            ByteSink s = sink;
            // let go of the consumer, as PipeSource does: it refers to the ReadEnd whose cleaner
            // action reaches this source
            sink = ENDED;
            s.onEnd(error);
        } finally {
            sinkLock.unlock();
        }
    }

    private void closeQuietly() {
        try {
            in.close();
        } catch (IOException ignored) {
            // Nothing left to release: a failed close of a pipe still frees the descriptor.
        }
    }
}
