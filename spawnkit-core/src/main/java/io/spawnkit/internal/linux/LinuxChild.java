package io.spawnkit.internal.linux;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import io.spawnkit.ExitStatus;
import io.spawnkit.Signal;
import io.spawnkit.internal.ByteSource;
import io.spawnkit.internal.ByteTarget;
import io.spawnkit.internal.NativeChild;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A child of the Linux backend: its pidfd (or, where pidfd is missing, its pid polled with
 * {@code waitpid(WNOHANG)}), its pipe ends, and the reap.
 *
 * <p>Pid reuse: until we reap it, the child's pid (and pgid) cannot be given to another process,
 * even after it has died: it is a zombie that holds them. So signals go out under the same lock that
 * reaping takes, and never after the reap; pidfd_send_signal adds that a pidfd names one process
 * for ever.
 */
final class LinuxChild implements NativeChild {
    /** First interval of the waitpid(WNOHANG) polling used where there is no pidfd; it doubles up to 50 ms. */
    private static final long POLL_START_NANOS = 1_000_000L;

    private final EpollLoop loop;
    private final int pid;
    private final boolean ownsGroup;
    private final Map<Integer, PipeSource> sources;
    private final Map<Integer, PipeTarget> targets;
    private final CompletableFuture<ExitStatus> exit = new CompletableFuture<>();
    private final Object lock = new Object();
    private int pidfd;
    private boolean reaped;
    private boolean watching;

    LinuxChild(EpollLoop loop, int pid, int pidfd, boolean ownsGroup,
            Map<Integer, PipeSource> sources, Map<Integer, PipeTarget> targets) {
        this.loop = loop;
        this.pid = pid;
        this.pidfd = pidfd;
        this.ownsGroup = ownsGroup;
        this.sources = Map.copyOf(sources);
        this.targets = Map.copyOf(targets);
    }

    @Override
    public void watch() {
        synchronized (lock) {
            if (watching || reaped) {
                return;
            }
            watching = true;
            if (pidfd >= 0) {
                // registered here, not through a loop task: an exit right after the spawn is seen
                // without waiting for the loop thread to wake up first
                loop.register(pidfd, LibC.EPOLLIN, new EpollLoop.Handler() {
                    @Override
                    public void onEvents(int events) {
                        reap();
                    }

                    @Override
                    public boolean urgent() {
                        return true;
                    }
                });
                return;
            }
        }
        loop.execute(() -> poll(POLL_START_NANOS));
    }

    private void poll(long nanos) {
        if (!reap()) {
            long next = Math.min(nanos * 2, 50_000_000L);
            loop.schedule(nanos, () -> poll(next));
        }
    }

