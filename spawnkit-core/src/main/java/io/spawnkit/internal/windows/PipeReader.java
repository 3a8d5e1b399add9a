package io.spawnkit.internal.windows;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import io.spawnkit.internal.ByteSink;
import io.spawnkit.internal.ByteSource;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/**
 * Our overlapped read end of a pipe the child writes. One ReadFile at a time into this reader's own
 * native buffer; its completion arrives on the {@link IocpLoop}, which hands the bytes to the sink
 * in place and issues the next read, unless the sink asked to pause: then the next read waits for
 * {@link #resume()}. ERROR_BROKEN_PIPE (every writer closed, the child included) is the end of the
 * stream.
 *
 * <p>Memory: the OVERLAPPED and the buffer live in an arena confined to the loop thread, created
 * when reading starts and closed only when no read is pending. Closing while a read is pending
 * cancels it (CancelIoEx) and waits for its packet, which always comes (cancelled or not), before
 * closing the handle and the arena. The handle is associated with the port only when reading
 * starts, so that a {@link #detach() detached} handle is one the port never saw.
 */
final class PipeReader implements ByteSource, IocpLoop.Completion {
    static final int BUFFER = 64 * 1024;

    private final IocpLoop loop;
    private final long handle;
    private final String what;
    private boolean claimed;   // under this
    // loop thread only below
    private ByteSink sink;
    private long key;
    private Arena arena;
    private MemorySegment buffer;
    private MemorySegment overlapped;
    private MemorySegment transferred;
    private ByteBuffer view;
    private boolean pending;
    private boolean paused;
    private boolean ended;
    private boolean released;
    private boolean detached;

    PipeReader(IocpLoop loop, long handle, String what) {
        this.loop = loop;
        this.handle = handle;
        this.what = what;
    }

    @Override
    public void start(ByteSink s) {
        synchronized (this) {
            if (claimed) {
                throw new IllegalStateException(what + " is already consumed or handed over");
            }
            claimed = true;
        }
        loop.execute(() -> {
            sink = s;
            if (ended) {
                sink = null;
                s.onEnd(new IOException(what + " was closed before it was read"));
                return;
            }
            key = loop.register(this);
            int err = loop.associate(handle, key);
            if (err != 0) {
                end(new IOException(what + ": CreateIoCompletionPort: " + Win32Errors.describe(err)));
                return;
            }
            arena = Arena.ofConfined();
            buffer = arena.allocate(BUFFER, 64);
            overlapped = arena.allocate(Win32Structs.OVERLAPPED);
            transferred = arena.allocate(JAVA_INT);
            view = buffer.asByteBuffer();
            read();
        });
    }

    /**
     * Hands our end over (another child's stdin). It stays in overlapped mode, as libuv and Node
     * hand theirs over: the child's blocking ReadFile on it works (kernel32 waits on the handle),
     * though the API documents it only for synchronous handles. The port never saw it.
     */
    @Override
    public synchronized int detach() {
        if (claimed) {
            throw new IllegalStateException(what + " is already consumed or handed over");
        }
        claimed = true;
        loop.execute(() -> {
            detached = true;
            ended = true;
        });
        return (int) handle; // Win64 handle values fit in 32 bits (sign-extended), for 32-bit interop
    }

    @Override
    public void resume() {
        loop.execute(() -> {
            if (paused && !ended) {
                paused = false;
                read();
            }
        });
    }

    @Override
    public void close() {
        loop.execute(() -> end(new IOException(what + " was closed")));
    }

    /** Loop thread: one overlapped read; its packet comes whether it completed at once or not. */
    private void read() {
        overlapped.fill((byte) 0);
        if (Kernel32.ReadFile(handle, buffer, BUFFER, MemorySegment.NULL, overlapped) != 0) {
            pending = true;
            return;
        }
        int err = Kernel32.lastError();
        if (err == Win32Constants.ERROR_IO_PENDING) {
            pending = true;
        } else if (err == Win32Constants.ERROR_BROKEN_PIPE) {
            end(null);
        } else {
            end(new IOException(what + ": ReadFile: " + Win32Errors.describe(err)));
        }
    }

    @Override
    public void onCompletion(long address, int bytes) {
        pending = false;
        if (ended) {
            release(); // the cancelled read of a close came back: now the memory can go
            return;
        }
        int n;
        if (Kernel32.GetOverlappedResult(handle, overlapped, transferred, 0) != 0) {
            n = transferred.get(JAVA_INT, 0);
        } else {
            int err = Kernel32.lastError();
            end(err == Win32Constants.ERROR_BROKEN_PIPE ? null
                    : new IOException(what + ": ReadFile: " + Win32Errors.describe(err)));
            return;
        }
        if (n == 0) {
            read(); // a zero-byte write on the other end: not the end of the stream
            return;
        }
        view.clear().limit(n);
        boolean more;
        try {
            more = sink.onData(view);
        } catch (RuntimeException e) {
            end(new IOException("the consumer of " + what + " threw " + e, e));
            return;
        }
        if (more) {
            read();
        } else {
            paused = true;
        }
    }

    /** Loop thread: ends the sink once, then releases the handle and memory when no read is pending. */
    private void end(IOException error) {
        if (ended) {
            return;
        }
        ended = true;
        if (sink != null) {
            ByteSink s = sink;
            sink = null; // let go of the consumer (see the Linux PipeSource)
            s.onEnd(error);
        }
        if (pending) {
            // the packet of the cancelled (or just finished) read comes back through onCompletion
            Kernel32.CancelIoEx(handle, overlapped);
        } else {
            release();
        }
    }

    private void release() {
        if (released || detached) {
            return;
        }
        released = true;
        Kernel32.CloseHandle(handle);
        if (key != 0) {
            loop.unregister(key);
        }
        if (arena != null) {
            arena.close();
        }
    }
}
