package io.spawnkit.internal.windows;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import io.spawnkit.internal.Native;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The few kernel32 functions the backend needs beyond {@link Kernel32}'s list, bound the same way
 * (C names and order, raw results, GetLastError captured in the call). Windows only, like
 * {@link Kernel32}: linked when this class initialises.
 */
final class WindowsCalls {
    private WindowsCalls() {}

    /** {@code JobObjectBasicAccountingInformation}, the info class of {@link #JOB_ACCOUNTING}. */
    static final int JobObjectBasicAccountingInformation = 1;
    /** {@code SW_SHOWDEFAULT}: the window shows as its program asks (libuv's default). */
    static final short SW_SHOWDEFAULT = 10;

    /** {@code JOBOBJECT_BASIC_ACCOUNTING_INFORMATION}, 48 bytes. */
    static final StructLayout JOB_ACCOUNTING = MemoryLayout.structLayout(
            JAVA_LONG.withName("TotalUserTime"),
            JAVA_LONG.withName("TotalKernelTime"),
            JAVA_LONG.withName("ThisPeriodTotalUserTime"),
            JAVA_LONG.withName("ThisPeriodTotalKernelTime"),
            JAVA_INT.withName("TotalPageFaultCount"),
            JAVA_INT.withName("TotalProcesses"),
            JAVA_INT.withName("ActiveProcesses"),
            JAVA_INT.withName("TotalTerminatedProcesses")).withName("JOBOBJECT_BASIC_ACCOUNTING_INFORMATION");
    static final long ACTIVE_PROCESSES = Win32Structs.offset(JOB_ACCOUNTING, "ActiveProcesses");

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup KERNEL32 = SymbolLookup.libraryLookup("kernel32", Arena.global());
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle LAST_ERROR =
            CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("GetLastError"));
    private static final ThreadLocal<MemorySegment> STATE =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(CAPTURE));

    private static MethodHandle downcall(String name, FunctionDescriptor descriptor) {
        MemorySegment symbol = KERNEL32.find(name)
                .orElseThrow(() -> new UnsatisfiedLinkError("kernel32 has no " + name));
        return LINKER.downcallHandle(symbol, descriptor, Linker.Option.captureCallState("GetLastError"));
    }

    /** The GetLastError captured by this thread's last call through this class. */
    static int lastError() {
        return (int) LAST_ERROR.get(STATE.get(), 0L);
    }

    private static final MethodHandle QUERY_INFORMATION_JOB_OBJECT = downcall("QueryInformationJobObject",
            FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS));

    /**
     * {@code BOOL QueryInformationJobObject(HANDLE hJob, JOBOBJECTINFOCLASS cls, LPVOID info,
     * DWORD length, LPDWORD returnLength)}.
     */
    static int QueryInformationJobObject(long job, int infoClass, MemorySegment info, int len, MemorySegment retLen) {
        try {
            return (int) QUERY_INFORMATION_JOB_OBJECT.invokeExact(STATE.get(), job, infoClass, info, len, retLen);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }
}
