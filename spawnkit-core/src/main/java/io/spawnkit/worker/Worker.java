package io.spawnkit.worker;

import io.spawnkit.ChildProcess;
import io.spawnkit.ExitStatus;
import io.spawnkit.ReadEnd;
import io.spawnkit.Signal;
import io.spawnkit.WriteEnd;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A running worker JVM and its {@link Channel}: Python multiprocessing's {@code Process} with the
 * spawn start method and a {@code Pipe}, started by {@link WorkerSpec#start()}.
 *
 * <p>Lifecycle, as {@code Popen}: {@link #poll()}, {@link #waitFor(Duration)}, {@link #terminate()},
 * {@link #kill()}, {@link #close()}. The worker's exit status is an {@link ExitStatus}:
 * <ul>
 * <li>{@code Exited(0)}: the task returned;</li>
 * <li>{@code Exited(}{@value #EXIT_TASK_FAILED}{@code )}: the task threw (stack trace on its stderr);</li>
 * <li>{@code Exited(}{@value #EXIT_BOOTSTRAP_FAILED}{@code )}: the worker could not start the task
 *     (class not found, no public no-argument constructor, channel descriptors missing);</li>
 * <li>{@code Exited(}{@value #EXIT_ABANDONED}{@code )}: the channel ended (we closed it or died)
 *     and the task was still running after {@link WorkerSpec#exitGrace(Duration)};</li>
 * <li>{@code Exited(}{@value #EXIT_TERMINATED}{@code )} after {@link #terminate()}: the JVM
 *     handles {@code SIGTERM} itself, runs its shutdown hooks and exits with 128 + 15 (a worker
 *     started with {@code -Xrs} is instead killed by the signal: {@code Signaled(TERM)});</li>
 * <li>{@code Signaled(KILL)} after {@link #kill()};</li>
 * <li>on Windows, {@code Exited(1)} after {@link #terminate()}, {@link #terminate(Duration)} and
 *     {@link #kill()} alike: Windows cannot ask one process to stop, so the backend calls
 *     {@code TerminateProcess(handle, 1)} (libuv's code; the JVM runs no shutdown hooks). The code
 *     is the same as {@value #EXIT_TASK_FAILED}; {@code onExit()} after your own {@code terminate()}
 *     tells them apart. (Python's multiprocessing reports {@code -SIGTERM} there, from
 *     TerminateProcess's code 0x10000 — not a convention of Windows.)</li>
 * <li>anything the task chose with {@code System.exit} or {@code Runtime.halt}.</li>
 * </ul>
 */
public final class Worker implements AutoCloseable {
    /** The worker's exit code when the task threw. */
    public static final int EXIT_TASK_FAILED = 1;
    /** The worker's exit code when it could not start the task. */
    public static final int EXIT_BOOTSTRAP_FAILED = 78;
    /** The worker's exit code when the channel ended and the task did not finish within its grace. */
    public static final int EXIT_ABANDONED = 75;
    /** The exit code a worker JVM gives on {@code SIGTERM} ({@link #terminate()}): 128 + 15 (not on Windows: 1). */
    public static final int EXIT_TERMINATED = 143;

    private final ChildProcess process;
    private final Channel channel;
    private final Duration closeTimeout;

    private Worker(ChildProcess process, Channel channel, Duration closeTimeout) {
        this.process = process;
        this.channel = channel;
        this.closeTimeout = closeTimeout;
    }

    /** Starts the worker {@code spec} describes. */
    public static Worker start(WorkerSpec spec) {
        if (spec.transport() == WorkerSpec.Transport.LOOPBACK) {
            return startLoopback(spec);
        }
        ChildProcess p = spec.command().spawn();
        try {
            WriteEnd toWorker = p.input(WorkerMain.FD_IN);
            ReadEnd fromWorker = p.output(WorkerMain.FD_OUT);
            Channel channel = new Channel("channel of worker pid " + p.pid(), fromWorker.publisher(),
                    new Channel.Sink() {
                        @Override
                        public CompletableFuture<Void> write(byte[] frame) {
                            return toWorker.write(frame);
                        }

                        @Override
                        public void close() {
                            toWorker.close();
                        }
                    }, spec.maxFrame());
            return new Worker(p, channel, spec.closeTimeout());
        } catch (RuntimeException | Error e) {
            p.kill();
            p.close();
            throw e;
        }
    }

    /** {@link WorkerSpec.Transport#LOOPBACK}: listen, spawn, and let the channel wait for the connection. */
    private static Worker startLoopback(WorkerSpec spec) {
        Loopback.Listener listener;
        try {
            listener = new Loopback.Listener();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot listen on the loopback interface for " + spec, e);
        }
        ChildProcess p;
        try {
            p = spec.command(listener.port(), listener.keyHex()).spawn();
        } catch (RuntimeException | Error e) {
            listener.close();
            throw e;
        }
        String name = "channel of worker pid " + p.pid() + " (loopback)";
        listener.accept(name, p.pid(), () -> !p.isAlive());
        Channel channel = new Channel(name, Loopback.input(listener.connection()),
                Loopback.sink(listener.connection(), name), spec.maxFrame(),
                r -> Thread.ofVirtual().name(name + " reader").unstarted(r));
        return new Worker(p, channel, spec.closeTimeout());
    }

    /** The channel to the worker. */
    public Channel channel() {
        return channel;
    }

    /** The worker's process (its stdout/stderr pipes, passed pipes, signals). */
    public ChildProcess process() {
        return process;
    }

    /** The worker's process id. */
    public long pid() {
        return process.pid();
    }

    /** Completes with the worker's exit status. */
    public CompletableFuture<ExitStatus> onExit() {
        return process.onExit();
    }

    /** The exit status if the worker has ended, without waiting. */
    public Optional<ExitStatus> poll() {
        return process.poll();
    }

    /** True until the worker has ended. */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** Waits for the worker to end. */
    public ExitStatus waitFor() throws InterruptedException {
        return process.waitFor();
    }

    /** Waits at most {@code timeout}; empty if the worker is still running. */
    public Optional<ExitStatus> waitFor(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout);
    }

    /**
     * Sends {@code SIGTERM} (false if the worker had ended): the worker runs its shutdown hooks and
     * exits with {@value #EXIT_TERMINATED}. On Windows: {@code TerminateProcess} at once, exit code
     * 1, no shutdown hooks. Does not wait.
     */
    public boolean terminate() {
        return process.kill(Signal.TERM);
    }

    /**
     * Sends {@code SIGTERM}, then {@code SIGKILL} after {@code grace}; completes with the status.
     * On Windows the first step already ends the worker ({@code TerminateProcess}, exit code 1).
     */
    public CompletableFuture<ExitStatus> terminate(Duration grace) {
        return process.terminate(grace);
    }

    /** Sends {@code SIGKILL} (false if the worker had ended). Does not wait. */
    public boolean kill() {
        return process.kill();
    }

    /**
     * Closes the channel (what was sent is still written; the worker then reads the end), waits up
     * to {@link WorkerSpec#closeTimeout(Duration)} for the worker to exit, kills it if it has not,
     * and waits for it. Idempotent; an interrupt kills the worker at once (the flag is kept).
     */
    @Override
    public void close() {
        channel.close();
        boolean interrupted = false;
        try {
            if (process.waitFor(closeTimeout).isEmpty()) {
                process.kill();
                process.waitFor();
            }
        } catch (InterruptedException e) {
            interrupted = true;
            process.kill();
        } finally {
            process.close();
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "worker " + process;
    }
}
