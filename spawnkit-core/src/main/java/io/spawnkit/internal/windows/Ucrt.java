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
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.util.List;
import java.util.Locale;

/**
 * The Universal C Runtime's (ucrtbase.dll) low-level I/O, bound through FFM: the C runtime's file
 * descriptors ({@code _pipe}, {@code _dup}, {@code _dup2}, {@code _close}, {@code _read},
 * {@code _write}) and their bridge to Win32 handles ({@code _get_osfhandle}, {@code _open_osfhandle}).
 * The JVM ({@code java.exe}, {@code jvm.dll}) is linked against ucrtbase.dll, and a DLL is loaded
 * once per process, so these calls share the process's one CRT descriptor table, where 0, 1 and 2
 * already exist: the descriptors of QuickJS built with MSVC or UCRT mingw.
 *
 * <p><b>Results.</b> C names and argument order; a call that fails with -1 and errno returns
 * {@code -errno} here instead, errno captured in the same downcall. The numbers are the CRT's
 * {@code <errno.h>}, which equal Linux's from 1 to 34 and differ above (the CRT's ENOSYS is 40);
 * {@link #toLinuxErrno} translates. {@code GetLastError} is captured too ({@link #lastError()}). {@link #_get_osfhandle} keeps its C result, -1 on failure.
 *
 * <p><b>Invalid parameters.</b> Given a descriptor that is not open (or out of range) these
 * functions call the CRT's invalid-parameter handler before failing with EBADF, and the default
 * handler ends the process ({@code __fastfail}). So every call here runs with a do-nothing handler
 * set for this thread only ({@code _set_thread_local_invalid_parameter_handler}, restored after the
 * call): {@code _close(99)} is {@code -EBADF}, as on POSIX, and nobody else's handler changes.
 *
 * <p><b>Windows only, linked lazily.</b> The class loads on every platform ({@link #toLinuxErrno}
 * is pure); the first call links ucrtbase and, elsewhere, fails with an
 * {@link ExceptionInInitializerError} caused by an {@link UnsupportedOperationException} naming
 * Windows (as {@link Kernel32} does when it loads).
 * <b>Only compiled so far</b>: this machine has no Windows JVM; the Windows CI job runs it.
 */
public final class Ucrt {
    private Ucrt() {}

    /** {@code _O_BINARY}: no CR-LF translation. */
    public static final int _O_BINARY = 0x8000;
    /** {@code _O_NOINHERIT}: the descriptor's handle is not inheritable. */
    public static final int _O_NOINHERIT = 0x0080;
    /** {@code _O_RDONLY}, for {@link #_open_osfhandle}. */
    public static final int _O_RDONLY = 0x0000;
    /** {@code _O_WRONLY}, for {@link #_open_osfhandle}. */
    public static final int _O_WRONLY = 0x0001;

    /** Every ucrtbase export bound here (a test checks them against mingw-w64's ucrtbase import library). */
    static final List<String> SYMBOLS = List.of("_pipe", "_dup", "_dup2", "_close", "_read", "_write", "_get_osfhandle",
            "_open_osfhandle", "_set_thread_local_invalid_parameter_handler");

    /** The pipe buffer size {@link #_pipe} asks for (Linux's default pipe capacity). */
    static final int PIPE_SIZE = 65536;

