package io.spawnkit.internal.jdk;

import io.spawnkit.ExitStatus;
import io.spawnkit.Signal;
import io.spawnkit.internal.NativeChild;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A child started by {@link ProcessBuilder}, seen through its {@link Process}.
 *
 * <p>Exit: observed through {@link Process#onExit()}, so no thread of ours waits for it (the JDK's
 * own reaper thread does). The JDK reports a death by signal {@code n} as exit value
 * {@code 128 + n}, the same value as {@code exit(128 + n)}. The rule used here:
 * <pre>
 *   exit value   this backend sent         reported
 *   143          TERM (15)                 Signaled(TERM, false)
 *   137          KILL (9)                  Signaled(KILL, false)
 *   143          nothing, or only KILL     Exited(143)      (someone else's SIGTERM looks like exit(143))
 *   137          TERM only                 Exited(137)
 *   3            anything                  Exited(3)
 * </pre>
 * A child that catches our {@code TERM} and then calls {@code exit(143)} is reported as killed by
 * {@code TERM}, which is how a shell would see it too. Core dumps are never reported.
 *
 * <p>Signals: {@code TERM} and {@code KILL} only, through {@link ProcessHandle}, which the JDK
 * guards against pid reuse by comparing the process start time.
 */
final class JdkChild implements NativeChild {
    private static final int TERM_SENT = 1;
    private static final int KILL_SENT = 2;

    private final Process process;
    private final ProcessHandle handle;
    private final CompletableFuture<ExitStatus> exit = new CompletableFuture<>();
    private final AtomicInteger sent = new AtomicInteger();
    private final StreamTarget stdin;
    private final StreamSource stdout;
    private final StreamSource stderr;

    /**
     * @param pipeIn  fd 0 is a pipe the child reads
     * @param pipeOut fd 1 is a pipe the child writes
     * @param pipeErr fd 2 is a pipe of its own the child writes (not merged into fd 1)
     */
    JdkChild(Process process, boolean pipeIn, boolean pipeOut, boolean pipeErr) {
        this.process = process;
        this.handle = process.toHandle();
        long pid = process.pid();
        this.stdin = pipeIn ? new StreamTarget(process.getOutputStream(), "spawnkit-jdk-stdin-" + pid) : null;
        this.stdout = pipeOut ? new StreamSource(process.getInputStream(), "spawnkit-jdk-stdout-" + pid) : null;
        this.stderr = pipeErr ? new StreamSource(process.getErrorStream(), "spawnkit-jdk-stderr-" + pid) : null;
        process.onExit().whenComplete((p, error) -> {
            if (stdin != null) {
                stdin.childExited();
            }
            if (error != null) {
                exit.completeExceptionally(error);
            } else if (process.exitValue() == 0 && sigchldIgnored()) {
                // the JDK turns waitpid's ECHILD into 0: with SIGCHLD ignored the kernel reaped the
                // child and its status is gone; say so, as the Linux backend does, not "exited 0"
                exit.completeExceptionally(new IllegalStateException("pid " + pid + " was reaped by someone else"
                        + " (ECHILD): SIGCHLD is ignored in this process, so its exit status is lost"));
            } else {
                exit.complete(decode(process.exitValue()));
            }
        });
    }

    /** Whether this process ignores SIGCHLD (Linux: bit 17 of SigIgn in /proc/self/status). */
    private static boolean sigchldIgnored() {
        try (var lines = java.nio.file.Files.lines(java.nio.file.Path.of("/proc/self/status"))) {
            return lines.filter(l -> l.startsWith("SigIgn:")).findFirst()
                    .map(l -> (Long.parseUnsignedLong(l.substring(7).strip(), 16) & (1L << (17 - 1))) != 0)
                    .orElse(false);
        } catch (java.io.IOException | RuntimeException notLinux) {
            return false;
        }
    }

    private ExitStatus decode(int value) {
        int bits = sent.get();
        if ((bits & KILL_SENT) != 0 && value == 128 + Signal.KILL.number()) {
            return new ExitStatus.Signaled(Signal.KILL, false);
        }
        if ((bits & TERM_SENT) != 0 && value == 128 + Signal.TERM.number()) {
            return new ExitStatus.Signaled(Signal.TERM, false);
        }
        return new ExitStatus.Exited(value);
    }

    @Override
    public long pid() {
        return process.pid();
    }

    @Override
    public CompletableFuture<ExitStatus> onExit() {
        return exit;
    }

    /**
     * {@code TERM} is {@link ProcessHandle#destroy()}, {@code KILL} is
     * {@link ProcessHandle#destroyForcibly()}; any other signal throws
     * {@link UnsupportedOperationException}. Returns false, sending nothing, once the child has
     * ended.
     */
    @Override
    public boolean kill(Signal signal) {
        boolean force;
        if (signal.equals(Signal.KILL)) {
            force = true;
        } else if (signal.equals(Signal.TERM)) {
            force = false;
        } else {
            throw JdkBackend.unsupported("signal " + signal + " (only TERM and KILL)");
        }
        if (exit.isDone() || !process.isAlive()) {
            return false;
        }
        // Recorded before sending: the exit can be decoded on another thread before destroy returns.
        int bit = force ? KILL_SENT : TERM_SENT;
        sent.getAndUpdate(bits -> bits | bit);
        // Not Process.destroy(): on Unix it also closes the three streams, which would cut off
        // output the child is still writing and fail our readers with "Stream closed".
        return force ? handle.destroyForcibly() : handle.destroy();
    }

    @Override
    public boolean killGroup(Signal signal) {
        throw JdkBackend.unsupported("signalling a process group");
    }

    @Override
    public StreamSource output(int fd) {
        return switch (fd) {
            case 1 -> stdout;
            case 2 -> stderr;
            default -> null;
        };
    }

    @Override
    public StreamTarget input(int fd) {
        return fd == 0 ? stdin : null;
    }

    /** Closes our ends of the pipes: readers end with "closed", queued writes fail. The child lives on. */
    @Override
    public void close() {
        if (stdout != null) {
            stdout.close();
        }
        if (stderr != null) {
            stderr.close();
        }
        if (stdin != null) {
            stdin.abort();
        }
    }
}
