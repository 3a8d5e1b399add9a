package io.spawnkit.internal.windows;


import io.spawnkit.SpawnException;
import io.spawnkit.Stdio;
import io.spawnkit.internal.Backend;
import io.spawnkit.internal.Cleanup;
import io.spawnkit.internal.EnvBlock;
import io.spawnkit.internal.NativeChild;
import io.spawnkit.internal.SpawnRequest;
import io.spawnkit.internal.Timers;
import io.spawnkit.internal.WindowsOptions;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.LongToIntFunction;
import java.util.function.LongUnaryOperator;

/**
 * The Windows backend: CreateProcessW with a STARTUPINFOEXW whose PROC_THREAD_ATTRIBUTE_HANDLE_LIST
 * names exactly the child's handles (standard and above 2), overlapped named pipes on one
 * {@link IocpLoop}, exits seen through thread-pool waits on process handles, job objects for
 * process groups and kill-on-parent-exit.
 *
 * <p>What the child inherits, whatever other threads do meanwhile: only the handles of its handle
 * list. Each is an inheritable duplicate made for this spawn alone and closed right after
 * CreateProcessW, whether it succeeded or not; every other handle we create is non-inheritable from
 * birth. (Code that calls CreateProcess with bInheritHandles and no list, ProcessBuilder included,
 * could still catch one of those duplicates in the instant it exists; that is that code's hazard.)
 *
 * <p>Descriptors above 2: the child's C runtime descriptor table ({@link CrtFdTable}) in
 * {@code STARTUPINFOW.lpReserved2}, libuv's way. A program on the Microsoft C runtime (msvcrt.dll
 * or the UCRT: MSVC and mingw-w64 builds, Node, Python, a JVM through ucrtbase) finds the handle at
 * its descriptor n, {@code _get_osfhandle(n)}; other programs (Cygwin, Go, Rust std) ignore the
 * table, but the handles are still inherited (in the handle list), so a program told the handle
 * value could use it. The table is set only when the child has a descriptor above 2: every other
 * spawn stays exactly as before (the standard handles through hStdInput/hStdOutput/hStdError
 * alone), and a child that never asked for more descriptors never meets lpReserved2. Entries 0..2
 * of the table are left empty, so the child's runtime takes its standard descriptors from the
 * standard handles, as it does without a table. Each descriptor above 2 has a handle of its own
 * (its own duplicate, even of a handle another descriptor names), because the child's runtime
 * closes the handle with the descriptor. A JVM child opens its own files as C runtime descriptors
 * too (libjimage's lib/modules), so there the lowest free descriptors soon hold those.
 *
 * <p>Limits: descriptors up to {@value CrtFdTable#MAX_FD}; {@code Stdio.fd(n)} means this JVM's
 * standard handle n for 0..2, this JVM's C runtime descriptor n above 2 (from
 * {@code io.spawnkit.os.Os.pipe()}, say), or another child's pipe; {@code Stdio.inherit()} on a
 * descriptor above 2 is this JVM's C runtime descriptor of the same number, or nothing when it is
 * not open (as on POSIX); a duplex pipe is refused (named pipes have no half-close, so we could
 * never tell the child "end of input" while still reading).
 */
public final class WindowsBackend implements Backend {
    private final IocpLoop loop;

    /**
     * @throws IllegalCallerException native access is not granted to this module
     * @throws UnsatisfiedLinkError   not Windows (kernel32 is missing)
     */
    public WindowsBackend() {
        Kernel32.GetCurrentProcessId(); // links the bindings now: a failure shows at start-up
        WindowsCalls.lastError();
        loop = new IocpLoop();
    }

    @Override
    public String name() {
        return "windows";
    }

    @Override
    public Timers timers() {
        return loop;
    }

    @Override
    public void prepare() {
        ProcessStart.comSpec();
    }

    @Override
    public boolean killsOnParentExit() {
        return true;
    }

    /** PATH and PATHEXT of the child's environment, the current directory not searched. */
    @Override
    public String locate(String name, EnvBlock env, Path directory, WindowsOptions windows, String program) {
        return WindowsProgramLocator.locate(name, env, directory, windows.searchCurrentDirectory(), program);
    }

    // ---- pure decisions (tested on every platform) -----------------------------------------------