    /** Reaps the child if it has ended (loop thread, or a direct waiter); true once reaped. */
    private boolean reap() {
        ExitStatus status = null;
        RuntimeException lost = null;
        int fd;
        boolean registered;
        synchronized (lock) {
            if (reaped) {
                return true;
            }
            int r;
            int raw;
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment st = arena.allocate(JAVA_INT);
                r = LibC.retryEintr(() -> LibC.waitpid(pid, st, LibC.WNOHANG));
                raw = st.get(JAVA_INT, 0);
            }
            if (r == 0) {
                return false; // still running (a pidfd is readable only once it has ended)
            }
            reaped = true;
            fd = pidfd;
            registered = watching;
            pidfd = -1;
            if (r == pid) {
                status = ExitStatus.ofWaitStatus(raw);
            } else {
                // ECHILD: someone else reaped it -- SIGCHLD set to SIG_IGN, or a foreign waitpid(-1)
                lost = new IllegalStateException("pid " + pid + " was reaped by someone else ("
                        + LibC.errnoName(-r) + "); is SIGCHLD ignored, or does other code call waitpid(-1)?");
            }
        }
        // The notification first, the pidfd after: its readiness is only looked at again in the
        // loop's next round, and while it stays open its number cannot be reused.
        if (status != null) {
            exit.complete(status);
        } else {
            exit.completeExceptionally(lost);
        }
        if (fd >= 0) {
            releasePidfd(fd, registered);
        }
        return true;
    }

    /** Closes the pidfd once reaped; the loop owns the epoll set, so a direct waiter hands it over. */
    private void releasePidfd(int fd, boolean registered) {
        if (!registered) {
            LibC.close(fd); // never in the epoll set
        } else if (loop.inLoop()) {
            loop.unregister(fd);
            LibC.close(fd);
        } else {
            loop.execute(() -> {
                loop.unregister(fd);
                LibC.close(fd);
            });
        }
    }

    /**
     * Polls a duplicate of the pidfd, so that the loop closing the original (after its own reap)
     * can never leave us polling a recycled descriptor number; then reaps here if the loop has not.
     */
    @Override
    public boolean awaitExitDirectly(int millis) {
        int dup;
        synchronized (lock) {
            if (reaped) {
                return true;
            }
            if (pidfd < 0) {
                return false;
            }
            dup = LibC.fcntl(pidfd, LibC.F_DUPFD_CLOEXEC, 3); // never on 0..2: see LibC.aboveStdio
        }
        if (dup < 0) {
            return false;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment pfd = arena.allocate(8, 4);
            pfd.set(JAVA_INT, 0, dup);
            pfd.set(JAVA_SHORT, 4, LibC.POLLIN);
            if (LibC.poll(pfd, 1, millis) > 0) {
                reap();
            }
        } finally {
            LibC.close(dup);
        }
        return true;
    }

    @Override
    public long pid() {
        return pid;
    }

    @Override
    public CompletableFuture<ExitStatus> onExit() {
        return exit;
    }

    @Override
    public boolean kill(Signal signal) {
        synchronized (lock) {
            if (reaped) {
                return false;
            }
            int r = pidfd >= 0 ? LibC.pidfd_send_signal(pidfd, signal.number()) : LibC.kill(pid, signal.number());
            return checkKill(r, "signal " + signal + " to pid " + pid);
        }
    }

    @Override
    public boolean killGroup(Signal signal) {
        if (!ownsGroup) {
            throw new IllegalStateException("pid " + pid + " does not lead a process group of its own");
        }
        synchronized (lock) {
            // After the reap the pgid stays reserved while any member lives; with none left, kill
            // reports ESRCH.
            return checkKill(LibC.kill(-pid, signal.number()), "signal " + signal + " to process group " + pid);
        }
    }

    /**
     * {@code kill(-pgid, 0)}, then, when it finds members, a look at {@code /proc} for one that is
     * not a zombie. Why: an orphaned grandchild is reparented to PID 1, and a PID 1 that never
     * reaps (seen in containers whose init is not a real init) leaves its zombie in the group for
     * ever, where {@code kill} still finds it.
     */
    @Override
    public boolean groupAlive() {
        if (!ownsGroup) {
            throw new IllegalStateException("pid " + pid + " does not lead a process group of its own");
        }
        int r;
        synchronized (lock) {
            r = LibC.kill(-pid, 0);
        }
        if (r == -Errno.ESRCH) {
            return false;
        }
        if (r != 0 && r != -Errno.EPERM) {
            throw new IllegalStateException("signal 0 to process group " + pid + ": " + LibC.errnoName(-r)
                    + " (" + LibC.strerror(-r) + ")");
        }
        return ProcGroups.hasLiveMember(pid);
    }

    private static boolean checkKill(int r, String what) {
        if (r == 0) {
            return true;
        }
        if (r == -Errno.ESRCH) {
            return false;
        }
        throw new IllegalStateException(what + ": " + LibC.errnoName(-r) + " (" + LibC.strerror(-r) + ")");
    }

    @Override
    public ByteSource output(int fd) {
        return sources.get(fd);
    }

    @Override
    public ByteTarget input(int fd) {
        return targets.get(fd);
    }

    @Override
    public void close() {
        sources.values().forEach(PipeSource::close);
        targets.values().forEach(PipeTarget::abort);
    }
}
