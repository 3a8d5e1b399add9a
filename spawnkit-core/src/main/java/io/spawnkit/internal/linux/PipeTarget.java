package io.spawnkit.internal.linux;

import io.spawnkit.internal.QueuedTarget;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/**
 * Our non-blocking write end of a pipe (or socket) the child reads. Writes queue on the loop
 * ({@link QueuedTarget}) and go out as the pipe has room (EPOLLOUT while anything waits). When the
 * child has closed its end the write fails with EPIPE (the JVM ignores SIGPIPE), and every queued
 * and later write fails with "stdin closed".
 */
final class PipeTarget extends QueuedTarget implements EpollLoop.Handler {
    private final EpollLoop loop;
    private final int fd;
    private final boolean socket;
    // loop thread only below
    private boolean fdClosed;
    private boolean registered;

    /** {@code what} names the child's descriptor ("stdin", "fd 3") for messages. */
    PipeTarget(EpollLoop loop, int fd, String what, long pid, boolean socket) {
        super(loop, what, pid);
        this.loop = loop;
        this.fd = fd;
        this.socket = socket;
    }

    @Override
    public void onEvents(int events) {
        flush();
    }

    /** Loop thread: writes what the pipe takes, then waits for room, or closes when asked and empty. */
    @Override
    protected void flush() {
        while (!queue.isEmpty() && !failed()) {
            Chunk c = queue.peek();
            ByteBuffer b = c.data();
            long n = LibC.write(fd, MemorySegment.ofBuffer(b), b.remaining());
            if (n >= 0) {
                wrote(c, n);
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
        if (closing() && queue.isEmpty() && !fdClosed) {
            closeFd();
            drained();
        }
    }

    @Override
    protected void onFailure() {
        if (registered) {
            loop.unregister(fd);
            registered = false;
        }
        if (!fdClosed) {
            closeFd();
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