    /**
     * The CRT's errno (MSVC {@code <errno.h>}) as Linux's number, which {@code io.spawnkit.os.Os}
     * uses on every platform. Pure; 0 and negative values are returned as they are.
     *
     * <table class="striped">
     *   <caption>CRT errno to Linux errno</caption>
     *   <tr><th>CRT</th><th>name</th><th>Linux</th></tr>
     *   <tr><td>1..34</td><td>EPERM .. ERANGE</td><td>the same</td></tr>
     *   <tr><td>36</td><td>EDEADLK</td><td>35</td></tr>
     *   <tr><td>38</td><td>ENAMETOOLONG</td><td>36</td></tr>
     *   <tr><td>39</td><td>ENOLCK</td><td>37</td></tr>
     *   <tr><td>40</td><td>ENOSYS</td><td>38</td></tr>
     *   <tr><td>41</td><td>ENOTEMPTY</td><td>39</td></tr>
     *   <tr><td>42</td><td>EILSEQ</td><td>84</td></tr>
     *   <tr><td>100..140 but 131</td><td>the POSIX supplement (EADDRINUSE ...)</td><td>Linux's number of the same name</td></tr>
     *   <tr><td>other</td><td>(80 STRUNCATE, 131 EOTHER, unknown)</td><td>unchanged</td></tr>
     * </table>
     */
    public static int toLinuxErrno(int crt) {
        return switch (crt) {
            case 36 -> 35;   // EDEADLK
            case 38 -> 36;   // ENAMETOOLONG
            case 39 -> 37;   // ENOLCK
            case 40 -> 38;   // ENOSYS
            case 41 -> 39;   // ENOTEMPTY
            case 42 -> 84;   // EILSEQ
            case 100 -> 98;  // EADDRINUSE
            case 101 -> 99;  // EADDRNOTAVAIL
            case 102 -> 97;  // EAFNOSUPPORT
            case 103 -> 114; // EALREADY
            case 104 -> 74;  // EBADMSG
            case 105 -> 125; // ECANCELED
            case 106 -> 103; // ECONNABORTED
            case 107 -> 111; // ECONNREFUSED
            case 108 -> 104; // ECONNRESET
            case 109 -> 89;  // EDESTADDRREQ
            case 110 -> 113; // EHOSTUNREACH
            case 111 -> 43;  // EIDRM
            case 112 -> 115; // EINPROGRESS
            case 113 -> 106; // EISCONN
            case 114 -> 40;  // ELOOP
            case 115 -> 90;  // EMSGSIZE
            case 116 -> 100; // ENETDOWN
            case 117 -> 102; // ENETRESET
            case 118 -> 101; // ENETUNREACH
            case 119 -> 105; // ENOBUFS
            case 120 -> 61;  // ENODATA
            case 121 -> 67;  // ENOLINK
            case 122 -> 42;  // ENOMSG
            case 123 -> 92;  // ENOPROTOOPT
            case 124 -> 63;  // ENOSR
            case 125 -> 60;  // ENOSTR
            case 126 -> 107; // ENOTCONN
            case 127 -> 131; // ENOTRECOVERABLE
            case 128 -> 88;  // ENOTSOCK
            case 129 -> 95;  // ENOTSUP
            case 130 -> 95;  // EOPNOTSUPP (Linux: the same number as ENOTSUP)
            case 132 -> 75;  // EOVERFLOW (131 is the CRT's EOTHER, kept)
            case 133 -> 130; // EOWNERDEAD
            case 134 -> 71;  // EPROTO
            case 135 -> 93;  // EPROTONOSUPPORT
            case 136 -> 91;  // EPROTOTYPE
            case 137 -> 62;  // ETIME
            case 138 -> 110; // ETIMEDOUT
            case 139 -> 26;  // ETXTBSY
            case 140 -> 11;  // EWOULDBLOCK (Linux: EAGAIN)
            default -> crt;
        };
    }

    // ---- linking (first use) ----------------------------------------------------------------------