    /**
     * Refuses what Windows cannot give, before anything is created.
     * <pre>
     *   {0,1,2}, {0,1,2,3,7}          ok (3 and 7 through the C runtime's table; 4..6 left empty)
     *   a descriptor above 255        UnsupportedOperationException naming it (the table's limit)
     *   a duplex pipe on any fd       UnsupportedOperationException
     *   Stdio.fd(7) not transferred   ok: this JVM's C runtime descriptor 7 (checked at the spawn: EBADF)
     * </pre>
     */
    static void refuseUnsupported(SortedMap<Integer, Stdio> stdio, List<Integer> transferred) {
        for (int fd : stdio.keySet()) {
            CrtFdTable.checkFd(fd);
        }
        for (Map.Entry<Integer, Stdio> e : stdio.entrySet()) {
            if (e.getValue() instanceof Stdio.Pipe p && p.directionFor(e.getKey()) == Stdio.Direction.DUPLEX) {
                throw new UnsupportedOperationException("a duplex pipe on " + SpawnRequest.describeFd(e.getKey())
                        + ": not on Windows (named pipes have no half-close)");
            }
        }
    }

    /** True when the child gets the C runtime's descriptor table: it has a descriptor above 2. */
    static boolean needsCrtTable(SortedMap<Integer, Stdio> stdio) {
        return !stdio.tailMap(3).isEmpty();
    }

    /**
     * The C runtime's descriptor table for the child's descriptors above 2 ({@code handles}: child
     * descriptor to handle in this process, 0 for none). Each such descriptor gets a duplicate of its
     * own ({@code duplicate}, added to {@code handleList}), also when it names the same handle as
     * another descriptor (sameAs, {@code Stdio.fd(2)} beside an inherited stderr): the child's C
     * runtime closes the handle with the descriptor ({@code _close}), which must not close the other
     * one too; libuv duplicates every child descriptor separately likewise. The flags are
     * {@code knownFlags}' for handles we made, else from {@code fileType} of the duplicate.
     * <pre>
     *   {1: h1, 3: h1, 4: h7}, known {1: pipe}   3 -> (FOPEN|FPIPE, dup#1), 4 -> (flags of its type, dup#2)
     * </pre>
     */
    static byte[] crtTable(SortedMap<Integer, Long> handles, Map<Integer, Integer> knownFlags,
            LongUnaryOperator duplicate, LongToIntFunction fileType,
            List<Long> handleList) {
        Map<Integer, CrtFdTable.Entry> entries = new HashMap<>();
        for (Map.Entry<Integer, Long> e : handles.tailMap(3).entrySet()) {
            if (e.getValue() != 0) {
                long dup = duplicate.applyAsLong(e.getValue());
                handleList.add(dup);
                Integer flags = knownFlags.get(e.getKey());
                entries.put(e.getKey(), new CrtFdTable.Entry(flags != null ? flags
                        : CrtFdTable.flagsFor(fileType.applyAsInt(dup), false), dup));
            }
        }
        return CrtFdTable.encode(entries);
    }

    /**
     * CreateProcessW's dwCreationFlags, after libuv's mapping.
     * <pre>
     *   always                          CREATE_UNICODE_ENVIRONMENT
     *   newProcessGroup                 + CREATE_NEW_PROCESS_GROUP
     *   newSession                      + DETACHED_PROCESS + CREATE_NEW_PROCESS_GROUP (no console at all)
     *   hide or hideConsole             + CREATE_NO_WINDOW, unless a standard handle is inherited from
     *                                     this JVM (the child would lose the console it writes to)
     *   suspended (it joins a job)      + CREATE_SUSPENDED
     *   extended (a handle list)        + EXTENDED_STARTUPINFO_PRESENT
     * </pre>
     */
    static int creationFlags(boolean newProcessGroup, boolean newSession, WindowsOptions w,
            boolean inheritsStdio, boolean suspended, boolean extended) {
        int flags = Win32Constants.CREATE_UNICODE_ENVIRONMENT;
        if (newProcessGroup || newSession) {
            flags |= Win32Constants.CREATE_NEW_PROCESS_GROUP;
        }
        if (newSession) {
            flags |= Win32Constants.DETACHED_PROCESS;
        }
        if ((w.hide() || w.hideConsole()) && !inheritsStdio) {
            flags |= Win32Constants.CREATE_NO_WINDOW;
        }
        if (suspended) {
            flags |= Win32Constants.CREATE_SUSPENDED;
        }
        if (extended) {
            flags |= Win32Constants.EXTENDED_STARTUPINFO_PRESENT;
        }
        return flags;
    }

    /** STARTUPINFO's wShowWindow (with STARTF_USESHOWWINDOW): SW_HIDE for hide / hideGui, else SW_SHOWDEFAULT. */
    static short showWindow(WindowsOptions w) {
        return w.hide() || w.hideGui() ? (short) Win32Constants.SW_HIDE : WindowsCalls.SW_SHOWDEFAULT;
    }

