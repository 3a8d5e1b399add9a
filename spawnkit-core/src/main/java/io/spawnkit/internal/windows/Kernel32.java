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
import java.util.Locale;

/**
 * kernel32.dll, bound through FFM: C names, C argument order, raw results. Every call captures
 * {@code GetLastError} in the same downcall (reading it later could see a value the JVM itself left
 * on the thread); {@link #lastError()} returns the value captured by this thread's last call. As with
 * the C API, check the result first: the captured value is meaningful only after a call reported
 * failure (or for the few functions documented to set it on success, such as
 * {@code ConnectNamedPipe}'s {@code ERROR_PIPE_CONNECTED}).
 *
 * <p><b>Windows only.</b> The static initialiser links against {@code kernel32}, which does not
 * exist elsewhere: nothing outside the Windows backend and {@code io.spawnkit.os.Win32} (after its OS
 * check) may touch this class. Constants and layouts live in {@link Win32Constants} and
 * {@link Win32Structs}, which load on every platform.
 *
 * <p><b>Types (Win64, LLP64).</b> {@code HANDLE} and other pointer-sized integers ({@code SIZE_T},
 * {@code ULONG_PTR}, {@code DWORD_PTR}) are Java {@code long}, passed in the same registers as a
 * pointer; pointers to memory are {@link MemorySegment} ({@link MemorySegment#NULL} for C's NULL);
 * {@code DWORD}, {@code BOOL} and {@code UINT} are {@code int}. The x64 calling convention passes the
 * first four arguments in RCX, RDX, R8, R9 and the rest on the stack; the linker does that from the
 * exact descriptors below.
 */