    /** The handles, linked when first used, so that loading {@link Ucrt} works everywhere. */
    private static final class Bound {
        static final Linker LINKER = Linker.nativeLinker();
        static final SymbolLookup UCRT = ucrtbase();
        static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
        static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
        static final VarHandle LAST_ERROR = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("GetLastError"));
        static final ThreadLocal<MemorySegment> STATE = ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(CAPTURE));

        static final MethodHandle PIPE = errnoCall("_pipe", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
        static final MethodHandle DUP = errnoCall("_dup", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
        static final MethodHandle DUP2 = errnoCall("_dup2", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
        static final MethodHandle CLOSE = errnoCall("_close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
        static final MethodHandle READ = errnoCall("_read", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
        static final MethodHandle WRITE = errnoCall("_write", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
        static final MethodHandle GET_OSFHANDLE = errnoCall("_get_osfhandle", FunctionDescriptor.of(JAVA_LONG, JAVA_INT));
        static final MethodHandle OPEN_OSFHANDLE =
                errnoCall("_open_osfhandle", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_INT));
        /** {@code _invalid_parameter_handler _set_thread_local_invalid_parameter_handler(_invalid_parameter_handler)}. */
        static final MethodHandle SET_HANDLER = LINKER.downcallHandle(find("_set_thread_local_invalid_parameter_handler"),
                FunctionDescriptor.of(ADDRESS, ADDRESS));
        /** Our do-nothing {@code void __cdecl h(const wchar_t*, const wchar_t*, const wchar_t*, unsigned, uintptr_t)}. */
        static final MemorySegment IGNORE = ignoringHandler();

        private static SymbolLookup ucrtbase() {
            String os = System.getProperty("os.name", "");
            if (!os.toLowerCase(Locale.ROOT).startsWith("windows")) {
                throw new UnsupportedOperationException("ucrtbase exists only on Windows; this is " + os);
            }
            return SymbolLookup.libraryLookup("ucrtbase", Arena.global());
        }

        private static MemorySegment find(String name) {
            if (!SYMBOLS.contains(name)) {
                throw new IllegalStateException(name + " is missing from Ucrt.SYMBOLS");
            }
            return UCRT.find(name).orElseThrow(() -> new UnsatisfiedLinkError("ucrtbase has no " + name));
        }

        private static MethodHandle errnoCall(String name, FunctionDescriptor descriptor) {
            return LINKER.downcallHandle(find(name), descriptor, Linker.Option.captureCallState("errno", "GetLastError"));
        }

        private static MemorySegment ignoringHandler() {
            try {
                MethodHandle target = MethodHandles.lookup().findStatic(Bound.class, "ignoreInvalidParameter",
                        MethodType.methodType(void.class, MemorySegment.class, MemorySegment.class,
                                MemorySegment.class, int.class, long.class));
                return LINKER.upcallStub(target,
                        FunctionDescriptor.ofVoid(ADDRESS, ADDRESS, ADDRESS, JAVA_INT, JAVA_LONG), Arena.global());
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }

        /** The handler: the call then fails with its documented result and errno (EBADF). Must not throw. */
        @SuppressWarnings("unused")
        private static void ignoreInvalidParameter(MemorySegment expression, MemorySegment function,
                                                   MemorySegment file, int line, long reserved) {}

        static MemorySegment state() {
            return STATE.get();
        }

        static int errno() {
            return (int) ERRNO.get(STATE.get(), 0L);
        }

        /** Sets our handler for this thread; returns the previous one, for {@link #restore}. */
        static MemorySegment guard() {
            try {
                return (MemorySegment) SET_HANDLER.invokeExact(IGNORE);
            } catch (Throwable t) {
                throw Native.rethrow(t);
            }
        }

        static void restore(MemorySegment previous) {
            try {
                MemorySegment ignored = (MemorySegment) SET_HANDLER.invokeExact(previous);
            } catch (Throwable t) {
                throw Native.rethrow(t);
            }
        }
    }

    private static int result(int r) {
        return r >= 0 ? r : -Bound.errno();
    }

    /** A downcall returning {@code int}, -1 with errno on failure. */
    @FunctionalInterface
    private interface IntCall {
        int call() throws Throwable;
    }

    /** Runs {@code call} under our invalid-parameter handler: its result, or {@code -errno}. */
    private static int guarded(IntCall call) {
        MemorySegment previous = Bound.guard();
        try {
            return result(call.call());
        } catch (Throwable t) {
            throw Native.rethrow(t);
        } finally {
            Bound.restore(previous);
        }
    }

    /**
     * The Win32 {@code GetLastError} captured with errno by this thread's last call here: the
     * reason behind a CRT errno that says little ({@code _write} to a pipe whose reader is gone fails
     * with EINVAL, the CRT having no mapping for ERROR_NO_DATA). Meaningful only after a failure
     * that came from the system (not from the CRT's own argument checks).
     */
    public static int lastError() {
        return (int) Bound.LAST_ERROR.get(Bound.STATE.get(), 0L);
    }

    // ---- the calls --------------------------------------------------------------------------------

    /**
     * {@code int _pipe(int *pfds, unsigned int psize, int textmode)} with
     * {@code _O_BINARY | _O_NOINHERIT} and a 64 KiB buffer: an anonymous pipe, {@code fds[0]} the
     * read end, {@code fds[1]} the write end, neither handle inheritable. 0 or {@code -errno}
     * (EMFILE, ENFILE).
     */
    public static int _pipe(int[] fds) {
        if (fds.length < 2) {
            throw new IllegalArgumentException("_pipe needs room for two descriptors");
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment pair = arena.allocate(JAVA_INT, 2);
            int r = guarded(() -> (int) Bound.PIPE.invokeExact(Bound.state(), pair, PIPE_SIZE, _O_BINARY | _O_NOINHERIT));
            if (r == 0) {
                fds[0] = pair.getAtIndex(JAVA_INT, 0);
                fds[1] = pair.getAtIndex(JAVA_INT, 1);
            }
            return r;
        }
    }

    /** {@code int _dup(int fd)}: the lowest free descriptor, a copy of {@code fd} (its handle inheritable), or {@code -errno}. */
    public static int _dup(int fd) {
        return guarded(() -> (int) Bound.DUP.invokeExact(Bound.state(), fd));
    }

    /**
     * {@code int _dup2(int fd1, int fd2)}: {@code fd2} (closed first when open) becomes a copy of
     * {@code fd1}. Note the CRT's result: <b>0</b> on success, not {@code fd2}; or {@code -errno}.
     */
    public static int _dup2(int fd1, int fd2) {
        return guarded(() -> (int) Bound.DUP2.invokeExact(Bound.state(), fd1, fd2));
    }

    /** {@code int _close(int fd)}: closes the descriptor and its handle; 0 or {@code -errno} (EBADF). */
    public static int _close(int fd) {
        return guarded(() -> (int) Bound.CLOSE.invokeExact(Bound.state(), fd));
    }

    /**
     * {@code int _read(int fd, void *buffer, unsigned int count)}: the count read (0 at end of file,
     * which for a pipe is the writer's close: the CRT turns ERROR_BROKEN_PIPE into 0), or
     * {@code -errno}. Blocks; a text-mode descriptor (0, 1, 2 by default) translates CR-LF.
     */
    public static int _read(int fd, MemorySegment buf, int count) {
        return guarded(() -> (int) Bound.READ.invokeExact(Bound.state(), fd, buf, count));
    }

    /** {@code int _write(int fd, const void *buffer, unsigned int count)}: the count written, or {@code -errno}. Blocks. */
    public static int _write(int fd, MemorySegment buf, int count) {
        return guarded(() -> (int) Bound.WRITE.invokeExact(Bound.state(), fd, buf, count));
    }

    /**
     * {@code intptr_t _get_osfhandle(int fd)}: the Win32 handle behind {@code fd}, still owned by the
     * descriptor (never close it; duplicate it to keep it), or -1 when {@code fd} is not open. The
     * CRT's -2 (fd 0, 1 or 2 of a process without a console or stream there) is returned as -1 too.
     */
    public static long _get_osfhandle(int fd) {
        MemorySegment previous = Bound.guard();
        try {
            long h = (long) Bound.GET_OSFHANDLE.invokeExact(Bound.state(), fd);
            return h == -2 ? -1 : h;
        } catch (Throwable t) {
            throw Native.rethrow(t);
        } finally {
            Bound.restore(previous);
        }
    }

    /**
     * {@code int _open_osfhandle(intptr_t osfhandle, int flags)}: a new descriptor that owns
     * {@code handle} from now on ({@link #_close} closes it), or {@code -errno} (then the caller
     * still owns the handle). Flags: {@link #_O_RDONLY}, {@link #_O_WRONLY}, {@link #_O_BINARY},
     * {@link #_O_NOINHERIT}.
     */
    public static int _open_osfhandle(long handle, int flags) {
        return guarded(() -> (int) Bound.OPEN_OSFHANDLE.invokeExact(Bound.state(), handle, flags));
    }
}
