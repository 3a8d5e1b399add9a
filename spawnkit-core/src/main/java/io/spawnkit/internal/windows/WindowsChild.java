package io.spawnkit.internal.windows;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import io.spawnkit.ExitStatus;
import io.spawnkit.Signal;
import io.spawnkit.internal.ByteSource;
import io.spawnkit.internal.ByteTarget;
import io.spawnkit.internal.Log;
import io.spawnkit.internal.NativeChild;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A child of the Windows backend: its process handle, its job (when it owns a group or must die
 * with us), its pipe ends, and the one observation of its exit.
 *
 * <p>Pid reuse: we hold the process handle until the exit is observed, so the process object (and
 * its pid) cannot be recycled before; after that, {@link #kill} sends nothing. TerminateProcess goes
 * through the handle, never through the pid.
 *
 * <p>Exit: {@link #watch()} registers a thread-pool wait on the handle (RegisterWaitForSingleObject,
 * WT_EXECUTEONLYONCE) whose callback posts a packet to the loop; the loop then reads the exit code.
 * A direct waiter ({@link #awaitExitDirectly}) waits on a duplicate of the handle and may observe
 * the exit first; whoever comes first under the lock completes {@link #onExit()}, once.
 */
final class WindowsChild implements NativeChild {
    /** What a signal does to a child on Windows. */
    enum KillAction {
        /** TerminateProcess(handle, 1). */
        TERMINATE_PROCESS,
        /** GenerateConsoleCtrlEvent(CTRL_BREAK_EVENT, group): a console child may stop cleanly. */
        CTRL_BREAK,
        /** TerminateJobObject(job, 1): the child and everything it started. */
        TERMINATE_JOB
    }

    /** The exit code TerminateProcess and TerminateJobObject give (libuv's choice: "killed processes normally return 1"). */
    static final int KILLED_EXIT_CODE = 1;

    private final IocpLoop loop;
    private final int pid;
    private final JobObject job;
    private final boolean ownsGroup;
    private final boolean sharesConsole;
    private final Map<Integer, PipeReader> sources;
    private final Map<Integer, PipeWriter> targets;
    private final CompletableFuture<ExitStatus> exit = new CompletableFuture<>();
    private final Object lock = new Object();
    private long process;   // under lock; 0 once the exit is observed (closed)
    private long exitId;    // under lock; the loop's id for this child's exit packet, 0 = none
    private long waitHandle; // under lock; the registered wait, 0 = none
    private boolean watching;
    private boolean reaped;

    WindowsChild(IocpLoop loop, long process, int pid, JobObject job, boolean ownsGroup, boolean sharesConsole,
            Map<Integer, PipeReader> sources, Map<Integer, PipeWriter> targets) {
        this.loop = loop;
        this.process = process;
        this.pid = pid;
        this.job = job;
        this.ownsGroup = ownsGroup;
        this.sharesConsole = sharesConsole;
        this.sources = Map.copyOf(sources);
        this.targets = Map.copyOf(targets);
    }

    /**
     * The action for {@code signal} sent to the child alone ({@code group} false) or to its group.
     * <pre>
     *   signal          alone               group
     *   KILL            TERMINATE_PROCESS   TERMINATE_JOB
     *   TERM, INT       TERMINATE_PROCESS   CTRL_BREAK
     *   anything else   UnsupportedOperationException
     * </pre>
     * Alone, TERM and INT terminate as libuv does: Windows has no way to ask one process to stop
     * (CTRL_C/CTRL_BREAK go to a whole console process group, CTRL_C not at all to a new group,
     * which starts with it disabled). To a group, both become CTRL_BREAK_EVENT, which reaches only
     * console programs sharing this process's console.
     */
    static KillAction killAction(Signal signal, boolean group) {
        if (signal.equals(Signal.KILL)) {
            return group ? KillAction.TERMINATE_JOB : KillAction.TERMINATE_PROCESS;
        }
        if (signal.equals(Signal.TERM) || signal.equals(Signal.INT)) {
            return group ? KillAction.CTRL_BREAK : KillAction.TERMINATE_PROCESS;
        }
        throw new UnsupportedOperationException("signal " + signal + " has no meaning on Windows;"
                + " only KILL, TERM and INT do (TerminateProcess, CTRL_BREAK to a group)");
    }

    /**
     * The status of a process whose handle is signaled, from GetExitCodeProcess: always an exit,
     * the 32-bit code as Java's int (an NTSTATUS such as 0xC0000005, access violation, is negative).
     * 259 (STILL_ACTIVE) is a real exit code here: the handle is signaled, so the process ended.
     * <pre>
     *   0            Exited(0)
     *   1            Exited(1)          (what kill() gives)
     *   259          Exited(259)
     *   0xC0000005   Exited(-1073741819)
     * </pre>
     */
    static ExitStatus exitStatus(int exitCode) {
        return ExitStatus.exited(exitCode);
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
    public void watch() {
        synchronized (lock) {
            if (watching || reaped) {
                return;
            }
            watching = true;
            exitId = loop.registerExit(this::reap);
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment pWait = arena.allocate(JAVA_LONG);
                if (Kernel32.RegisterWaitForSingleObject(pWait, process, loop.exitCallback,
                        MemorySegment.ofAddress(exitId), Win32Constants.INFINITE,
                        Win32Constants.WT_EXECUTEONLYONCE | Win32Constants.WT_EXECUTEINWAITTHREAD) != 0) {
                    waitHandle = pWait.get(JAVA_LONG, 0);
                    return;
                }
                int err = Kernel32.lastError();
                loop.unregisterExit(exitId);
                exitId = 0;
                Log.warn("spawnkit: RegisterWaitForSingleObject for pid " + pid + ": " + Win32Errors.describe(err)
                        + "; its exit is found by polling");
            }
        }
        loop.execute(() -> poll(1_000_000L));
    }

    private void poll(long nanos) {
        if (!reap()) {
            long next = Math.min(nanos * 2, 50_000_000L);
            loop.schedule(nanos, () -> poll(next));
        }
    }

    /** Observes the exit if the process has ended (loop thread or a direct waiter); true once observed. */
    private boolean reap() {
        long handle;
        long wait;
        long id;
        int code = 0;
        String lost = null;
        synchronized (lock) {
            if (reaped) {
                return true;
            }
            if (Kernel32.WaitForSingleObject(process, 0) != Win32Constants.WAIT_OBJECT_0) {
                return false;
            }
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment pCode = arena.allocate(JAVA_INT);
                if (Kernel32.GetExitCodeProcess(process, pCode) == 0) {
                    lost = "pid " + pid + " ended but GetExitCodeProcess failed: "
                            + Win32Errors.describe(Kernel32.lastError());
                } else {
                    code = pCode.get(JAVA_INT, 0);
                }
            }
            reaped = true;
            handle = process;
            wait = waitHandle;
            id = exitId;
            process = 0;
            waitHandle = 0;
            exitId = 0;
        }
        if (id != 0) {
            loop.unregisterExit(id); // a packet still on its way finds nothing
        }
        if (wait != 0) {
            // blocking form (INVALID_HANDLE_VALUE): returns once the callback, if running, is done;
            // never called from the callback itself, so it cannot deadlock; then the handle may close
            Kernel32.UnregisterWaitEx(wait, Win32Constants.INVALID_HANDLE_VALUE);
        }
        Kernel32.CloseHandle(handle);
        if (lost != null) {
            exit.completeExceptionally(new IllegalStateException(lost));
        } else {
            exit.complete(exitStatus(code));
        }
        return true;
    }

    /** Waits on a duplicate of the handle, so the loop closing the original cannot pull it from under us. */
    @Override
    public boolean awaitExitDirectly(int millis) {
        long dup;
        synchronized (lock) {
            if (reaped) {
                return true;
            }
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment pDup = arena.allocate(JAVA_LONG);
                long self = Kernel32.GetCurrentProcess();
                if (Kernel32.DuplicateHandle(self, process, self, pDup, 0, 0, Win32Constants.DUPLICATE_SAME_ACCESS) == 0) {
                    return false;
                }
                dup = pDup.get(JAVA_LONG, 0);
            }
        }
        try {
            if (Kernel32.WaitForSingleObject(dup, millis < 0 ? Win32Constants.INFINITE : millis) == Win32Constants.WAIT_OBJECT_0) {
                reap();
            }
        } finally {
            Kernel32.CloseHandle(dup);
        }
        return true;
    }

    @Override
    public boolean kill(Signal signal) {
        killAction(signal, false); // refuses what Windows cannot do, even after the exit
        synchronized (lock) {
            if (reaped) {
                return false;
            }
            if (Kernel32.TerminateProcess(process, KILLED_EXIT_CODE) != 0) {
                return true;
            }
            int err = Kernel32.lastError();
            // a process that has already ended refuses with ERROR_ACCESS_DENIED
            if (err == Win32Constants.ERROR_ACCESS_DENIED
                    && Kernel32.WaitForSingleObject(process, 0) == Win32Constants.WAIT_OBJECT_0) {
                return false;
            }
            throw new IllegalStateException("TerminateProcess(pid " + pid + "): " + Win32Errors.describe(err));
        }
    }

    /**
     * KILL: TerminateJobObject, the whole tree, exit code 1. TERM/INT: CTRL_BREAK_EVENT to the
     * group, which only console programs attached to this process's console receive (their default
     * handler exits with STATUS_CONTROL_C_EXIT, 0xC000013A); when Windows refuses it (no shared
     * console, a detached child) or the leader has ended, nothing is sent and the answer is whether
     * the group still runs, so that {@code terminate(grace)} goes on to the kill after its grace.
     */
    @Override
    public boolean killGroup(Signal signal) {
        JobObject j = groupJob();
        switch (killAction(signal, true)) {
            case TERMINATE_JOB -> {
                return j.terminate(KILLED_EXIT_CODE);
            }
            case CTRL_BREAK -> {
                if (j.activeProcesses() == 0) {
                    return false;
                }
                synchronized (lock) {
                    // Only while the leader runs: a group id that no longer names a group has been
                    // seen to reach every process on the console, this JVM included. Without the
                    // leader the remaining members get nothing (terminate's kill follows its grace).
                    // Only to a leader on our console: one started detached or with a console of its
                    // own (CREATE_NO_WINDOW) never gets it, yet the call succeeds and, as a side
                    // effect, adds it to our console's process list (microsoft/terminal#335).
                    if (sharesConsole && !reaped && Kernel32.WaitForSingleObject(process, 0) == Win32Constants.WAIT_TIMEOUT
                            && Kernel32.GenerateConsoleCtrlEvent(Win32Constants.CTRL_BREAK_EVENT, pid) != 0) {
                        return true;
                    }
                }
                return j.activeProcesses() > 0;
            }
            default -> throw new IllegalStateException();
        }
    }

    /** True while the child's job has a running process: its own active-process count. */
    @Override
    public boolean groupAlive() {
        return groupJob().activeProcesses() > 0;
    }

    private JobObject groupJob() {
        if (!ownsGroup || job == null) {
            throw new IllegalStateException("pid " + pid + " does not lead a process group of its own");
        }
        return job;
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
        sources.values().forEach(PipeReader::close);
        targets.values().forEach(PipeWriter::abort);
    }
}