    /**
     * True when the child is attached to this process's console (if we have one), the only case
     * where GenerateConsoleCtrlEvent can reach its group.
     * <pre>
     *   no console flag                 true
     *   DETACHED_PROCESS                false (no console at all)
     *   CREATE_NO_WINDOW                false (a console of its own, without a window)
     * </pre>
     */
    static boolean sharesConsole(int creationFlags) {
        return (creationFlags & (Win32Constants.DETACHED_PROCESS | Win32Constants.CREATE_NO_WINDOW
                | Win32Constants.CREATE_NEW_CONSOLE)) == 0;
    }

    /** A job when the child owns a group (Windows' group is a job) or must die with this JVM. */
    static boolean needsJob(boolean ownsGroup, boolean killOnParentExit) {
        return ownsGroup || killOnParentExit;
    }

    /** True when a standard handle of the child is one of this JVM's own (inherit, or Stdio.fd(0..2)). */
    static boolean inheritsStdio(SortedMap<Integer, Stdio> stdio, List<Integer> transferred) {
        for (Stdio s : stdio.headMap(3).values()) {
            if (s instanceof Stdio.Inherit || s instanceof Stdio.ParentFd p && !transferred.contains(p.fd())) {
                return true;
            }
        }
        return false;
    }

    // ---- the spawn ----------------------------------------------------------------------------------

