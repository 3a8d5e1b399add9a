package io.spawnkit.internal.windows;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The process start that {@link WindowsBackend} and {@link WindowsOs} share: inheritable duplicates
 * of the child's handles, a PROC_THREAD_ATTRIBUTE_HANDLE_LIST naming exactly those, the
 * STARTUPINFOEXW (standard handles, optionally wShowWindow and the C runtime's descriptor table in
 * lpReserved2) and CreateProcessW. What differs between the two callers (the creation flags, the
 * show-window choice, the table, how a failure is reported) is a parameter.
 *
 * <p>Handle-list rules kept here: every listed handle is an inheritable duplicate made for this one
 * spawn (never a pseudo-handle, never INVALID_HANDLE_VALUE or 0), no handle value is listed twice
 * (CreateProcessW fails with ERROR_INVALID_PARAMETER on a repeat), and bInheritHandles is TRUE only
 * with a list, so the child inherits nothing else. The standard handles share a duplicate where
 * they share a handle (stdout and stderr, commonly); a C runtime descriptor above 2 always gets a
 * duplicate of its own, since the child's runtime closes the handle with the descriptor.
 *
 * <p><b>Only compiled so far</b> (no Windows JVM where this was written); the Windows CI job runs it.
 */
final class ProcessStart {
    private ProcessStart() {}

    private static volatile String comSpec;

