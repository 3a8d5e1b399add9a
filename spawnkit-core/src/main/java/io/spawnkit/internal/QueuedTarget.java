package io.spawnkit.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The write queue of a non-blocking write end, the same on every platform: {@link #write} queues a
 * chunk with its future on the loop, {@link #close()} closes once the queue has drained, and
 * {@link #abort()} or a failed write fails everything queued and every later write. A subclass
 * keeps its platform's write path: {@link #flush()} writes from the head of {@link #queue} as the
 * pipe takes it (a non-blocking write and EPOLLOUT on Linux, one overlapped WriteFile at a time on
 * Windows), and {@link #onFailure()} stops it.
 *
 * <p>Threads: the public methods from any thread; the queue and every other state on the loop
 * thread only (the one {@code loop} runs tasks on), {@link #pending()} aside.
 */
public abstract class QueuedTarget implements ByteTarget {
    /** One write: its bytes (the position marks how far they went out) and its caller's future. */
    protected record Chunk(ByteBuffer data, CompletableFuture<Void> done) {}

    private final Executor loop;
    /** The child's descriptor ("stdin", "fd 3") and pid, for messages. */
    protected final String what;
    protected final long pid;
    /** Loop thread only: the writes not yet done, the one going out at the head. */
    protected final ArrayDeque<Chunk> queue = new ArrayDeque<>();
    private final AtomicLong pending = new AtomicLong();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    // loop thread only below
    private boolean closing;
    private IOException failure;

    /** {@code loop} runs tasks on the loop thread ({@code execute} of the platform's loop). */
    protected QueuedTarget(Executor loop, String what, long pid) {
        this.loop = loop;
        this.what = what;
        this.pid = pid;
    }

    @Override
    public final CompletableFuture<Void> write(ByteBuffer data) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        int n = data.remaining();
        pending.addAndGet(n);
        loop.execute(() -> {
            if (failure != null || closing) {
                pending.addAndGet(-n);
                done.completeExceptionally(failure != null ? failure : new IOException(what + " of pid " + pid + " is closed"));
                return;
            }
            queue.add(new Chunk(data, done));
            flush();
        });
        return done;
    }

    @Override
    public final long pending() {
        return pending.get();
    }

    @Override
    public final CompletableFuture<Void> close() {
        loop.execute(() -> {
            closing = true;
            flush();
        });
        return closed.copy();
    }

    @Override
    public final void abort() {
        loop.execute(() -> fail(new IOException(what + " of pid " + pid + " was closed")));
    }

    /**
     * Loop thread: writes from the head of {@link #queue} what the pipe takes now, reporting it
     * through {@link #wrote}; when {@link #closing()} and the queue is empty, closes the end and
     * calls {@link #drained()}. Does nothing once {@link #failed()}.
     */
    protected abstract void flush();

    /**
     * Loop thread, from {@link #fail} (maybe more than once), after the queue was failed: stops the
     * write path and closes the end, or arranges for that once a pending operation returns.
     */
    protected abstract void onFailure();

    /** Loop thread: whether {@link #close()} was called. */
    protected final boolean closing() {
        return closing;
    }

    /** Loop thread: whether a write failed or the end was aborted; nothing goes out any more. */
    protected final boolean failed() {
        return failure != null;
    }

    /** Loop thread: {@code n} bytes of {@code c}, the head of the queue, went out; done when all did. */
    protected final void wrote(Chunk c, long n) {
        ByteBuffer b = c.data();
        b.position(b.position() + (int) n);
        pending.addAndGet(-n);
        if (!b.hasRemaining()) {
            queue.poll();
            c.done().complete(null);
        }
    }

    /** Loop thread: the end was closed with the queue drained, as {@link #close()} asked. */
    protected final void drained() {
        closed.complete(null);
    }

    /**
     * Loop thread: fails every queued write and every later one with {@code e} (the first failure
     * stays), stops the write path ({@link #onFailure()}), and completes {@link #close()}'s future:
     * with the failure if close was asked, as the queue did not drain.
     */
    protected final void fail(IOException e) {
        if (failure == null) {
            failure = e;
        }
        Chunk c;
        while ((c = queue.poll()) != null) {
            pending.addAndGet(-c.data().remaining());
            c.done().completeExceptionally(failure);
        }
        onFailure();
        if (closing) {
            closed.completeExceptionally(failure);
        } else {
            closed.complete(null);
        }
    }
}