    @Override
    public NativeChild spawn(SpawnRequest req) {
        List<Long> childEnds = new ArrayList<>();  // closed after CreateProcessW, whatever happens
        List<Long> ourEnds = new ArrayList<>();    // closed only if the spawn fails
        for (int t : req.transferred()) {
            childEnds.add((long) t);
        }
        Map<Integer, Long> readers = new HashMap<>();
        Map<Integer, Long> writers = new HashMap<>();
        Map<Integer, byte[]> feeds = new HashMap<>();
        JobObject job = null;
        boolean spawned = false;
        try (Arena arena = Arena.ofConfined()) {
            refuseUnsupported(req.stdio(), req.transferred());
            String app;
            String commandLine;
            if (BatchFiles.isBatchFile(req.executable())) {
                app = ProcessStart.comSpec();
                commandLine = BatchFiles.commandLine(app, req.executable(), req.argv().subList(1, req.argv().size()),
                        req.program());
            } else {
                app = applicationName(req.executable(), req.directory());
                commandLine = WindowsCommandLine.build(req.argv(), req.windows().verbatimArguments());
            }
            char[] env = req.env().isInherited() ? null
                    : WindowsEnvironment.block(req.env().entries(), System.getenv("SystemRoot"));
            // child fd -> the handle in this process (0: the child gets none)
            SortedMap<Integer, Long> handles = new TreeMap<>();
            Map<Integer, Integer> knownFlags = new HashMap<>(); // CRT flags of handles we made
            for (Map.Entry<Integer, Stdio> e : req.stdio().entrySet()) {
                int fd = e.getKey();
                long h = switch (e.getValue()) {
                    case Stdio.Inherit i -> fd <= 2 ? stdHandle(fd) : crtHandle(fd);
                    case Stdio.Ignore i -> {
                        knownFlags.put(fd, CrtFdTable.FOPEN | CrtFdTable.FDEV);
                        yield open(arena, req, "NUL", Win32Constants.GENERIC_READ | Win32Constants.GENERIC_WRITE,
                                Win32Constants.OPEN_EXISTING, childEnds);
                    }
                    case Stdio.ParentFd p -> {
                        if (req.transferred().contains(p.fd())) {
                            knownFlags.put(fd, CrtFdTable.FOPEN | CrtFdTable.FPIPE); // another child's pipe
                            yield (long) p.fd();
                        }
                        yield p.fd() <= 2 ? stdHandle(p.fd()) : parentCrtHandle(req, p.fd(), fd);
                    }
                    case Stdio.ReadFile f -> {
                        knownFlags.put(fd, CrtFdTable.FOPEN);
                        yield open(arena, req, f.path().toAbsolutePath().toString(), Win32Constants.GENERIC_READ,
                                Win32Constants.OPEN_EXISTING, childEnds);
                    }
                    case Stdio.WriteFile f -> {
                        knownFlags.put(fd, CrtFdTable.flagsFor(CrtFdTable.FILE_TYPE_DISK, f.append()));
                        yield f.append()
                                // FILE_APPEND_DATA without FILE_WRITE_DATA: every write lands at the end
                                ? open(arena, req, f.path().toAbsolutePath().toString(), Win32Constants.FILE_APPEND_DATA
                                        | Win32Constants.FILE_READ_ATTRIBUTES | Win32Constants.SYNCHRONIZE,
                                        Win32Constants.OPEN_ALWAYS, childEnds)
                                : open(arena, req, f.path().toAbsolutePath().toString(), Win32Constants.GENERIC_WRITE,
                                        Win32Constants.CREATE_ALWAYS, childEnds);
                    }
                    case Stdio.Bytes b -> {
                        feeds.put(fd, b.data());
                        knownFlags.put(fd, CrtFdTable.FOPEN | CrtFdTable.FPIPE);
                        yield pipe(arena, req, true, fd, childEnds, ourEnds, writers);
                    }
                    case Stdio.Pipe p -> {
                        boolean childReads = p.directionFor(fd) == Stdio.Direction.CHILD_READS;
                        knownFlags.put(fd, CrtFdTable.FOPEN | CrtFdTable.FPIPE);
                        yield pipe(arena, req, childReads, fd, childEnds, ourEnds, childReads ? writers : readers);
                    }
                    case Stdio.SameAs same -> 0L; // below, once its target is known
                    case Stdio.FromChild f -> throw new IllegalStateException("Command resolves FromChild before spawning");
                };
                handles.put(fd, h);
            }
            for (Map.Entry<Integer, Stdio> e : req.stdio().entrySet()) {
                if (e.getValue() instanceof Stdio.SameAs same) {
                    handles.put(e.getKey(), handles.get(same.childFd()));
                    Integer flags = knownFlags.get(same.childFd());
                    if (flags != null) {
                        knownFlags.put(e.getKey(), flags);
                    }
                }
            }
            long[] std = {handles.get(0), handles.get(1), handles.get(2)};
            boolean suspended = needsJob(req.ownsGroup(), req.killOnParentExit());
            if (suspended) {
                job = JobObject.create(req.killOnParentExit());
            }
            long[] childStd = ProcessStart.standardHandles(arena, std, childEnds);
            List<Long> handleList = ProcessStart.distinct(childStd);
            byte[] crtTable = needsCrtTable(req.stdio())
                    ? crtTable(handles, knownFlags, h -> ProcessStart.inheritableDuplicate(arena, h, childEnds),
                            Kernel32::GetFileType, handleList)
                    : null;
            boolean extended = !handleList.isEmpty();
            int flags = creationFlags(req.newProcessGroup(), req.newSession(), req.windows(),
                    inheritsStdio(req.stdio(), req.transferred()), suspended, extended);
            long[] info = createProcess(arena, req, app, commandLine, env, childStd, handleList, crtTable, flags);
            long process = info[0];
            long thread = info[1];
            int pid = (int) info[2];
            try {
                if (job != null) {
                    int err = job.assign(process);
                    if (err != 0) {
                        Kernel32.TerminateProcess(process, WindowsChild.KILLED_EXIT_CODE);
                        throw new NamedPipes.Failure("AssignProcessToJobObject", err);
                    }
                }
                if (suspended && Kernel32.ResumeThread(thread) == -1) {
                    int err = Kernel32.lastError();
                    Kernel32.TerminateProcess(process, WindowsChild.KILLED_EXIT_CODE);
                    throw new NamedPipes.Failure("ResumeThread", err);
                }
            } catch (RuntimeException e) {
                Kernel32.CloseHandle(process);
                throw e;
            } finally {
                Kernel32.CloseHandle(thread);
            }
            spawned = true;
            return started(req, process, pid, job, sharesConsole(flags), readers, writers, feeds);
        } catch (NamedPipes.Failure f) {
            throw new SpawnException(Win32Errors.message(f.error), req.program(), req.directory(), f.call, f.error,
                    Win32Errors.name(f.error));
        } finally {
            for (long h : childEnds) {
                Kernel32.CloseHandle(h);
            }
            if (!spawned) {
                for (long h : ourEnds) {
                    Kernel32.CloseHandle(h);
                }
                if (job != null) {
                    job.discard();
                }
            }
        }
    }

    /**
     * lpApplicationName for {@code executable}: CreateProcessW completes a relative name with this
     * process's current directory, not lpCurrentDirectory, so a relative path (relative to the
     * child's directory, as {@link SpawnRequest#executable()} says) is made absolute here.
     */
    static String applicationName(String executable, Path directory) {
        Path p = Path.of(executable);
        if (p.isAbsolute() || directory == null) {
            return executable;
        }
        return directory.toAbsolutePath().resolve(p).toString();
    }

    /**
     * This JVM's C runtime descriptor {@code fd} (above 2) as a handle, or 0 when it is not open
     * ({@code Stdio.inherit()} on a descriptor we do not have gives the child none, as on POSIX).
     */
    private static long crtHandle(int fd) {
        long h = Ucrt._get_osfhandle(fd);
        return h == -1 || h == -2 ? 0 : h; // -2: a standard stream with no handle behind it
    }