    /** {@code <system directory>\cmd.exe}, for batch files: never %ComSpec% or PATH, which the environment could redirect. */
    static String comSpec() {
        String c = comSpec;
        if (c == null) {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment buf = arena.allocate(2L * 1024, 2);
                int n = Kernel32.GetSystemDirectoryW(buf, 1024);
                if (n == 0 || n >= 1024) {
                    throw new IllegalStateException("GetSystemDirectoryW: " + Win32Errors.describe(Kernel32.lastError()));
                }
                comSpec = c = Win32Structs.readWide(buf, n) + "\\cmd.exe";
            }
        }
        return c;
    }

    /**
     * An inheritable duplicate of {@code h} for one spawn, added to {@code toClose} at once, so the
     * caller closes it after the spawn, whether it succeeded or not.
     *
     * @throws NamedPipes.Failure DuplicateHandle failed
     */
    static long inheritableDuplicate(Arena arena, long h, List<Long> toClose) {
        MemorySegment pDup = arena.allocate(JAVA_LONG);
        long self = Kernel32.GetCurrentProcess();
        if (Kernel32.DuplicateHandle(self, h, self, pDup, 0, 1, Win32Constants.DUPLICATE_SAME_ACCESS) == 0) {
            throw new NamedPipes.Failure("DuplicateHandle", Kernel32.lastError());
        }
        long dup = pDup.get(JAVA_LONG, 0);
        toClose.add(dup);
        return dup;
    }

    /**
     * The child's standard handles: one {@link #inheritableDuplicate} per distinct non-zero handle of
     * {@code std} (stdout and stderr often share one, as they may on Windows), 0 where {@code std}
     * has 0 (no handle). The duplicates are added to {@code toClose} as they are made.
     *
     * @throws NamedPipes.Failure DuplicateHandle failed (the duplicates made so far are in {@code toClose})
     */
    static long[] standardHandles(Arena arena, long[] std, List<Long> toClose) {
        Map<Long, Long> dups = new LinkedHashMap<>();
        long[] child = new long[3];
        for (int fd = 0; fd <= 2; fd++) {
            long h = std[fd];
            child[fd] = h == 0 ? 0 : dups.computeIfAbsent(h, x -> inheritableDuplicate(arena, x, toClose));
        }
        return child;
    }

    /** The distinct non-zero handles of {@code handles}, in order: a handle list must not name one twice. */
    static List<Long> distinct(long... handles) {
        List<Long> out = new ArrayList<>();
        for (long h : handles) {
            if (h != 0 && !out.contains(h)) {
                out.add(h);
            }
        }
        return out;
    }

    /**
     * CreateProcessW with a STARTUPINFOEXW whose handle list is {@code handleList}.
     *
     * @param commandLine the whole command line (copied to writable memory, as CreateProcessW wants)
     * @param env         the environment block's characters, or null for ours (pass
     *                    CREATE_UNICODE_ENVIRONMENT in {@code flags})
     * @param directory   the child's working directory, absolute, or null for ours
     * @param std         the child's standard handles, inheritable duplicates from {@code handleList}
     *                    (0: none)
     * @param handleList  every handle the child inherits, each an inheritable duplicate, none twice;
     *                    empty: no handle list and bInheritHandles FALSE
     * @param crtTable    the C runtime's descriptor table for lpReserved2 ({@link CrtFdTable}), or null
     * @param showWindow  wShowWindow, set with STARTF_USESHOWWINDOW; -1 for neither
     * @param flags       dwCreationFlags, EXTENDED_STARTUPINFO_PRESENT included when {@code handleList}
     *                    is not empty
     * @return {hProcess, hThread, pid}, both handles the caller's to close
     * @throws NamedPipes.Failure a call failed (its name and Win32 error; "CreateProcessW" for the start
     *                            itself); nothing is left open but what the caller made
     * @throws IllegalArgumentException {@code handleList} repeats a handle or holds 0 or
     *                            INVALID_HANDLE_VALUE (checked before any native call)
     */
    static long[] create(Arena arena, String app, String commandLine, char[] env, String directory, long[] std,
            List<Long> handleList, byte[] crtTable, int showWindow, int flags) {
        if (Set.copyOf(handleList).size() != handleList.size() || handleList.contains(0L)
                || handleList.contains(Win32Constants.INVALID_HANDLE_VALUE)) {
            // CreateProcessW would fail with ERROR_INVALID_PARAMETER; a bug of ours, said before any call
            throw new IllegalArgumentException("a handle list names real handles, each once: " + handleList);
        }
        MemorySegment si = arena.allocate(Win32Structs.STARTUPINFOEXW);
        boolean extended = !handleList.isEmpty();
        si.set(JAVA_INT, Win32Structs.offset(Win32Structs.STARTUPINFOEXW, "StartupInfo.cb"),
                (int) (extended ? Win32Structs.STARTUPINFOEXW.byteSize() : Win32Structs.STARTUPINFOW.byteSize()));
        si.set(JAVA_INT, Win32Structs.offset(Win32Structs.STARTUPINFOEXW, "StartupInfo.dwFlags"),
                Win32Constants.STARTF_USESTDHANDLES | (showWindow >= 0 ? Win32Constants.STARTF_USESHOWWINDOW : 0));
        if (showWindow >= 0) {
            si.set(JAVA_SHORT, Win32Structs.offset(Win32Structs.STARTUPINFOEXW, "StartupInfo.wShowWindow"),
                    (short) showWindow);
        }
        if (crtTable != null) {
            if (crtTable.length > 0xffff) {
                throw new IllegalArgumentException("cbReserved2 is a WORD: a table of " + crtTable.length + " bytes");
            }
            MemorySegment table = arena.allocate(crtTable.length, 8);
            MemorySegment.copy(crtTable, 0, table, JAVA_BYTE, 0, crtTable.length);
            si.set(JAVA_SHORT, Win32Structs.offset(Win32Structs.STARTUPINFOEXW, "StartupInfo.cbReserved2"),
                    (short) crtTable.length); // at most 4 + 9 * 256 bytes here
            si.set(JAVA_LONG, Win32Structs.offset(Win32Structs.STARTUPINFOEXW, "StartupInfo.lpReserved2"),
                    table.address());
        }
        String[] fields = {"StartupInfo.hStdInput", "StartupInfo.hStdOutput", "StartupInfo.hStdError"};
        for (int fd = 0; fd <= 2; fd++) {
            si.set(JAVA_LONG, Win32Structs.offset(Win32Structs.STARTUPINFOEXW, fields[fd]), std[fd]);
        }
        MemorySegment list = MemorySegment.NULL;
        if (extended) {
            MemorySegment size = arena.allocate(JAVA_LONG);
            Kernel32.InitializeProcThreadAttributeList(MemorySegment.NULL, 1, 0, size); // fails, giving the size
            list = arena.allocate(size.get(JAVA_LONG, 0), 8);
            if (Kernel32.InitializeProcThreadAttributeList(list, 1, 0, size) == 0) {
                throw new NamedPipes.Failure("InitializeProcThreadAttributeList", Kernel32.lastError());
            }
        }
        try {
            if (extended) {
                MemorySegment handles = arena.allocate(JAVA_LONG, handleList.size());
                int i = 0;
                for (long dup : handleList) {
                    handles.setAtIndex(JAVA_LONG, i++, dup);
                }
                if (Kernel32.UpdateProcThreadAttribute(list, 0, Win32Constants.PROC_THREAD_ATTRIBUTE_HANDLE_LIST, handles,
                        handles.byteSize(), MemorySegment.NULL, MemorySegment.NULL) == 0) {
                    throw new NamedPipes.Failure("UpdateProcThreadAttribute", Kernel32.lastError());
                }
                si.set(JAVA_LONG, Win32Structs.offset(Win32Structs.STARTUPINFOEXW, "lpAttributeList"), list.address());
            }
            MemorySegment pi = arena.allocate(Win32Structs.PROCESS_INFORMATION);
            MemorySegment cwd = directory == null ? MemorySegment.NULL : Win32Structs.wide(arena, directory);
            if (Kernel32.CreateProcessW(Win32Structs.wide(arena, app), Win32Structs.wide(arena, commandLine),
                    MemorySegment.NULL, MemorySegment.NULL, extended ? 1 : 0, flags,
                    env == null ? MemorySegment.NULL : Win32Structs.wideBlock(arena, env), cwd, si, pi) == 0) {
                throw new NamedPipes.Failure("CreateProcessW", Kernel32.lastError());
            }
            return new long[] {
                pi.get(JAVA_LONG, Win32Structs.offset(Win32Structs.PROCESS_INFORMATION, "hProcess")),
                pi.get(JAVA_LONG, Win32Structs.offset(Win32Structs.PROCESS_INFORMATION, "hThread")),
                Integer.toUnsignedLong(pi.get(JAVA_INT, Win32Structs.offset(Win32Structs.PROCESS_INFORMATION, "dwProcessId"))),
            };
        } finally {
            if (extended) {
                Kernel32.DeleteProcThreadAttributeList(list);
            }
        }
    }
}
