package io.spawnkit.internal.linux;

import io.spawnkit.internal.ByteTarget;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Our non-blocking write end of a pipe (or socket) the child reads. Writes queue on the loop and
 * go out as the pipe has room (EPOLLOUT while anything waits). When the child has closed its end
 * the write fails with EPIPE (the JVM ignores SIGPIPE), and every queued and later write fails with
 * "stdin closed".
 */
final class PipeTarget implements ByteTarget, EpollLoop.Handler {
    private record Chunk(ByteBuffer data, CompletableFuture<Void> done) {}

    private final EpollLoop loop;
    private final int fd;
    private final String what;
    private final long pid;
    private final boolean socket;
    private final ArrayDeque<Chunk> queue = new ArrayDeque<>();
    private final AtomicLong pending = new AtomicLong();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private boolean closing;
    private boolean fdClosed;
    private boolean registered;
    private IOException failure;

    /** {@code what} names the child's descriptor ("stdin", "fd 3") for messages. */
    PipeTarget(EpollLoop loop, int fd, String what, long pid, boolean socket) {
        this.loop = loop;
        this.fd = fd;
        this.what = what;
        this.pid = pid;
        this.socket = socket;
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

    @Override
    public void onEvents(int events) {
        flush();
    }

    /** Loop thread: writes what the pipe takes, then waits for room, or closes when asked and empty. */
    private void flush() {
        while (!queue.isEmpty() && failure == null) {
            Chunk c = queue.peek();
            ByteBuffer b = c.data();
            long n = LibC.write(fd, MemorySegment.ofBuffer(b), b.remaining());
            if (n >= 0) {
                b.position(b.position() + (int) n);
                pending.addAndGet(-n);
                if (!b.hasRemaining()) {
                    queue.poll();
                    c.done().complete(null);
                }
            } else if (n == -Errno.EAGAIN) {
                if (!registered) {
                    loop.register(fd, LibC.EPOLLOUT, this);
                    registered = true;
                }
                return;
            } else if (n != -Errno.EINTR) {
                int errno = (int) -n;
                fail(errno == Errno.EPIPE || errno == Errno.ECONNRESET
                        ? new IOException(what + " closed: pid " + pid + " no longer reads it (" + LibC.errnoName(errno) + ")")
                        : new IOException(what + " of pid " + pid + ": write: " + LibC.errnoName(errno) + " (" + LibC.strerror(errno) + ")"));
                return;
            }
        }
        if (registered) {
            loop.unregister(fd);
            registered = false;
        }
        if (closing && queue.isEmpty() && !fdClosed) {
            closeFd();
            closed.complete(null);
        }
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
        if (registered) {
            loop.unregister(fd);
            registered = false;
        }
        if (!fdClosed) {
            closeFd();
        }
        if (closing) {
            closed.completeExceptionally(failure);
        } else {
            closed.complete(null);
        }
    }

    private void closeFd() {
        fdClosed = true;
        if (socket) {
            LibC.shutdown(fd, LibC.SHUT_WR); // the reading duplicate stays open: tell the child EOF
        }
        LibC.close(fd);
    }
}
