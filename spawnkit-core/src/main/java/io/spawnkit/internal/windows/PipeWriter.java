package io.spawnkit.internal.windows;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import io.spawnkit.internal.QueuedTarget;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/**
 * Our overlapped write end of a pipe the child reads. Writes queue on the {@link IocpLoop}
 * ({@link QueuedTarget}) and go out one WriteFile at a time, each chunk (up to 64 KiB) copied first
 * into this writer's native buffer: a heap ByteBuffer may move while the kernel still reads it.
 * When the child has closed its end the write fails with ERROR_NO_DATA ("the pipe is being closed")
 * or ERROR_BROKEN_PIPE, and every queued and later write fails with "stdin closed".
 *
 * <p>Memory, as in {@link PipeReader}: the OVERLAPPED and the buffer are freed only when no write is
 * pending; an abort cancels the pending write (CancelIoEx) and frees them when its packet returns.
 */
final class PipeWriter extends QueuedTarget implements IocpLoop.Completion {
    private static final int CHUNK = 64 * 1024;

    private final IocpLoop loop;
    private final long handle;
    // loop thread only below
    private long key;
    private Arena arena;
    private MemorySegment buffer;
    private MemorySegment overlapped;
    private MemorySegment transferred;
    private boolean started;
    private boolean inFlight;
    private boolean handleClosed;

    PipeWriter(IocpLoop loop, long handle, String what, long pid) {
        super(loop, what, pid);
        this.loop = loop;
        this.handle = handle;
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
    @Override
    protected void flush() {
        if (inFlight || failed()) {
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
        if (closing() && !handleClosed) {
            release();
            drained();
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
        if (failed()) {
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
            wrote(c, n);
        }
        flush();
    }

    @Override
    protected void onFailure() {
        if (inFlight) {
            Kernel32.CancelIoEx(handle, overlapped); // release() when its packet returns
        } else {
            release();
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
