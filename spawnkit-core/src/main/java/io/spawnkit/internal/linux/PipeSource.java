package io.spawnkit.internal.linux;

import io.spawnkit.internal.ByteSink;
import io.spawnkit.internal.ByteSource;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Our non-blocking read end of a pipe (or socket) the child writes, read on the loop into the
 * loop's one shared buffer and handed to the sink in place.
 *
 * <p>Backpressure: when the sink says "pause", the descriptor leaves the epoll set (not just its
 * interest: a hung-up pipe reports EPOLLHUP even with no interest, which would spin the loop) and
 * comes back on {@link #resume()}. State is touched on the loop thread only, except the hand-over
 * check in {@link #detach()}.
 */
final class PipeSource implements ByteSource, EpollLoop.Handler {
    /**
     * Full reads per readiness event before yielding to other descriptors (16 x 64 KiB = a 1 MiB
     * pipe emptied in one turn); a short read ends the turn at once, the pipe being empty.
     */
    private static final int READS_PER_EVENT = 16;

    private final EpollLoop loop;
    private final int fd;
    private final String what;
    private ByteSink sink;
    private boolean registered;
    private boolean paused;
    private boolean ended;
    private boolean claimed;

    PipeSource(EpollLoop loop, int fd, String what) {
        this.loop = loop;
        this.fd = fd;
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
            if (ended) {
                // not kept: an ended source holding its sink keeps the ReadEnd and its child alive
                s.onEnd(new IOException(what + " was closed before it was read"));
                return;
            }
            sink = s;
            loop.register(fd, LibC.EPOLLIN, this);
            registered = true;
        });
    }

    @Override
    public synchronized int detach() {
        if (claimed) {
            throw new IllegalStateException(what + " is already consumed or handed over");
        }
        claimed = true;
        int flags = LibC.fcntl(fd, LibC.F_GETFL, 0);
        if (flags >= 0) {
            LibC.fcntl(fd, LibC.F_SETFL, flags & ~LibC.O_NONBLOCK);
        }
        // the loop never saw this descriptor: nothing else to undo; ending makes close() a no-op
        loop.execute(() -> ended = true);
        return fd;
    }

    @Override
    public void resume() {
        loop.execute(() -> {
            if (paused && !ended) {
                paused = false;
                loop.register(fd, LibC.EPOLLIN, this);
                registered = true;
            }
        });
    }

    @Override
    public void close() {
        loop.execute(() -> end(new IOException(what + " was closed")));
    }

    @Override
    public void onEvents(int events) {
        ByteBuffer view = loop.readView;
        for (int i = 0; i < READS_PER_EVENT && !ended && !paused; i++) {
            long n = LibC.read(fd, loop.readBuffer, EpollLoop.READ_BUFFER);
            if (n > 0) {
                view.clear().limit((int) n);
                boolean more;
                try {
                    more = sink.onData(view);
                } catch (RuntimeException e) {
                    end(new IOException("the consumer of " + what + " threw " + e, e));
                    return;
                }
                if (!more) {
                    paused = true;
                    loop.unregister(fd);
                    registered = false;
                    return;
                }
                if (n < EpollLoop.READ_BUFFER) {
                    return;
                }
            } else if (n == 0) {
                end(null);
            } else if (n == -Errno.EAGAIN) {
                return;
            } else if (n != -Errno.EINTR) {
                int errno = (int) -n;
                end(new IOException(what + ": read: " + LibC.errnoName(errno) + " (" + LibC.strerror(errno) + ")"));
            }
        }
    }

    /** Loop thread: stops reading, closes the descriptor, ends the sink once. */
    private void end(IOException error) {
        if (ended) {
            return;
        }
        ended = true;
        if (registered) {
            loop.unregister(fd);
            registered = false;
        }
        LibC.close(fd);
        if (sink != null) {
            ByteSink s = sink;
            // let go of the consumer: the ReadEnd's cleaner action reaches this source, and a sink
            // made by the ReadEnd refers to it, so holding it would keep the ReadEnd and its
            // ChildProcess reachable for as long as this JVM runs (the soak's OutOfMemoryError)
            sink = null;
            s.onEnd(error);
        }
    }
}