    /** {@code Stdio.fd(parentFd)} above 2: this JVM's C runtime descriptor, which must be open. */
    private static long parentCrtHandle(SpawnRequest req, int parentFd, int childFd) {
        long h = crtHandle(parentFd);
        if (h == 0) {
            throw new SpawnException("descriptor " + parentFd + " given for the child's fd " + childFd
                    + " is not open in this process's C runtime", req.program(), req.directory(), "_get_osfhandle",
                    9, "EBADF");
        }
        return h;
    }

    /** This JVM's standard handle {@code fd} (0..2), or 0 when it has none (a GUI or service process). */
    private static long stdHandle(int fd) {
        long h = Kernel32.GetStdHandle(Win32Constants.STD_INPUT_HANDLE - fd);
        return h == Win32Constants.INVALID_HANDLE_VALUE ? 0 : h;
    }

    private static long open(Arena arena, SpawnRequest req, String path, int access, int disposition, List<Long> childEnds) {
        long h = Kernel32.CreateFileW(Win32Structs.wide(arena, path), access,
                Win32Constants.FILE_SHARE_READ | Win32Constants.FILE_SHARE_WRITE | Win32Constants.FILE_SHARE_DELETE,
                MemorySegment.NULL, disposition, Win32Constants.FILE_ATTRIBUTE_NORMAL, 0);
        if (h == Win32Constants.INVALID_HANDLE_VALUE || h == 0) {
            int err = Kernel32.lastError();
            throw new SpawnException("cannot open " + path + ": " + Win32Errors.message(err), req.program(),
                    req.directory(), "CreateFileW", err, Win32Errors.name(err));
        }
        childEnds.add(h);
        return h;
    }

    /** A pipe; returns the child's end, keeps ours in {@code ours}. */
    private static long pipe(Arena arena, SpawnRequest req, boolean childReads, int fd, List<Long> childEnds,
            List<Long> ourEnds, Map<Integer, Long> ours) {
        NamedPipes.Pair p = NamedPipes.create(arena, childReads, req.pipeSize() > 0 ? req.pipeSize() : NamedPipes.DEFAULT_SIZE);
        childEnds.add(p.child());
        ourEnds.add(p.ours());
        ours.put(fd, p.ours());
        return p.child();
    }

    /**
     * {@link ProcessStart#create} with this request's show-window choice; a failed CreateProcessW
     * becomes a SpawnException naming the application where the error is about it.
     */
    private static long[] createProcess(Arena arena, SpawnRequest req, String app, String commandLine, char[] env,
            long[] std, List<Long> handleList, byte[] crtTable, int flags) {
        String directory = req.directory() == null ? null : req.directory().toAbsolutePath().toString();
        try {
            return ProcessStart.create(arena, app, commandLine, env, directory, std, handleList, crtTable,
                    showWindow(req.windows()), flags);
        } catch (NamedPipes.Failure f) {
            if (!f.call.equals("CreateProcessW")) {
                throw f;
            }
            int err = f.error;
            String detail = Win32Errors.message(err);
            if (err == Win32Constants.ERROR_FILE_NOT_FOUND || err == Win32Constants.ERROR_ACCESS_DENIED
                    || err == Win32Constants.ERROR_BAD_EXE_FORMAT) {
                detail += " (executing " + app + ")";
            }
            throw new SpawnException(detail, req.program(), req.directory(), "CreateProcessW", err, Win32Errors.name(err));
        }
    }

    private WindowsChild started(SpawnRequest req, long process, int pid, JobObject job, boolean sharesConsole,
            Map<Integer, Long> readers, Map<Integer, Long> writers, Map<Integer, byte[]> feeds) {
        Map<Integer, PipeReader> sources = new HashMap<>();
        Map<Integer, PipeWriter> targets = new HashMap<>();
        readers.forEach((fd, h) -> sources.put(fd, new PipeReader(loop, h, SpawnRequest.describeFd(fd) + " of pid " + pid)));
        writers.forEach((fd, h) -> targets.put(fd, new PipeWriter(loop, h, SpawnRequest.describeFd(fd), pid)));
        WindowsChild child = new WindowsChild(loop, process, pid, job, req.ownsGroup(), sharesConsole, sources, targets);
        if (job != null && !job.killOnClose()) {
            Cleanup.register(child, job::close);
        }
        feeds.forEach((fd, data) -> {
            PipeWriter t = targets.get(fd);
            t.write(ByteBuffer.wrap(data));
            t.close();
        });
        return child;
    }
}