public final class Kernel32 {
    private Kernel32() {}

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup KERNEL32 = kernel32();
    private static final Linker.Option CAPTURE_OPTION = Linker.Option.captureCallState("GetLastError");
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle LAST_ERROR =
            CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("GetLastError"));
    private static final ThreadLocal<MemorySegment> STATE =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(CAPTURE));

    /** kernel32.dll, or a clear refusal where it cannot exist (instead of "cannot open library"). */
    private static SymbolLookup kernel32() {
        String os = System.getProperty("os.name", "");
        if (!os.toLowerCase(Locale.ROOT).startsWith("windows")) {
            throw new UnsupportedOperationException("kernel32 exists only on Windows; this is " + os);
        }
        return SymbolLookup.libraryLookup("kernel32", Arena.global());
    }

    private static MethodHandle downcall(String name, FunctionDescriptor descriptor) {
        MemorySegment symbol = KERNEL32.find(name)
                .orElseThrow(() -> new UnsatisfiedLinkError("kernel32 has no " + name));
        return LINKER.downcallHandle(symbol, descriptor, CAPTURE_OPTION);
    }

    /** The {@code GetLastError} value captured by this thread's last call through this class. */
    public static int lastError() {
        return (int) LAST_ERROR.get(STATE.get(), 0L);
    }

    private static MemorySegment state() {
        return STATE.get();
    }

    // ---- handles ----------------------------------------------------------------------------------

    private static final MethodHandle CLOSE_HANDLE =
            downcall("CloseHandle", FunctionDescriptor.of(JAVA_INT, JAVA_LONG));
    private static final MethodHandle SET_HANDLE_INFORMATION =
            downcall("SetHandleInformation", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_INT));
    private static final MethodHandle DUPLICATE_HANDLE = downcall("DuplicateHandle",
            FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle GET_CURRENT_PROCESS =
            downcall("GetCurrentProcess", FunctionDescriptor.of(JAVA_LONG));
    private static final MethodHandle GET_CURRENT_PROCESS_ID =
            downcall("GetCurrentProcessId", FunctionDescriptor.of(JAVA_INT));
    private static final MethodHandle GET_STD_HANDLE =
            downcall("GetStdHandle", FunctionDescriptor.of(JAVA_LONG, JAVA_INT));
    private static final MethodHandle GET_FILE_TYPE =
            downcall("GetFileType", FunctionDescriptor.of(JAVA_INT, JAVA_LONG));

    /** {@code BOOL CloseHandle(HANDLE hObject)}. */
    public static int CloseHandle(long h) {
        try {
            return (int) CLOSE_HANDLE.invokeExact(state(), h);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** {@code BOOL SetHandleInformation(HANDLE hObject, DWORD dwMask, DWORD dwFlags)}. */
    public static int SetHandleInformation(long h, int mask, int flags) {
        try {
            return (int) SET_HANDLE_INFORMATION.invokeExact(state(), h, mask, flags);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /**
     * {@code BOOL DuplicateHandle(HANDLE hSourceProcessHandle, HANDLE hSourceHandle,
     * HANDLE hTargetProcessHandle, LPHANDLE lpTargetHandle, DWORD dwDesiredAccess,
     * BOOL bInheritHandle, DWORD dwOptions)}.
     */
    public static int DuplicateHandle(long srcProc, long src, long dstProc, MemorySegment pDst, int access,
                                      int inherit, int options) {
        try {
            return (int) DUPLICATE_HANDLE.invokeExact(state(), srcProc, src, dstProc, pDst, access, inherit, options);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** {@code HANDLE GetCurrentProcess(void)}: the pseudo-handle -1, never to be closed. */
    public static long GetCurrentProcess() {
        try {
            return (long) GET_CURRENT_PROCESS.invokeExact(state());
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** {@code DWORD GetCurrentProcessId(void)}. */
    public static int GetCurrentProcessId() {
        try {
            return (int) GET_CURRENT_PROCESS_ID.invokeExact(state());
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** {@code HANDLE GetStdHandle(DWORD nStdHandle)}: INVALID_HANDLE_VALUE on failure, 0 when none. */
    public static long GetStdHandle(int which) {
        try {
            return (long) GET_STD_HANDLE.invokeExact(state(), which);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /**
     * {@code DWORD GetFileType(HANDLE hFile)}: FILE_TYPE_DISK, _CHAR, _PIPE, _REMOTE, or
     * FILE_TYPE_UNKNOWN (0, then see {@link #lastError()}: NO_ERROR means the type is unknown).
     * Hazard: on a synchronous pipe with a read pending in another thread it can wait for that read
     * (the C runtime avoids it on entries flagged FPIPE for this reason); call it only for handles
     * whose type is not known otherwise.
     */
    public static int GetFileType(long h) {
        try {
            return (int) GET_FILE_TYPE.invokeExact(state(), h);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    // ---- pipes and files --------------------------------------------------------------------------

    private static final MethodHandle CREATE_PIPE = downcall("CreatePipe",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_INT));
    private static final MethodHandle CREATE_NAMED_PIPE_W = downcall("CreateNamedPipeW",
            FunctionDescriptor.of(JAVA_LONG, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT,
                    ADDRESS));
    private static final MethodHandle CREATE_FILE_W = downcall("CreateFileW",
            FunctionDescriptor.of(JAVA_LONG, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, JAVA_LONG));
    private static final MethodHandle CONNECT_NAMED_PIPE =
            downcall("ConnectNamedPipe", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, ADDRESS));
    private static final MethodHandle READ_FILE = downcall("ReadFile",
            FunctionDescriptor.of(JAVA_INT, JAVA_LONG, ADDRESS, JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle WRITE_FILE = downcall("WriteFile",
            FunctionDescriptor.of(JAVA_INT, JAVA_LONG, ADDRESS, JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle CANCEL_IO_EX =
            downcall("CancelIoEx", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, ADDRESS));
    private static final MethodHandle GET_OVERLAPPED_RESULT = downcall("GetOverlappedResult",
            FunctionDescriptor.of(JAVA_INT, JAVA_LONG, ADDRESS, ADDRESS, JAVA_INT));

    /**
     * {@code BOOL CreatePipe(PHANDLE hReadPipe, PHANDLE hWritePipe,
     * LPSECURITY_ATTRIBUTES lpPipeAttributes, DWORD nSize)}: an anonymous pipe, which never supports
     * overlapped I/O (use a named pipe for that).
     */
    public static int CreatePipe(MemorySegment pRead, MemorySegment pWrite, MemorySegment sa, int size) {
        try {
            return (int) CREATE_PIPE.invokeExact(state(), pRead, pWrite, sa, size);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /**
     * {@code HANDLE CreateNamedPipeW(LPCWSTR lpName, DWORD dwOpenMode, DWORD dwPipeMode,
     * DWORD nMaxInstances, DWORD nOutBufferSize, DWORD nInBufferSize, DWORD nDefaultTimeOut,
     * LPSECURITY_ATTRIBUTES lpSecurityAttributes)}: INVALID_HANDLE_VALUE on failure.
     */
    public static long CreateNamedPipeW(MemorySegment name, int openMode, int pipeMode, int maxInstances,
                                        int outSize, int inSize, int defaultTimeout, MemorySegment sa) {
        try {
            return (long) CREATE_NAMED_PIPE_W.invokeExact(state(), name, openMode, pipeMode, maxInstances,
                    outSize, inSize, defaultTimeout, sa);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /**
     * {@code HANDLE CreateFileW(LPCWSTR lpFileName, DWORD dwDesiredAccess, DWORD dwShareMode,
     * LPSECURITY_ATTRIBUTES lpSecurityAttributes, DWORD dwCreationDisposition,
     * DWORD dwFlagsAndAttributes, HANDLE hTemplateFile)}: INVALID_HANDLE_VALUE on failure.
     */
    public static long CreateFileW(MemorySegment name, int access, int share, MemorySegment sa, int disposition,
                                   int flags, long template) {
        try {
            return (long) CREATE_FILE_W.invokeExact(state(), name, access, share, sa, disposition, flags, template);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /**
     * {@code BOOL ConnectNamedPipe(HANDLE hNamedPipe, LPOVERLAPPED lpOverlapped)}: with an
     * OVERLAPPED, 0 and ERROR_IO_PENDING while waiting; 0 and ERROR_PIPE_CONNECTED when the client
     * connected between CreateNamedPipeW and this call (that is a success).
     */
    public static int ConnectNamedPipe(long pipe, MemorySegment overlapped) {
        try {
            return (int) CONNECT_NAMED_PIPE.invokeExact(state(), pipe, overlapped);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /**
     * {@code BOOL ReadFile(HANDLE hFile, LPVOID lpBuffer, DWORD nNumberOfBytesToRead,
     * LPDWORD lpNumberOfBytesRead, LPOVERLAPPED lpOverlapped)}. On a pipe, end of file is 0 with
     * ERROR_BROKEN_PIPE. With an OVERLAPPED the buffer must stay valid until completion.
     */
    public static int ReadFile(long h, MemorySegment buf, int len, MemorySegment pRead, MemorySegment overlapped) {
        try {
            return (int) READ_FILE.invokeExact(state(), h, buf, len, pRead, overlapped);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /**
     * {@code BOOL WriteFile(HANDLE hFile, LPCVOID lpBuffer, DWORD nNumberOfBytesToWrite,
     * LPDWORD lpNumberOfBytesWritten, LPOVERLAPPED lpOverlapped)}. Writing to a pipe whose reader
     * has gone fails with ERROR_NO_DATA (232) or ERROR_BROKEN_PIPE (109).
     */
    public static int WriteFile(long h, MemorySegment buf, int len, MemorySegment pWritten,
                                MemorySegment overlapped) {
        try {
            return (int) WRITE_FILE.invokeExact(state(), h, buf, len, pWritten, overlapped);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** {@code BOOL CancelIoEx(HANDLE hFile, LPOVERLAPPED lpOverlapped)}: NULL cancels all of the handle's I/O. */
    public static int CancelIoEx(long h, MemorySegment overlapped) {
        try {
            return (int) CANCEL_IO_EX.invokeExact(state(), h, overlapped);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /**
     * {@code BOOL GetOverlappedResult(HANDLE hFile, LPOVERLAPPED lpOverlapped,
     * LPDWORD lpNumberOfBytesTransferred, BOOL bWait)}.
     */
    public static int GetOverlappedResult(long h, MemorySegment overlapped, MemorySegment pBytes, int wait) {
        try {
            return (int) GET_OVERLAPPED_RESULT.invokeExact(state(), h, overlapped, pBytes, wait);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    // ---- I/O completion ports ---------------------------------------------------------------------

    private static final MethodHandle CREATE_IO_COMPLETION_PORT = downcall("CreateIoCompletionPort",
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_INT));
    private static final MethodHandle GET_QUEUED_COMPLETION_STATUS_EX = downcall("GetQueuedCompletionStatusEx",
            FunctionDescriptor.of(JAVA_INT, JAVA_LONG, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
    private static final MethodHandle POST_QUEUED_COMPLETION_STATUS = downcall("PostQueuedCompletionStatus",
            FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_LONG, ADDRESS));

    /**
     * {@code HANDLE CreateIoCompletionPort(HANDLE FileHandle, HANDLE ExistingCompletionPort,
     * ULONG_PTR CompletionKey, DWORD NumberOfConcurrentThreads)}: NULL (0) on failure, unlike
     * most handle-returning calls. A new port: file = INVALID_HANDLE_VALUE, port = 0.
     */
    public static long CreateIoCompletionPort(long file, long port, long key, int threads) {
        try {
            return (long) CREATE_IO_COMPLETION_PORT.invokeExact(state(), file, port, key, threads);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /**
     * {@code BOOL GetQueuedCompletionStatusEx(HANDLE CompletionPort, LPOVERLAPPED_ENTRY lpCompletionPortEntries,
     * ULONG ulCount, PULONG ulNumEntriesRemoved, DWORD dwMilliseconds, BOOL fAlertable)}: 0 with
     * WAIT_TIMEOUT (258) when nothing arrived in time.
     */
    public static int GetQueuedCompletionStatusEx(long port, MemorySegment entries, int count,
                                                  MemorySegment pRemoved, int millis, int alertable) {
        try {
            return (int) GET_QUEUED_COMPLETION_STATUS_EX.invokeExact(state(), port, entries, count, pRemoved,
                    millis, alertable);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /**
     * {@code BOOL PostQueuedCompletionStatus(HANDLE CompletionPort, DWORD dwNumberOfBytesTransferred,
     * ULONG_PTR dwCompletionKey, LPOVERLAPPED lpOverlapped)}.
     */
    public static int PostQueuedCompletionStatus(long port, int bytes, long key, MemorySegment overlapped) {
        try {
            return (int) POST_QUEUED_COMPLETION_STATUS.invokeExact(state(), port, bytes, key, overlapped);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    // ---- processes --------------------------------------------------------------------------------

    private static final MethodHandle CREATE_PROCESS_W = downcall("CreateProcessW",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS,
                    ADDRESS, ADDRESS));
    private static final MethodHandle INITIALIZE_PROC_THREAD_ATTRIBUTE_LIST = downcall(
            "InitializeProcThreadAttributeList", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS));
    private static final MethodHandle UPDATE_PROC_THREAD_ATTRIBUTE = downcall("UpdateProcThreadAttribute",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_LONG, ADDRESS, JAVA_LONG, ADDRESS, ADDRESS));
    private static final MethodHandle DELETE_PROC_THREAD_ATTRIBUTE_LIST =
            downcall("DeleteProcThreadAttributeList", FunctionDescriptor.ofVoid(ADDRESS));
    private static final MethodHandle WAIT_FOR_SINGLE_OBJECT =
            downcall("WaitForSingleObject", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_INT));
    private static final MethodHandle WAIT_FOR_MULTIPLE_OBJECTS =
            downcall("WaitForMultipleObjects", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
    private static final MethodHandle REGISTER_WAIT_FOR_SINGLE_OBJECT = downcall("RegisterWaitForSingleObject",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, ADDRESS, ADDRESS, JAVA_INT, JAVA_INT));
    private static final MethodHandle UNREGISTER_WAIT_EX =
            downcall("UnregisterWaitEx", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG));
    private static final MethodHandle GET_EXIT_CODE_PROCESS =
            downcall("GetExitCodeProcess", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, ADDRESS));
    private static final MethodHandle TERMINATE_PROCESS =
            downcall("TerminateProcess", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_INT));
    private static final MethodHandle GET_PROCESS_ID =
            downcall("GetProcessId", FunctionDescriptor.of(JAVA_INT, JAVA_LONG));
    private static final MethodHandle RESUME_THREAD =
            downcall("ResumeThread", FunctionDescriptor.of(JAVA_INT, JAVA_LONG));
    private static final MethodHandle OPEN_PROCESS =
            downcall("OpenProcess", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle GENERATE_CONSOLE_CTRL_EVENT =
            downcall("GenerateConsoleCtrlEvent", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));

    /**
     * {@code BOOL CreateProcessW(LPCWSTR lpApplicationName, LPWSTR lpCommandLine,
     * LPSECURITY_ATTRIBUTES lpProcessAttributes, LPSECURITY_ATTRIBUTES lpThreadAttributes,
     * BOOL bInheritHandles, DWORD dwCreationFlags, LPVOID lpEnvironment, LPCWSTR lpCurrentDirectory,
     * LPSTARTUPINFOW lpStartupInfo, LPPROCESS_INFORMATION lpProcessInformation)}. The command line
     * must be writable memory (CreateProcessW may modify it in place); a Unicode environment block
     * needs CREATE_UNICODE_ENVIRONMENT, a STARTUPINFOEXW needs EXTENDED_STARTUPINFO_PRESENT.
     */
    public static int CreateProcessW(MemorySegment app, MemorySegment cmdLine, MemorySegment procSa,
                                     MemorySegment threadSa, int inherit, int flags, MemorySegment env,
                                     MemorySegment cwd, MemorySegment startupInfo, MemorySegment processInfo) {
        try {
            return (int) CREATE_PROCESS_W.invokeExact(state(), app, cmdLine, procSa, threadSa, inherit, flags, env,
                    cwd, startupInfo, processInfo);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /**
     * {@code BOOL InitializeProcThreadAttributeList(LPPROC_THREAD_ATTRIBUTE_LIST lpAttributeList,
     * DWORD dwAttributeCount, DWORD dwFlags, PSIZE_T lpSize)}: called first with a NULL list to learn
     * the size in {@code *lpSize} (that call fails with ERROR_INSUFFICIENT_BUFFER, as documented).
     */
    public static int InitializeProcThreadAttributeList(MemorySegment list, int count, int flags,
                                                        MemorySegment pSize) {
        try {
            return (int) INITIALIZE_PROC_THREAD_ATTRIBUTE_LIST.invokeExact(state(), list, count, flags, pSize);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /**
     * {@code BOOL UpdateProcThreadAttribute(LPPROC_THREAD_ATTRIBUTE_LIST lpAttributeList, DWORD dwFlags,
     * DWORD_PTR Attribute, PVOID lpValue, SIZE_T cbSize, PVOID lpPreviousValue, PSIZE_T lpReturnSize)}.
     * The list keeps a pointer to {@code value}: it must outlive CreateProcessW.
     */
    public static int UpdateProcThreadAttribute(MemorySegment list, int flags, long attribute, MemorySegment value,
                                                long size, MemorySegment prev, MemorySegment retSize) {
        try {
            return (int) UPDATE_PROC_THREAD_ATTRIBUTE.invokeExact(state(), list, flags, attribute, value, size, prev,
                    retSize);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** {@code VOID DeleteProcThreadAttributeList(LPPROC_THREAD_ATTRIBUTE_LIST lpAttributeList)}. */
    public static void DeleteProcThreadAttributeList(MemorySegment list) {
        try {
            DELETE_PROC_THREAD_ATTRIBUTE_LIST.invokeExact(state(), list);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /**
     * {@code DWORD WaitForSingleObject(HANDLE hHandle, DWORD dwMilliseconds)}: WAIT_OBJECT_0,
     * WAIT_ABANDONED, WAIT_TIMEOUT or WAIT_FAILED (then see {@link #lastError()}).
     */
    public static int WaitForSingleObject(long h, int millis) {
        try {
            return (int) WAIT_FOR_SINGLE_OBJECT.invokeExact(state(), h, millis);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /**
     * {@code DWORD WaitForMultipleObjects(DWORD nCount, const HANDLE *lpHandles, BOOL bWaitAll,
     * DWORD dwMilliseconds)}: {@code count} (1..64, MAXIMUM_WAIT_OBJECTS) handles in {@code handles};
     * without bWaitAll, WAIT_OBJECT_0 + the index of the lowest signalled one, else WAIT_TIMEOUT or
     * WAIT_FAILED (then see {@link #lastError()}).
     */
    public static int WaitForMultipleObjects(int count, MemorySegment handles, int waitAll, int millis) {
        try {
            return (int) WAIT_FOR_MULTIPLE_OBJECTS.invokeExact(state(), count, handles, waitAll, millis);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /**
     * {@code BOOL RegisterWaitForSingleObject(PHANDLE phNewWaitObject, HANDLE hObject,
     * WAITORTIMERCALLBACK Callback, PVOID Context, ULONG dwMilliseconds, ULONG dwFlags)}. The callback
     * is an upcall stub of C type {@code VOID CALLBACK f(PVOID lpParameter, BOOLEAN TimerOrWaitFired)}
     * (descriptor {@code ofVoid(ADDRESS, JAVA_BYTE)}); it runs on a thread-pool thread and must stay
     * alive until {@code UnregisterWaitEx(wait, INVALID_HANDLE_VALUE)} has returned.
     */
    public static int RegisterWaitForSingleObject(MemorySegment pWait, long h, MemorySegment callback,
                                                  MemorySegment ctx, int millis, int flags) {
        try {
            return (int) REGISTER_WAIT_FOR_SINGLE_OBJECT.invokeExact(state(), pWait, h, callback, ctx, millis, flags);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /**
     * {@code BOOL UnregisterWaitEx(HANDLE WaitHandle, HANDLE CompletionEvent)}: with
     * INVALID_HANDLE_VALUE it waits for a running callback to return (never call that from the
     * callback itself); with 0 it returns at once, 0 and ERROR_IO_PENDING when a callback is running.
     */
    public static int UnregisterWaitEx(long wait, long event) {
        try {
            return (int) UNREGISTER_WAIT_EX.invokeExact(state(), wait, event);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /**
     * {@code BOOL GetExitCodeProcess(HANDLE hProcess, LPDWORD lpExitCode)}: STILL_ACTIVE (259) while
     * running, which a process can also exit with.
     */
    public static int GetExitCodeProcess(long h, MemorySegment pCode) {
        try {
            return (int) GET_EXIT_CODE_PROCESS.invokeExact(state(), h, pCode);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /**
     * {@code BOOL TerminateProcess(HANDLE hProcess, UINT uExitCode)}: asynchronous; fails with
     * ERROR_ACCESS_DENIED when the process has already exited.
     */
    public static int TerminateProcess(long h, int code) {
        try {
            return (int) TERMINATE_PROCESS.invokeExact(state(), h, code);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** {@code DWORD GetProcessId(HANDLE Process)}: 0 on failure. */
    public static int GetProcessId(long h) {
        try {
            return (int) GET_PROCESS_ID.invokeExact(state(), h);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** {@code DWORD ResumeThread(HANDLE hThread)}: the previous suspend count, (DWORD) -1 on failure. */
    public static int ResumeThread(long h) {
        try {
            return (int) RESUME_THREAD.invokeExact(state(), h);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** {@code HANDLE OpenProcess(DWORD dwDesiredAccess, BOOL bInheritHandle, DWORD dwProcessId)}: NULL (0) on failure. */
    public static long OpenProcess(int access, int inherit, int pid) {
        try {
            return (long) OPEN_PROCESS.invokeExact(state(), access, inherit, pid);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /**
     * {@code BOOL GenerateConsoleCtrlEvent(DWORD dwCtrlEvent, DWORD dwProcessGroupId)}: CTRL_C_EVENT
     * is ignored by a group created with CREATE_NEW_PROCESS_GROUP; CTRL_BREAK_EVENT is not.
     */
    public static int GenerateConsoleCtrlEvent(int event, int groupId) {
        try {
            return (int) GENERATE_CONSOLE_CTRL_EVENT.invokeExact(state(), event, groupId);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    // ---- job objects ------------------------------------------------------------------------------

    private static final MethodHandle CREATE_JOB_OBJECT_W =
            downcall("CreateJobObjectW", FunctionDescriptor.of(JAVA_LONG, ADDRESS, ADDRESS));
    private static final MethodHandle SET_INFORMATION_JOB_OBJECT = downcall("SetInformationJobObject",
            FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle ASSIGN_PROCESS_TO_JOB_OBJECT =
            downcall("AssignProcessToJobObject", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG));
    private static final MethodHandle TERMINATE_JOB_OBJECT =
            downcall("TerminateJobObject", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_INT));

    /** {@code HANDLE CreateJobObjectW(LPSECURITY_ATTRIBUTES lpJobAttributes, LPCWSTR lpName)}: NULL (0) on failure. */
    public static long CreateJobObjectW(MemorySegment sa, MemorySegment name) {
        try {
            return (long) CREATE_JOB_OBJECT_W.invokeExact(state(), sa, name);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /**
     * {@code BOOL SetInformationJobObject(HANDLE hJob, JOBOBJECTINFOCLASS JobObjectInformationClass,
     * LPVOID lpJobObjectInformation, DWORD cbJobObjectInformationLength)}.
     */
    public static int SetInformationJobObject(long job, int infoClass, MemorySegment info, int len) {
        try {
            return (int) SET_INFORMATION_JOB_OBJECT.invokeExact(state(), job, infoClass, info, len);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** {@code BOOL AssignProcessToJobObject(HANDLE hJob, HANDLE hProcess)}. */
    public static int AssignProcessToJobObject(long job, long process) {
        try {
            return (int) ASSIGN_PROCESS_TO_JOB_OBJECT.invokeExact(state(), job, process);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** {@code BOOL TerminateJobObject(HANDLE hJob, UINT uExitCode)}. */
    public static int TerminateJobObject(long job, int code) {
        try {
            return (int) TERMINATE_JOB_OBJECT.invokeExact(state(), job, code);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    // ---- system -----------------------------------------------------------------------------------

    private static final MethodHandle GET_SYSTEM_DIRECTORY_W =
            downcall("GetSystemDirectoryW", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));

    /**
     * {@code UINT GetSystemDirectoryW(LPWSTR lpBuffer, UINT uSize)}: the length written without the
     * NUL, or the size needed with it when {@code size} (in WCHARs) is too small, 0 on failure.
     */
    public static int GetSystemDirectoryW(MemorySegment buf, int size) {
        try {
            return (int) GET_SYSTEM_DIRECTORY_W.invokeExact(state(), buf, size);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }
}
