package io.spawnkit;

import io.spawnkit.internal.Backend;
import io.spawnkit.internal.ByteSource;
import io.spawnkit.internal.ByteTarget;
import io.spawnkit.internal.NativeChild;
import io.spawnkit.internal.SpawnRequest;
import io.spawnkit.internal.Timers;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A child started by {@link Command#spawn()}.
 *
 * <p>Its exit is watched by the event loop whether or not anyone waits: every child is reaped
 * exactly once, even one whose {@code ChildProcess} is dropped. Signals are never sent to a
 * recycled pid: once the child is reaped, {@link #kill(Signal)} sends nothing and returns false.
 *
 * <p>Futures returned here complete on the event-loop thread; dependent actions you attach with the
 * non-async methods ({@code thenAccept}, ...) run there too, so keep them short or use the
 * {@code ...Async} variants.
 *
 * {@snippet :
 * ChildProcess dev = Command.of("npx", "vite").newProcessGroup()
 *     .stdout(Stdio.pipe()).stderr(Stdio.pipe()).spawn();
 * dev.stdout().onLine(line -> log.info("[vite] {}", line));
 * dev.stderr().onLine(line -> log.warn("[vite] {}", line));
 * dev.onExit().thenAccept(status -> log.info("vite ended: {}", status));
 * dev.terminate(Duration.ofSeconds(5));   // SIGTERM to the group, SIGKILL after 5 s
 * }
 */
public final class ChildProcess implements AutoCloseable {
    private final NativeChild child;
    private final List<String> command;
    private final Timers timers;
    private final boolean ownsGroup;
    private final Map<Integer, ReadEnd> outputs = new TreeMap<>();
    private final Map<Integer, WriteEnd> inputs = new TreeMap<>();
    private final Map<Integer, Stdio> stdio;
    private volatile boolean timedOut;

    /** {@code watch} false: the caller waits with {@link #waitFor()} right away (status()). */
    ChildProcess(NativeChild child, Backend backend, List<String> command, Map<Integer, Stdio> stdio,
            boolean ownsGroup, Duration timeout, boolean watch) {
        this.child = child;
        if (watch || timeout != null) {
            child.watch();
        }
        this.command = command;
        this.timers = backend.timers();
        this.ownsGroup = ownsGroup;
        this.stdio = stdio;
        for (int fd : stdio.keySet()) {
            ByteSource src = child.output(fd);
            if (src != null) {
                outputs.put(fd, new ReadEnd(src, new StreamName(fd, this), timers));
            }
            ByteTarget dst = child.input(fd);
            if (dst != null) {
                inputs.put(fd, new WriteEnd(dst, new StreamName(fd, this)));
            }
        }
        if (timeout != null) {
            Timers.Timer timer = timers.schedule(Math.max(0, timeout.toNanos()), () -> {
                if (child.onExit().isDone()) {
                    return;
                }
                timedOut = true;
                killGroupOrSelf(Signal.KILL);
            });
            child.onExit().whenComplete((s, e) -> timer.cancel());
        }
    }

    /** "stdout of pid 12 [sort -u]", built when a message needs it (most streams never say a word). */
    private record StreamName(int fd, ChildProcess owner) {
        @Override
        public String toString() {
            return SpawnRequest.describeFd(fd) + " of " + owner;
        }
    }

    /** The child's process id. */
    public long pid() {
        return child.pid();
    }

    /** The argv the child was started with. */
    public List<String> command() {
        return command;
    }

    /** Our end of the child's stdin; the command must have set {@code stdin(Stdio.pipe())}. */
    public WriteEnd stdin() {
        return input(0);
    }

    /** Our end of the child's stdout; the command must have set {@code stdout(Stdio.pipe())}. */
    public ReadEnd stdout() {
        return output(1);
    }

    /** Our end of the child's stderr; the command must have set {@code stderr(Stdio.pipe())}. */
    public ReadEnd stderr() {
        return output(2);
    }

    /** Our end of a pipe the child writes on descriptor {@code fd}. */
    public ReadEnd output(int fd) {
        ReadEnd r = outputs.get(fd);
        if (r == null) {
            throw new IllegalStateException("fd " + fd + " of " + this + " is not a pipe the child writes (it is "
                    + stdio.getOrDefault(fd, Stdio.inherit()) + ")");
        }
        return r;
    }

    /** Our end of a pipe the child reads on descriptor {@code fd}. */
    public WriteEnd input(int fd) {
        WriteEnd w = inputs.get(fd);
        if (w == null) {
            throw new IllegalStateException("fd " + fd + " of " + this + " is not a pipe the child reads (it is "
                    + stdio.getOrDefault(fd, Stdio.inherit()) + ")");
        }
        return w;
    }

    /** Completes with the exit status once the child has ended (its pipes may still hold data). */
    public CompletableFuture<ExitStatus> onExit() {
        return child.onExit().copy();
    }

    /** Waits for the child to end. */
    public ExitStatus waitFor() throws InterruptedException {
        // A platform thread waits on the child itself (no hand-off from the loop thread); a virtual
        // thread parks on the future instead of pinning its carrier in a native call.
        try {
            if (!Thread.currentThread().isVirtual()) {
                while (!child.onExit().isDone() && child.awaitExitDirectly(100)) {
                    if (Thread.interrupted()) {
                        throw new InterruptedException();
                    }
                }
            }
        } finally {
            child.watch(); // unless it ended already: from here on the loop sees the exit
        }
        try {
            return child.onExit().get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("exit of " + this + " could not be observed", e.getCause());
        }
    }

    /**
     * Waits at most {@code timeout} for the child to end; empty if it is still running. A zero or
     * negative timeout does not wait.
     */
    public Optional<ExitStatus> waitFor(Duration timeout) throws InterruptedException {
        if (timeout.isNegative() || timeout.isZero()) {
            return poll();
        }
        try {
            return Optional.of(child.onExit().get(timeout.toNanos(), TimeUnit.NANOSECONDS));
        } catch (TimeoutException e) {
            return Optional.empty();
        } catch (ExecutionException e) {
            throw new IllegalStateException("exit of " + this + " could not be observed", e.getCause());
        }
    }

    /** The exit status if the child has ended, without waiting. */
    public Optional<ExitStatus> poll() {
        CompletableFuture<ExitStatus> f = child.onExit();
        return f.isDone() && !f.isCompletedExceptionally() ? Optional.of(f.join()) : Optional.empty();
    }

    /** True until the child has ended and been reaped. */
    public boolean isAlive() {
        return !child.onExit().isDone();
    }

    /**
     * Sends {@code signal} to the child. Returns false, sending nothing, when the child has already
     * ended.
     */
    public boolean kill(Signal signal) {
        return child.kill(signal);
    }

    /** Sends {@code SIGKILL} to the child (TerminateProcess on Windows). */
    public boolean kill() {
        return child.kill(Signal.KILL);
    }

    /**
     * Sends {@code signal} to the child's whole process group. The command must have asked for
     * {@link Command#newProcessGroup()} or {@link Command#newSession()}.
     */
    public boolean killGroup(Signal signal) {
        if (!ownsGroup) {
            throw new IllegalStateException(this + " has no process group of its own: start it with newProcessGroup()");
        }
        return child.killGroup(signal);
    }

    /**
     * True while a process of the child's process group is still running: the child itself, or a
     * grandchild that stayed in the group after the child ended. The command must have asked for
     * {@link Command#newProcessGroup()} or {@link Command#newSession()}. Never blocks for long; call
     * it again to watch a group empty out (there is no notification for that).
     *
     * <p>Linux: {@code kill(-pgid, 0)}; a member we may not signal ({@code EPERM}, it changed user)
     * counts as running. Members that are zombies do not: an orphaned grandchild is reaped by
     * PID 1 (or a subreaper), and where PID 1 never reaps (some containers) its zombie would keep
     * the group "alive" for ever; so when {@code kill} finds members, {@code /proc} is read to see
     * whether any of them is not a zombie (if {@code /proc} cannot be read, they count as running).
     *
     * <p>Pid reuse: once the child has been reaped and the last member of its group has ended, the
     * group id is free again; a new process that happens to get the same pid and starts a group of
     * its own would then be reported as this group (and {@link #killGroup(Signal)} would signal
     * it). Linux hands pids out in increasing order up to {@code pid_max} before it wraps, so this
     * takes a very busy machine; callers watching a group should stop once this returns false.
     *
     * @throws IllegalStateException the child has no process group of its own
     * @throws UnsupportedOperationException the backend has no process groups (the JDK fallback)
     */
    public boolean groupAlive() {
        if (!ownsGroup) {
            throw new IllegalStateException(this + " has no process group of its own: start it with newProcessGroup()");
        }
        return child.groupAlive();
    }

    /**
     * Kills the child and everything in its process group with {@code SIGKILL}: grandchildren die
     * too. Without a group of its own, only the child is killed.
     */
    public boolean killTree() {
        return killGroupOrSelf(Signal.KILL);
    }

    private boolean killGroupOrSelf(Signal signal) {
        return ownsGroup ? child.killGroup(signal) : child.kill(signal);
    }

    /**
     * Asks the child to stop with {@code SIGTERM} (its whole group if it has one), and kills it
     * (group) with {@code SIGKILL} if it is still running after {@code grace}. Completes with the
     * exit status.
     */
    public CompletableFuture<ExitStatus> terminate(Duration grace) {
        return terminate(Signal.TERM, grace);
    }

    /** {@link #terminate(Duration)} with another polite signal. */
    public CompletableFuture<ExitStatus> terminate(Signal politeSignal, Duration grace) {
        CompletableFuture<ExitStatus> exit = child.onExit();
        if (!exit.isDone()) {
            killGroupOrSelf(politeSignal);
            Timers.Timer t = timers.schedule(Math.max(0, grace.toNanos()), () -> {
                if (!exit.isDone()) {
                    killGroupOrSelf(Signal.KILL);
                }
            });
            exit.whenComplete((s, e) -> t.cancel());
        }
        return exit.copy();
    }

    /** True when the command's {@link Command#timeout(Duration) timeout} elapsed and the child was killed. */
    public boolean timedOut() {
        return timedOut;
    }

    /**
     * Closes our ends of the child's pipes (readers end, pending writes fail). The child keeps
     * running and its exit is still observed; use {@link #terminate(Duration)} to stop it.
     */
    @Override
    public void close() {
        child.close();
    }

    /** A {@link java.lang.Process} view of this child, for code written against {@code Process}. */
    public Process toProcess() {
        return new ProcessView(this);
    }

    @Override
    public String toString() {
        return "pid " + child.pid() + " " + ProcessFailedException.describe(command);
    }
}
