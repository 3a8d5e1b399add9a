package io.spawnkit.internal.jdk;

import io.spawnkit.internal.ByteTarget;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A child's stdin as a {@link ByteTarget}: writes queue in order and one daemon platform thread, started
 * by the first write, drains the queue into the {@link Process} stream. Each write's future
 * completes once its bytes are written and flushed into the pipe.
 *
 * <p>When a write fails (the child closed its stdin or exited: {@code Broken pipe}, or the JDK's
 * {@code Stream closed} once the child has been reaped), that write, everything queued after it
 * and every later write fail with {@code IOException("stdin closed: the child no longer reads
 * it")}, whose cause is the stream's error; our end is then closed.
 *
 * <p>{@link #close()} closes once the queue has drained; later writes fail. {@link #abort()}
 * closes now and fails what is queued, including a write in progress.
 */
final class StreamTarget implements ByteTarget {
    static final String CHILD_GONE = "stdin closed: the child no longer reads it";
    private static final int COPY_SIZE = 64 * 1024;

    private record Chunk(ByteBuffer data, int size, CompletableFuture<Void> done) {}

    private final OutputStream out;
    private final String threadName;
    private final CompletableFuture<Void> closed = new CompletableFuture<>();

    /** Guards the fields below it, and {@link #work}. */
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition work = lock.newCondition();
    private final ArrayDeque<Chunk> queue = new ArrayDeque<>();
    private volatile long pending;
    private Thread drainer;
    /** The head of the queue is being written, outside the lock. */
    private boolean writing;
    private boolean closeRequested;
    /** The stream is closed or being closed: nothing more is written. */
    private boolean shut;
    /** The stream's error that ended writing, given as cause to every later write. */
    private IOException broken;
    /** How {@link #closed} completes after {@link #abort()}: null for success. */
    private IOException abortOutcome;

    StreamTarget(OutputStream out, String threadName) {
        this.out = out;
        this.threadName = threadName;
    }

    @Override
    public CompletableFuture<Void> write(ByteBuffer data) {
        Objects.requireNonNull(data, "data");
        CompletableFuture<Void> done = new CompletableFuture<>();
        lock.lock();
        try {
            if (broken != null) {
                return CompletableFuture.failedFuture(childGone(broken));
            }
            if (shut || closeRequested) {
                return CompletableFuture.failedFuture(new IOException("stdin is closed"));
            }
            int size = data.remaining();
            queue.add(new Chunk(data, size, done));
            pending += size;
            wakeDrainer();
        } finally {
            lock.unlock();
        }
        return done;
    }

    @Override
    public long pending() {
        return pending;
    }

    @Override
    public CompletableFuture<Void> close() {
        boolean closeHere = false;
        lock.lock();
        try {
            if (!closeRequested && !shut) {
                closeRequested = true;
                if (queue.isEmpty()) {
                    shut = true;
                    closeHere = true;
                    work.signalAll();
                } else {
                    wakeDrainer();
                }
            }
        } finally {
            lock.unlock();
        }
        if (closeHere) {
            closeStream(null, true);
        }
        return closed.copy();
    }

    @Override
    public void abort() {
        List<Chunk> dropped;
        IOException outcome;
        boolean closeHere;
        lock.lock();
        try {
            if (shut) {
                return;
            }
            shut = true;
            dropped = new ArrayList<>(queue);
            queue.clear();
            pending = 0;
            outcome = closeRequested && !dropped.isEmpty()
                    ? new IOException("stdin was aborted before its queued bytes were written")
                    : null;
            abortOutcome = outcome;
            // Hazard: the stream's write and close share one monitor, so closing under a write
            // blocked on a full pipe would block us too. The drainer closes once its write returns.
            closeHere = !writing;
            work.signalAll();
        } finally {
            lock.unlock();
        }
        for (Chunk c : dropped) {
            c.done().completeExceptionally(new IOException("stdin was aborted"));
        }
        if (closeHere) {
            closeStream(outcome, false);
        }
    }

    /**
     * The child has been reaped: the JDK has closed our end of its stdin, so nothing written from
     * now on can reach it. If nothing is queued, writing ends here, which also lets an idle
     * drainer thread finish instead of staying parked for the life of this target; otherwise the
     * queued writes fail on their own ("Stream closed").
     */
    void childExited() {
        lock.lock();
        try {
            if (shut || !queue.isEmpty()) {
                return;
            }
            shut = true;
            broken = new IOException("the child has exited");
            work.signalAll();
        } finally {
            lock.unlock();
        }
        closeStream(null, false);
    }

    /** Under {@link #lock}. */
    private void wakeDrainer() {
        if (drainer == null) {
            drainer = JdkBackend.pipeThread(threadName, this::drain);
            drainer.start();
        } else {
            work.signal();
        }
    }

    private void drain() {
        for (;;) {
            Chunk chunk;
            lock.lock();
            try {
                while (queue.isEmpty() && !closeRequested && !shut) {
                    work.awaitUninterruptibly();
                }
                if (shut) {
                    return; // close() or abort() closed the stream
                }
                chunk = queue.peek();
                if (chunk == null) {
                    shut = true; // close() asked for, everything written
                } else {
                    writing = true;
                }
            } finally {
                lock.unlock();
            }
            if (chunk == null) {
                closeStream(null, true);
                return;
            }

            IOException failure = null;
            try {
                writeFully(chunk.data());
                out.flush();
            } catch (IOException e) {
                failure = e;
            }

            boolean aborted = false;
            List<Chunk> failed = List.of();
            IOException outcome = null;
            lock.lock();
            try {
                writing = false;
                if (shut) {
                    aborted = true; // abort() failed the futures and left the closing to us
                    outcome = abortOutcome;
                } else if (failure != null) {
                    broken = failure;
                    shut = true;
                    failed = new ArrayList<>(queue);
                    queue.clear();
                    pending = 0;
                    outcome = closeRequested ? childGone(failure) : null;
                } else {
                    queue.poll();
                    pending -= chunk.size();
                }
            } finally {
                lock.unlock();
            }
            if (aborted) {
                closeStream(outcome, false);
                return;
            }
            if (failure == null) {
                chunk.done().complete(null);
                continue;
            }
            for (Chunk c : failed) {
                c.done().completeExceptionally(childGone(failure));
            }
            closeStream(outcome, false);
            return;
        }
    }

    private void writeFully(ByteBuffer data) throws IOException {
        if (data.hasArray()) {
            out.write(data.array(), data.arrayOffset() + data.position(), data.remaining());
            data.position(data.limit());
            return;
        }
        byte[] copy = new byte[Math.min(data.remaining(), COPY_SIZE)];
        while (data.hasRemaining()) {
            int n = Math.min(copy.length, data.remaining());
            data.get(copy, 0, n);
            out.write(copy, 0, n);
        }
    }

    /**
     * Closes the stream and completes {@link #closed}: with {@code outcome} if not null, else
     * with the close's own error if {@code reportCloseError}, else normally.
     */
    private void closeStream(IOException outcome, boolean reportCloseError) {
        IOException result = outcome;
        try {
            out.close();
        } catch (IOException e) {
            if (result == null && reportCloseError) {
                result = childGone(e);
            }
        }
        if (result == null) {
            closed.complete(null);
        } else {
            closed.completeExceptionally(result);
        }
    }

    private static IOException childGone(IOException cause) {
        return new IOException(CHILD_GONE, cause);
    }
}
