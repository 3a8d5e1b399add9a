package io.spawnkit.internal.windows;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import io.spawnkit.internal.ByteTarget;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Our overlapped write end of a pipe the child reads. Writes queue on the {@link IocpLoop} and go
 * out one WriteFile at a time, each chunk (up to 64 KiB) copied first into this writer's native
 * buffer: a heap ByteBuffer may move while the kernel still reads it. When the child has closed its
 * end the write fails with ERROR_NO_DATA ("the pipe is being closed") or ERROR_BROKEN_PIPE, and
 * every queued and later write fails with "stdin closed".
 *
 * <p>Memory, as in {@link PipeReader}: the OVERLAPPED and the buffer are freed only when no write is
 * pending; an abort cancels the pending write (CancelIoEx) and frees them when its packet returns.
 */
final class PipeWriter implements ByteTarget, IocpLoop.Completion {
    private static final int CHUNK = 64 * 1024;

    private record Chunk(ByteBuffer data, CompletableFuture<Void> done) {}

    private final IocpLoop loop;
    private final long handle;
    private final String what;
    private final long pid;
    private final ArrayDeque<Chunk> queue = new ArrayDeque<>();
    private final AtomicLong pending = new AtomicLong();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    // loop thread only below
    private long key;
    private Arena arena;
    private MemorySegment buffer;
    private MemorySegment overlapped;
    private MemorySegment transferred;
    private boolean started;
    private boolean inFlight;
    private boolean closing;
    private boolean handleClosed;
    private IOException failure;

    PipeWriter(IocpLoop loop, long handle, String what, long pid) {
        this.loop = loop;
        this.handle = handle;
        this.what = what;
        this.pid = pid;
    }

    @Override
    public CompletableFuture<Void> write(ByteBuffer data) {
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
    public long pending() {
        return pending.get();
    }

    @Override
    public CompletableFuture<Void> close() {
        loop.execute(() -> {
            closing = true;
            flush();
        });
        return closed.copy();
    }

    @Override
    public void abort() {
        loop.execute(() -> fail(new IOException(what + " of pid " + pid + " was closed")));
    }

    /** Loop thread: the port and memory at the first write, so a writer never used costs neither. */
    private boolean ready() {
        if (started) {
            return true;
        }
        started = true;
        key = loop.register(this);
        int err = loop.associate(handle, key);
        if (err != 0) {
            fail(new IOException(what + " of pid " + pid + ": CreateIoCompletionPort: " + Win32Errors.describe(err)));
            return false;
        }
        arena = Arena.ofConfined();
        buffer = arena.allocate(CHUNK, 64);
        overlapped = arena.allocate(Win32Structs.OVERLAPPED);
        transferred = arena.allocate(JAVA_INT);
        return true;
    }

    /** Loop thread: starts the next write, or closes when asked and empty. */
    private void flush() {
        if (inFlight || failure != null) {
            return;
        }
        while (!queue.isEmpty() && !queue.peek().data().hasRemaining()) {
            queue.poll().done().complete(null); // empty writes complete at once
        }
        if (!queue.isEmpty()) {
            if (!ready()) {
                return;
            }
            ByteBuffer b = queue.peek().data();
            int n = Math.min(b.remaining(), CHUNK);
            MemorySegment.copy(MemorySegment.ofBuffer(b), 0, buffer, 0, n);
            overlapped.fill((byte) 0);
            if (Kernel32.WriteFile(handle, buffer, n, MemorySegment.NULL, overlapped) != 0) {
                inFlight = true; // the packet comes anyway
                return;
            }
            int err = Kernel32.lastError();
            if (err == Win32Constants.ERROR_IO_PENDING) {
                inFlight = true;
            } else {
                fail(writeError(err));
            }
            return;
        }
        if (closing && !handleClosed) {
            release();
            closed.complete(null);
        }
    }

    private IOException writeError(int err) {
        if (err == Win32Constants.ERROR_NO_DATA || err == Win32Constants.ERROR_BROKEN_PIPE) {
            return new IOException(what + " closed: pid " + pid + " no longer reads it (" + Win32Errors.name(err) + ")");
        }
        return new IOException(what + " of pid " + pid + ": WriteFile: " + Win32Errors.describe(err));
    }

    @Override
    public void onCompletion(long address, int bytes) {
        inFlight = false;
        if (failure != null) {
            release(); // the packet of the cancelled write: the memory can go now
            return;
        }
        if (Kernel32.GetOverlappedResult(handle, overlapped, transferred, 0) == 0) {
            fail(writeError(Kernel32.lastError()));
            return;
        }
        int n = transferred.get(JAVA_INT, 0);
        Chunk c = queue.peek();
        if (c != null) {
            ByteBuffer b = c.data();
            b.position(b.position() + n);
            pending.addAndGet(-n);
            if (!b.hasRemaining()) {
                queue.poll();
                c.done().complete(null);
            }
        }
        flush();
    }

    private void fail(IOException e) {
        if (failure == null) {
            failure = e;
        }
        Chunk c;
        while ((c = queue.poll()) != null) {
            pending.addAndGet(-c.data().remaining());
            c.done().completeExceptionally(failure);
        }
        if (inFlight) {
            Kernel32.CancelIoEx(handle, overlapped); // release() when its packet returns
        } else {
            release();
        }
        if (closing) {
            closed.completeExceptionally(failure);
        } else {
            closed.complete(null);
        }
    }

    private void release() {
        if (!handleClosed) {
            closeHandle();
        }
        if (key != 0) {
            loop.unregister(key);
            key = 0;
        }
        if (arena != null) {
            arena.close();
            arena = null;
        }
    }

    private void closeHandle() {
        handleClosed = true;
        Kernel32.CloseHandle(handle);
    }
}
