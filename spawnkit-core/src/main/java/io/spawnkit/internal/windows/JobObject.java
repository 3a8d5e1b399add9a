package io.spawnkit.internal.windows;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * A job object holding one child and everything it starts: Windows' process group. A child that
 * owns a group ({@code newProcessGroup}/{@code newSession}) or asks {@code killOnParentExit} gets a
 * job of its own, created before CreateProcessW; the child starts suspended, joins the job, and only
 * then runs, so that no grandchild can be started outside it.
 *
 * <p>With {@code killOnParentExit} the job has JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE and its handle is
 * never closed by us: Windows closes it when this process ends, however it ends, and that kills
 * the whole tree. (One handle per such child for this JVM's lifetime: the price of the guarantee.)
 * Otherwise the handle is closed when the child's object becomes unreachable ({@link #close()}
 * through {@link io.spawnkit.internal.Cleanup}), which leaves the processes running.
 *
 * <p>Nested jobs (Windows 8+) let this work when this JVM itself runs in a job (CI runners, IDEs).
 */
final class JobObject {
    private final long handle;
    private final boolean killOnClose;
    private volatile boolean closed;

    private JobObject(long handle, boolean killOnClose) {
        this.handle = handle;
        this.killOnClose = killOnClose;
    }

    /** A new anonymous job; throws {@link NamedPipes.Failure} naming the failed call. */
    static JobObject create(boolean killOnClose) {
        long h = Kernel32.CreateJobObjectW(MemorySegment.NULL, MemorySegment.NULL);
        if (h == 0) {
            throw new NamedPipes.Failure("CreateJobObjectW", Kernel32.lastError());
        }
        if (killOnClose) {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment info = arena.allocate(Win32Structs.JOBOBJECT_EXTENDED_LIMIT_INFORMATION);
                info.set(JAVA_INT, Win32Structs.offset(Win32Structs.JOBOBJECT_EXTENDED_LIMIT_INFORMATION,
                        "BasicLimitInformation.LimitFlags"), Win32Constants.JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE);
                if (Kernel32.SetInformationJobObject(h, Win32Constants.JobObjectExtendedLimitInformation, info,
                        (int) info.byteSize()) == 0) {
                    int err = Kernel32.lastError();
                    Kernel32.CloseHandle(h);
                    throw new NamedPipes.Failure("SetInformationJobObject", err);
                }
            }
        }
        return new JobObject(h, killOnClose);
    }

    long handle() {
        return handle;
    }

    boolean killOnClose() {
        return killOnClose;
    }

    /** Puts the (suspended) process into the job; 0 or the Win32 error. */
    int assign(long process) {
        return Kernel32.AssignProcessToJobObject(handle, process) != 0 ? 0 : Kernel32.lastError();
    }

    /** Ends every process of the job with {@code code}; false when none was left. */
    boolean terminate(int code) {
        if (activeProcesses() == 0) {
            return false;
        }
        if (Kernel32.TerminateJobObject(handle, code) == 0) {
            throw new IllegalStateException("TerminateJobObject: " + Win32Errors.describe(Kernel32.lastError()));
        }
        return true;
    }

    /** How many processes of the job are still running (ended ones leave a job at once). */
    int activeProcesses() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment info = arena.allocate(WindowsCalls.JOB_ACCOUNTING);
            if (WindowsCalls.QueryInformationJobObject(handle, WindowsCalls.JobObjectBasicAccountingInformation, info,
                    (int) info.byteSize(), MemorySegment.NULL) == 0) {
                throw new IllegalStateException("QueryInformationJobObject: " + Win32Errors.describe(WindowsCalls.lastError()));
            }
            return info.get(JAVA_INT, WindowsCalls.ACTIVE_PROCESSES);
        }
    }

    /** Closes the handle, unless closing it would kill the tree (kill-on-close jobs live as long as we do). */
    void close() {
        if (!killOnClose && !closed) {
            closed = true;
            Kernel32.CloseHandle(handle);
        }
    }

    /** Closes the handle whatever the kind: for a spawn that failed before the child ran. */
    void discard() {
        if (!closed) {
            closed = true;
            Kernel32.CloseHandle(handle);
        }
    }
}
