package io.spawnkit.os;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import io.spawnkit.SpawnException;
import io.spawnkit.internal.windows.Kernel32;
import io.spawnkit.internal.windows.Win32Constants;
import io.spawnkit.internal.windows.Win32Errors;
import io.spawnkit.internal.windows.Win32Structs;
import io.spawnkit.internal.windows.WindowsEnvironment;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.ref.Reference;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The raw Win32 process calls, for code ported from QuickJS's Windows helpers: a child started by
 * {@code CreateProcess}, anonymous pipes, waits, exit codes, termination, handles. The methods keep
 * the Win32 names ({@code Win32.CreateProcess(...)}, not {@code createProcess}) on purpose, so that
 * ported code and the Microsoft documentation read the same; they are thin, blocking, and take and
 * return {@link Win32Handle}s, which close themselves if forgotten. For everyday use prefer
 * {@link io.spawnkit.Command}, which runs on Windows through the same kernel32 calls.
 *
 * <p>Every method needs Windows: elsewhere it throws {@link UnsupportedOperationException} before
 * looking at its arguments. A failing call throws {@link Win32Exception} with the
 * {@code GetLastError} code and its name ({@link #CreateProcess} throws {@link SpawnException},
 * its {@code errnoName()} the Win32 error name, like every failed start in spawnkit).
 *
 * {@snippet :
 * Win32.PipeEnds pipe = Win32.CreatePipe();
 * Win32.ProcessInfo child = Win32.CreateProcess("cmd.exe /c echo hi",
 *         new Win32.CreateProcessOptions().stdout(pipe.writeEnd()));
 * Win32.CloseHandle(pipe.writeEnd());           // the child holds its own copy
 * // ... read pipe.readEnd() to its end ...
 * Win32.WaitForSingleObject(child.processHandle());
 * int code = Win32.GetExitCodeProcess(child.processHandle());
 * Win32.CloseHandle(child.processHandle());
 * Win32.CloseHandle(child.threadHandle());
 * }
 */
public final class Win32 {
    private Win32() {}

    /** WaitForSingleObject: the object is signalled (a process has exited). */
    public static final int WAIT_OBJECT_0 = Win32Constants.WAIT_OBJECT_0;
    /** WaitForSingleObject: an abandoned mutex (never for a process). */
    public static final int WAIT_ABANDONED = Win32Constants.WAIT_ABANDONED;
    /** WaitForSingleObject: the timeout passed first. */
    public static final int WAIT_TIMEOUT = Win32Constants.WAIT_TIMEOUT;
    /**
     * WaitForSingleObject's C failure value (0xFFFFFFFF); {@link #WaitForSingleObject} throws
     * {@link Win32Exception} instead of returning it.
     */
    public static final int WAIT_FAILED = Win32Constants.WAIT_FAILED;
    /** A timeout that never expires (0xFFFFFFFF). */
    public static final int INFINITE = Win32Constants.INFINITE;
    /** GetExitCodeProcess while the process runs (259; a process may also exit with it). */
    public static final int STILL_ACTIVE = Win32Constants.STILL_ACTIVE;

    private static final boolean WINDOWS =
            System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");

    private static final long SI_CB = Win32Structs.offset(Win32Structs.STARTUPINFOEXW, "StartupInfo.cb");
    private static final long SI_FLAGS = Win32Structs.offset(Win32Structs.STARTUPINFOEXW, "StartupInfo.dwFlags");
    private static final long SI_STDIN = Win32Structs.offset(Win32Structs.STARTUPINFOEXW, "StartupInfo.hStdInput");
    private static final long SI_STDOUT = Win32Structs.offset(Win32Structs.STARTUPINFOEXW, "StartupInfo.hStdOutput");
    private static final long SI_STDERR = Win32Structs.offset(Win32Structs.STARTUPINFOEXW, "StartupInfo.hStdError");
    private static final long SI_ATTRIBUTES = Win32Structs.offset(Win32Structs.STARTUPINFOEXW, "lpAttributeList");
    private static final long PI_PROCESS = Win32Structs.offset(Win32Structs.PROCESS_INFORMATION, "hProcess");
    private static final long PI_THREAD = Win32Structs.offset(Win32Structs.PROCESS_INFORMATION, "hThread");
    private static final long PI_PID = Win32Structs.offset(Win32Structs.PROCESS_INFORMATION, "dwProcessId");
    private static final long PI_TID = Win32Structs.offset(Win32Structs.PROCESS_INFORMATION, "dwThreadId");
    private static final long SA_LENGTH = Win32Structs.offset(Win32Structs.SECURITY_ATTRIBUTES, "nLength");
    private static final long SA_INHERIT = Win32Structs.offset(Win32Structs.SECURITY_ATTRIBUTES, "bInheritHandle");

    static void requireWindows(String what) {
        if (!WINDOWS) {
            throw new UnsupportedOperationException(
                    what + " needs Windows; this is " + System.getProperty("os.name", "an unknown OS"));
        }
    }

    /** A started child: its ids and the handles of its process and first thread, both ours to close. */
    public record ProcessInfo(int pid, Win32Handle processHandle, int tid, Win32Handle threadHandle) {}

    /** The two ends of an anonymous pipe, both ours to close. */
    public record PipeEnds(Win32Handle readEnd, Win32Handle writeEnd) {}

    /** Options of {@link #CreatePipe(CreatePipeOptions)}. */
    public record CreatePipeOptions(boolean inheritHandle) {
        /** Not inheritable: the default, and what {@link #CreateProcess} needs (it passes its own copies). */
        public CreatePipeOptions() {
            this(false);
        }
    }

    /**
     * Options of {@link #CreateProcess(String, CreateProcessOptions)}, every one unset by default:
     * no module name (the program is the command line's first token, searched as CreateProcessW
     * searches), no extra creation flags, this process's working directory, this process's
     * environment, and the three standard handles inherited as they are.
     */
    public static final class CreateProcessOptions {
        private String moduleName;
        private int flags;
        private String cwd;
        private Map<String, String> env;
        private Win32Handle stdin;
        private Win32Handle stdout;
        private Win32Handle stderr;

        /** No option set. */
        public CreateProcessOptions() {}

        /** {@code lpApplicationName}: the program's full path, not searched; null = none. */
        public CreateProcessOptions moduleName(String moduleName) {
            this.moduleName = moduleName;
            return this;
        }

        /**
         * {@code dwCreationFlags} ({@code CREATE_NEW_PROCESS_GROUP} 0x200, {@code CREATE_NO_WINDOW}
         * 0x08000000, {@code CREATE_SUSPENDED} 0x4, ...); {@code CREATE_UNICODE_ENVIRONMENT} and
         * {@code EXTENDED_STARTUPINFO_PRESENT} are added when needed.
         */
        public CreateProcessOptions flags(int flags) {
            this.flags = flags;
            return this;
        }

        /** {@code lpCurrentDirectory}: the child's working directory; null = this process's. */
        public CreateProcessOptions cwd(String cwd) {
            this.cwd = cwd;
            return this;
        }

        /**
         * The child's whole environment (names ignore case; the last of two spellings wins;
         * {@code SYSTEMROOT} is added from ours when missing, since many programs fail without it);
         * null = a copy of this process's.
         */
        public CreateProcessOptions env(Map<String, String> env) {
            this.env = env == null ? null : new LinkedHashMap<>(env);
            return this;
        }

        /** The child's standard input; null = this process's. */
        public CreateProcessOptions stdin(Win32Handle stdin) {
            this.stdin = stdin;
            return this;
        }

        /** The child's standard output; null = this process's. */
        public CreateProcessOptions stdout(Win32Handle stdout) {
            this.stdout = stdout;
            return this;
        }

        /** The child's standard error; null = this process's. */
        public CreateProcessOptions stderr(Win32Handle stderr) {
            this.stderr = stderr;
            return this;
        }
    }

    /** {@link #CreateProcess(String, CreateProcessOptions)} with no option set. */
    public static ProcessInfo CreateProcess(String commandLine) {
        return CreateProcess(commandLine, new CreateProcessOptions());
    }

    /**
     * Starts a child with {@code CreateProcessW}. {@code commandLine} is passed as is: quote its
     * arguments yourself (the child's runtime parses them back; {@link io.spawnkit.Command} quotes
     * for you).
     *
     * <p>Standard handles: when none is given the child gets this process's as Windows hands them
     * down. When any is given, the child gets exactly three handles: the given ones, and this
     * process's for the others, each passed through a temporary inheritable duplicate listed in
     * {@code PROC_THREAD_ATTRIBUTE_HANDLE_LIST}, so the child inherits no other handle (not the
     * pipe's other end, not a handle another thread made inheritable meanwhile), and the given
     * handles need not be inheritable and stay ours. (The copies are inheritable only for the
     * duration of this call; a child started at that moment by code that hands down every inheritable
     * handle, as {@link ProcessBuilder} does, could still catch one: a Windows limitation.)
     *
     * @throws SpawnException naming the Win32 error ({@code ERROR_FILE_NOT_FOUND},
     *     {@code ERROR_DIRECTORY}, ...) when the child could not start; nothing is left open
     * @throws IllegalStateException when a given handle is closed
     */
    public static ProcessInfo CreateProcess(String commandLine, CreateProcessOptions options) {
        requireWindows("Win32.CreateProcess");
        Objects.requireNonNull(commandLine, "commandLine");
        Objects.requireNonNull(options, "options");
        String program = options.moduleName != null ? options.moduleName : firstToken(commandLine);
        List<Long> copies = new ArrayList<>();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment app = Win32Structs.wide(arena, options.moduleName);
            MemorySegment cmd = Win32Structs.wide(arena, commandLine); // writable, as CreateProcessW needs
            MemorySegment cwd = Win32Structs.wide(arena, options.cwd);
            int flags = options.flags;
            MemorySegment env = MemorySegment.NULL;
            if (options.env != null) {
                List<String> entries = new ArrayList<>(options.env.size());
                options.env.forEach((k, v) -> entries.add(Objects.requireNonNull(k, "env name") + "="
                        + Objects.requireNonNull(v, "env value")));
                env = Win32Structs.wideBlock(arena, WindowsEnvironment.block(entries, System.getenv("SYSTEMROOT")));
                flags |= Win32Constants.CREATE_UNICODE_ENVIRONMENT;
            }

            MemorySegment si = arena.allocate(Win32Structs.STARTUPINFOEXW);
            si.set(JAVA_INT, SI_CB, (int) Win32Structs.STARTUPINFOW.byteSize());
            MemorySegment attributes = MemorySegment.NULL;
            int inherit = 0;
            if (options.stdin != null || options.stdout != null || options.stderr != null) {
                long in = inheritableCopy(options.stdin, Win32Constants.STD_INPUT_HANDLE, copies, program, options.cwd);
                long out = inheritableCopy(options.stdout, Win32Constants.STD_OUTPUT_HANDLE, copies, program, options.cwd);
                long err = inheritableCopy(options.stderr, Win32Constants.STD_ERROR_HANDLE, copies, program, options.cwd);
                si.set(JAVA_INT, SI_FLAGS, Win32Constants.STARTF_USESTDHANDLES);
                si.set(JAVA_LONG, SI_STDIN, in);
                si.set(JAVA_LONG, SI_STDOUT, out);
                si.set(JAVA_LONG, SI_STDERR, err);
                if (!copies.isEmpty()) {
                    attributes = handleList(arena, copies, program, options.cwd);
                    si.set(JAVA_INT, SI_CB, (int) Win32Structs.STARTUPINFOEXW.byteSize());
                    si.set(ADDRESS, SI_ATTRIBUTES, attributes);
                    flags |= Win32Constants.EXTENDED_STARTUPINFO_PRESENT;
                    inherit = 1;
                }
            }
            MemorySegment pi = arena.allocate(Win32Structs.PROCESS_INFORMATION);
            int ok;
            int error;
            try {
                ok = Kernel32.CreateProcessW(app, cmd, MemorySegment.NULL, MemorySegment.NULL, inherit, flags, env,
                        cwd, si, pi);
                error = Kernel32.lastError();
            } finally {
                if (!attributes.equals(MemorySegment.NULL)) {
                    Kernel32.DeleteProcThreadAttributeList(attributes);
                }
            }
            if (ok == 0) {
                throw spawnFailure("CreateProcessW", error, program, options.cwd);
            }
            Win32Handle process = new Win32Handle(pi.get(JAVA_LONG, PI_PROCESS));
            Win32Handle thread = new Win32Handle(pi.get(JAVA_LONG, PI_THREAD));
            return new ProcessInfo(pi.get(JAVA_INT, PI_PID), process, pi.get(JAVA_INT, PI_TID), thread);
        } finally {
            for (long copy : copies) {
                Kernel32.CloseHandle(copy);
            }
        }
    }

    /**
     * The program a command line names, for error messages: its first token, quotes removed
     * ({@code "\"C:\\Program Files\\x.exe\" -v"} gives {@code C:\Program Files\x.exe}).
     */
    static String firstToken(String commandLine) {
        String s = commandLine.stripLeading();
        if (s.startsWith("\"")) {
            int end = s.indexOf('"', 1);
            return end < 0 ? s.substring(1) : s.substring(1, end);
        }
        int end = 0;
        while (end < s.length() && s.charAt(end) != ' ' && s.charAt(end) != '\t') {
            end++;
        }
        return s.substring(0, end);
    }

    /**
     * An inheritable duplicate of the given handle, or of this process's standard handle
     * {@code which} when none is given (0 when this process has none, or it cannot be duplicated:
     * the child then starts without one, as a GUI parent's child does).
     */
    private static long inheritableCopy(Win32Handle given, int which, List<Long> copies, String program,
                                        String cwd) {
        long source;
        if (given != null) {
            source = given.raw();
        } else {
            source = Kernel32.GetStdHandle(which);
            if (source == 0 || source == Win32Constants.INVALID_HANDLE_VALUE) {
                return 0;
            }
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment copy = arena.allocate(JAVA_LONG);
            long self = Kernel32.GetCurrentProcess();
            int ok = Kernel32.DuplicateHandle(self, source, self, copy, 0, 1, Win32Constants.DUPLICATE_SAME_ACCESS);
            int error = Kernel32.lastError();
            Reference.reachabilityFence(given);
            if (ok == 0) {
                if (given == null) {
                    return 0;
                }
                throw spawnFailure("DuplicateHandle", error, program, cwd);
            }
            long h = copy.get(JAVA_LONG, 0);
            copies.add(h);
            return h;
        }
    }

    /** A PROC_THREAD_ATTRIBUTE_HANDLE_LIST of the distinct handles, allocated in {@code arena}. */
    private static MemorySegment handleList(Arena arena, List<Long> handles, String program, String cwd) {
        Set<Long> distinct = new LinkedHashSet<>(handles);
        MemorySegment size = arena.allocate(JAVA_LONG);
        // The sizing call fails with ERROR_INSUFFICIENT_BUFFER by design and fills in the size.
        Kernel32.InitializeProcThreadAttributeList(MemorySegment.NULL, 1, 0, size);
        long bytes = size.get(JAVA_LONG, 0);
        if (bytes <= 0) {
            throw spawnFailure("InitializeProcThreadAttributeList", Kernel32.lastError(), program, cwd);
        }
        MemorySegment list = arena.allocate(bytes, 8);
        if (Kernel32.InitializeProcThreadAttributeList(list, 1, 0, size) == 0) {
            throw spawnFailure("InitializeProcThreadAttributeList", Kernel32.lastError(), program, cwd);
        }
        // The list points at this array: it lives in the same arena, until after CreateProcessW.
        MemorySegment values = arena.allocate(JAVA_LONG, distinct.size());
        int i = 0;
        for (long h : distinct) {
            values.setAtIndex(JAVA_LONG, i++, h);
        }
        if (Kernel32.UpdateProcThreadAttribute(list, 0, Win32Constants.PROC_THREAD_ATTRIBUTE_HANDLE_LIST, values,
                values.byteSize(), MemorySegment.NULL, MemorySegment.NULL) == 0) {
            int error = Kernel32.lastError();
            Kernel32.DeleteProcThreadAttributeList(list);
            throw spawnFailure("UpdateProcThreadAttribute", error, program, cwd);
        }
        return list;
    }

    private static SpawnException spawnFailure(String function, int error, String program, String cwd) {
        Path directory = null;
        if (cwd != null) {
            try {
                directory = Path.of(cwd);
            } catch (InvalidPathException e) {
                directory = null;
            }
        }
        return new SpawnException(Win32Errors.message(error), program, directory, function, error,
                Win32Errors.name(error));
    }

    /** {@link #CreatePipe(CreatePipeOptions)} with handles that are not inheritable. */
    public static PipeEnds CreatePipe() {
        return CreatePipe(new CreatePipeOptions());
    }

    /**
     * An anonymous pipe ({@code CreatePipe}, default buffer size). Anonymous pipes do not support
     * overlapped I/O. With {@code inheritHandle} both ends are inheritable by every child created
     * with {@code bInheritHandles} (not needed for {@link #CreateProcess}, which hands its child
     * private copies).
     *
     * @throws Win32Exception when the pipe cannot be made
     */
    public static PipeEnds CreatePipe(CreatePipeOptions options) {
        requireWindows("Win32.CreatePipe");
        Objects.requireNonNull(options, "options");
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment sa = arena.allocate(Win32Structs.SECURITY_ATTRIBUTES);
            sa.set(JAVA_INT, SA_LENGTH, (int) Win32Structs.SECURITY_ATTRIBUTES.byteSize());
            sa.set(JAVA_INT, SA_INHERIT, options.inheritHandle() ? 1 : 0);
            MemorySegment read = arena.allocate(JAVA_LONG);
            MemorySegment write = arena.allocate(JAVA_LONG);
            if (Kernel32.CreatePipe(read, write, sa, 0) == 0) {
                throw new Win32Exception("CreatePipe", Kernel32.lastError());
            }
            Win32Handle readEnd = new Win32Handle(read.get(JAVA_LONG, 0));
            Win32Handle writeEnd = new Win32Handle(write.get(JAVA_LONG, 0));
            return new PipeEnds(readEnd, writeEnd);
        }
    }

    /** {@link #WaitForSingleObject(Win32Handle, int)} with {@link #INFINITE}. */
    public static int WaitForSingleObject(Win32Handle handle) {
        return WaitForSingleObject(handle, INFINITE);
    }

    /**
     * Blocks this thread until the object is signalled (for a process: it has exited) or
     * {@code timeoutMs} has passed.
     *
     * @param timeoutMs milliseconds, 0 to poll, {@link #INFINITE} (-1) to wait for ever
     * @return {@link #WAIT_OBJECT_0}, {@link #WAIT_TIMEOUT} or {@link #WAIT_ABANDONED}
     * @throws Win32Exception instead of returning {@link #WAIT_FAILED}
     * @throws IllegalArgumentException for a negative timeout other than {@link #INFINITE}
     */
    public static int WaitForSingleObject(Win32Handle handle, int timeoutMs) {
        requireWindows("Win32.WaitForSingleObject");
        Objects.requireNonNull(handle, "handle");
        if (timeoutMs < 0 && timeoutMs != INFINITE) {
            throw new IllegalArgumentException("a negative timeout other than INFINITE: " + timeoutMs);
        }
        try {
            int result = Kernel32.WaitForSingleObject(handle.raw(), timeoutMs);
            if (result == WAIT_FAILED) {
                throw new Win32Exception("WaitForSingleObject", Kernel32.lastError());
            }
            return result;
        } finally {
            Reference.reachabilityFence(handle);
        }
    }

    /**
     * The exit code of a process, or {@link #STILL_ACTIVE} while it runs. A {@code DWORD}: codes of
     * 2^31 and above (NTSTATUS values such as 0xC000013A after Ctrl+C) are negative here; read them
     * with {@link Integer#toUnsignedLong}.
     *
     * @throws Win32Exception when the handle is not a process handle with query access
     */
    public static int GetExitCodeProcess(Win32Handle handle) {
        requireWindows("Win32.GetExitCodeProcess");
        Objects.requireNonNull(handle, "handle");
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment code = arena.allocate(JAVA_INT);
            if (Kernel32.GetExitCodeProcess(handle.raw(), code) == 0) {
                throw new Win32Exception("GetExitCodeProcess", Kernel32.lastError());
            }
            return code.get(JAVA_INT, 0);
        } finally {
            Reference.reachabilityFence(handle);
        }
    }

    /**
     * Ends the process with {@code exitCode}, at once and without letting it clean up. Returns
     * before the process has gone: wait for it with {@link #WaitForSingleObject}.
     *
     * @throws Win32Exception on failure; ERROR_ACCESS_DENIED when the process has already exited
     */
    public static void TerminateProcess(Win32Handle handle, int exitCode) {
        requireWindows("Win32.TerminateProcess");
        Objects.requireNonNull(handle, "handle");
        try {
            if (Kernel32.TerminateProcess(handle.raw(), exitCode) == 0) {
                throw new Win32Exception("TerminateProcess", Kernel32.lastError());
            }
        } finally {
            Reference.reachabilityFence(handle);
        }
    }

    /** Closes the handle, once: closing it again (or the cleaner, later) does nothing. See {@link Win32Handle#close()}. */
    public static void CloseHandle(Win32Handle handle) {
        requireWindows("Win32.CloseHandle");
        Objects.requireNonNull(handle, "handle").close();
    }
}
