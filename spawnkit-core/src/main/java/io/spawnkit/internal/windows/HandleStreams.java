package io.spawnkit.internal.windows;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * Blocking streams over Win32 handles opened for synchronous I/O (ReadFile/WriteFile without
 * OVERLAPPED), for the worker JVM on Windows: the channel's pipe ends it inherited at C runtime
 * descriptors 3 and 4 ({@link #takeCrtFd}), and what {@code WorkerSpec.passFd} passed. The child's
 * ends of the backend's pipes ({@link NamedPipes}) are synchronous, so they qualify; a file or
 * {@code NUL} opened by the backend does too.
 *
 * <p>End of stream: {@code ERROR_BROKEN_PIPE} (the writer closed its end), {@code ERROR_HANDLE_EOF}
 * and a read of 0 bytes (a file's end). A write to a pipe whose reader is gone fails with
 * {@code ERROR_BROKEN_PIPE} or {@code ERROR_NO_DATA}, as an {@link IOException}.
 *
 * <p>Closing an input stream while another thread is blocked in its {@code read}: the handle is
 * not closed under that thread (Windows could give the number to a new handle, which the read would
 * then use); the read is cancelled ({@code CancelIoEx}) and fails with "stream closed", and the
 * handle is closed when it returns. Should Windows not cancel it, the read goes on until data or
 * the end arrives (the worker's reader is a daemon thread; its exit ends it in any case).
 *
 * <p><b>Only compiled so far</b> (no Windows JVM where this was written); the Windows CI job runs
 * it through {@code WindowsWorkerTest}.
 */
public final class HandleStreams {
    private HandleStreams() {}

    /** The most one ReadFile or WriteFile call moves: the size of the native buffer each stream keeps. */
    static final int CHUNK = 64 * 1024;

    /**
     * Takes C runtime descriptor {@code fd} of this process: a non-inheritable duplicate of its
     * handle for the caller to own, then {@code _close(fd)}, so that the runtime's copy is gone
     * (as a POSIX worker closes its inherited 3 and 4: while a second handle of a pipe's end stays
     * open, closing ours is no end for the peer) and no later child of this process inherits it.
     *
     * @throws IOException the descriptor is not open, or the duplicate failed
     */
    public static long takeCrtFd(int fd) throws IOException {
        long h = Ucrt._get_osfhandle(fd);
        if (h == -1 || h == -2 || h == 0) {
            throw new IOException("C runtime descriptor " + fd + " is not open in this process");
        }
        long dup;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment pDup = arena.allocate(JAVA_LONG);
            long self = Kernel32.GetCurrentProcess();
            if (Kernel32.DuplicateHandle(self, h, self, pDup, 0, 0, Win32Constants.DUPLICATE_SAME_ACCESS) == 0) {
                throw new IOException("DuplicateHandle of descriptor " + fd + ": "
                        + Win32Errors.describe(Kernel32.lastError()));
            }
            dup = pDup.get(JAVA_LONG, 0);
        }
        Ucrt._close(fd); // a failure leaves the runtime's copy open: the peer then sees the end at our exit
        return dup;
    }

    /**
     * Makes the handle behind C runtime descriptor {@code fd} non-inheritable, if the descriptor is
     * open: descriptors a parent passed in the C runtime's table arrive inheritable, and a child
     * this process starts with {@code bInheritHandles} and no handle list ({@code ProcessBuilder})
     * would get them too (libuv's {@code uv_disable_stdio_inheritance} does the same for its table).
     * The descriptor stays usable here. Returns false when it is not open or the call failed.
     */
    public static boolean noInherit(int fd) {
        long h = Ucrt._get_osfhandle(fd);
        if (h == -1 || h == -2 || h == 0) {
            return false;
        }
        return Kernel32.SetHandleInformation(h, Win32Constants.HANDLE_FLAG_INHERIT, 0) != 0;
    }

    /** A stream reading {@code handle}, which it owns (closes). */
    public static InputStream input(long handle, String name) {
        return new HandleInput(handle, Objects.requireNonNull(name));
    }

    /** A stream writing {@code handle}, which it owns (closes). */
    public static OutputStream output(long handle, String name) {
        return new HandleOutput(handle, Objects.requireNonNull(name));
    }

    /** True for the errors that mean "the other end is gone" on a read: end of stream, not failure. */
    static boolean isEndOfStream(int error) {
        return error == Win32Constants.ERROR_BROKEN_PIPE || error == Win32Constants.ERROR_HANDLE_EOF
                || error == Win32Constants.ERROR_NO_DATA;
    }

    private static final class HandleInput extends InputStream {
        private final long handle;
        private final String name;
        private final Arena arena = Arena.ofShared();
        private final MemorySegment buffer = arena.allocate(CHUNK);
        private final MemorySegment count = arena.allocate(JAVA_INT);
        private final Object lock = new Object();
        private boolean reading;   // under lock: one read in flight (reads are serialised below)
        private boolean closed;    // under lock
        private boolean released;  // under lock: handle closed, arena freed
        private boolean eof;

        HandleInput(long handle, String name) {
            this.handle = handle;
            this.name = name;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public synchronized int read(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            if (len == 0) {
                return 0;
            }
            synchronized (lock) {
                if (closed) {
                    throw new IOException(name + ": stream closed");
                }
                if (eof) {
                    return -1;
                }
                reading = true;
            }
            int n = Math.min(len, CHUNK);
            int ok;
            int got;
            int err = 0;
            try {
                ok = Kernel32.ReadFile(handle, buffer, n, count, MemorySegment.NULL);
                got = ok != 0 ? count.get(JAVA_INT, 0) : 0;
                if (ok == 0) {
                    err = Kernel32.lastError();
                } else if (got > 0) {
                    MemorySegment.copy(buffer, JAVA_BYTE, 0, b, off, got);
                }
            } finally {
                synchronized (lock) {
                    reading = false;
                    if (closed) {
                        release();
                    }
                }
            }
            synchronized (lock) {
                if (closed) {
                    throw new IOException(name + ": stream closed");
                }
            }
            if (ok == 0) {
                if (isEndOfStream(err)) {
                    eof = true;
                    return -1;
                }
                throw new IOException(name + ": ReadFile: " + Win32Errors.describe(err));
            }
            if (got == 0) {
                eof = true;
                return -1;
            }
            return got;
        }

        @Override
        public void close() {
            synchronized (lock) {
                if (closed) {
                    return;
                }
                closed = true;
                if (!reading) {
                    release();
                    return;
                }
            }
            Kernel32.CancelIoEx(handle, MemorySegment.NULL); // the reader releases on its way out
        }

        /** Under lock, with no read in flight. */
        private void release() {
            if (!released) {
                released = true;
                Kernel32.CloseHandle(handle);
                arena.close();
            }
        }
    }

    private static final class HandleOutput extends OutputStream {
        private final long handle;
        private final String name;
        private final Arena arena = Arena.ofShared();
        private final MemorySegment buffer = arena.allocate(CHUNK);
        private final MemorySegment count = arena.allocate(JAVA_INT);
        private boolean closed;

        HandleOutput(long handle, String name) {
            this.handle = handle;
            this.name = name;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        /** Writes all of it, in chunks; WriteFile on a synchronous pipe returns once the bytes are in the pipe. */
        @Override
        public synchronized void write(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            if (closed) {
                throw new IOException(name + ": stream closed");
            }
            while (len > 0) {
                int n = Math.min(len, CHUNK);
                MemorySegment.copy(b, off, buffer, JAVA_BYTE, 0, n);
                int done = 0;
                while (done < n) {
                    if (Kernel32.WriteFile(handle, buffer.asSlice(done), n - done, count, MemorySegment.NULL) == 0) {
                        int err = Kernel32.lastError();
                        boolean gone = err == Win32Constants.ERROR_BROKEN_PIPE || err == Win32Constants.ERROR_NO_DATA;
                        throw new IOException(name + ": WriteFile: " + (gone ? "the reader closed the pipe ("
                                + Win32Errors.describe(err) + ")" : Win32Errors.describe(err)));
                    }
                    done += count.get(JAVA_INT, 0);
                }
                off += n;
                len -= n;
            }
        }

        @Override
        public synchronized void close() {
            if (!closed) {
                closed = true;
                Kernel32.CloseHandle(handle);
                arena.close();
            }
        }
    }
}
