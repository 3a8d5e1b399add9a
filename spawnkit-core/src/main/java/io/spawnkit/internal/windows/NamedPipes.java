package io.spawnkit.internal.windows;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Pipes for a child's stdio, made the way libuv makes them: anonymous pipes (CreatePipe) cannot do
 * overlapped I/O, so each pipe is a one-instance named pipe. Our end is the server, created with
 * FILE_FLAG_OVERLAPPED (for the IOCP) and FILE_FLAG_FIRST_PIPE_INSTANCE (if another process
 * squatted on the name, creation fails instead of sharing its pipe), and PIPE_REJECT_REMOTE_CLIENTS.
 * The child's end is the client, opened at once with CreateFileW in synchronous mode: most programs
 * do blocking reads and writes, which on an overlapped handle are not supported by the API.
 * Both handles are created non-inheritable; the spawn duplicates the child's end as inheritable for
 * its handle list.
 */
final class NamedPipes {
    private NamedPipes() {}

    /** Our end (overlapped) and the child's end (synchronous), both non-inheritable. */
    record Pair(long ours, long child) {}

    private static final AtomicLong COUNTER = new AtomicLong();
    private static final SecureRandom RANDOM = new SecureRandom();
    /** The buffer size asked for when the command gives none; libuv's choice too. */
    static final int DEFAULT_SIZE = 64 * 1024;

    /**
     * The name of a new pipe: unique in this process (the counter), not guessable by another one
     * (the random part), so no one can open it in the moment between its creation and ours.
     * <pre>
     *   pid 1234, counter 7, random 0xabc   \\.\pipe\spawnkit-1234-7-0000000000000abc
     * </pre>
     */
    static String pipeName(int pid, long counter, long random) {
        return "\\\\.\\pipe\\spawnkit-" + Integer.toUnsignedString(pid) + "-" + counter + "-"
                + String.format("%016x", random);
    }

    /**
     * A pipe the child reads ({@code childReads}) or writes. Returns 0 handles never: on failure
     * nothing is left open and the Win32 error is thrown as {@link Failure}.
     *
     * @param size the buffer size for each direction (a hint to the pipe file system), > 0
     */
    static Pair create(Arena arena, boolean childReads, int size) {
        String name = pipeName(Kernel32.GetCurrentProcessId(), COUNTER.incrementAndGet(), RANDOM.nextLong());
        MemorySegment wideName = Win32Structs.wide(arena, name);
        int openMode = (childReads ? Win32Constants.PIPE_ACCESS_OUTBOUND : Win32Constants.PIPE_ACCESS_INBOUND)
                | Win32Constants.FILE_FLAG_OVERLAPPED | Win32Constants.FILE_FLAG_FIRST_PIPE_INSTANCE;
        int pipeMode = Win32Constants.PIPE_TYPE_BYTE | Win32Constants.PIPE_READMODE_BYTE | Win32Constants.PIPE_WAIT
                | Win32Constants.PIPE_REJECT_REMOTE_CLIENTS;
        long server = Kernel32.CreateNamedPipeW(wideName, openMode, pipeMode, 1, size, size, 0, MemorySegment.NULL);
        if (server == Win32Constants.INVALID_HANDLE_VALUE || server == 0) {
            throw new Failure("CreateNamedPipeW", Kernel32.lastError());
        }
        // the child's end may change its own pipe state (SetNamedPipeHandleState), as libuv allows
        int access = childReads
                ? Win32Constants.GENERIC_READ | Win32Constants.FILE_WRITE_ATTRIBUTES
                : Win32Constants.GENERIC_WRITE | Win32Constants.FILE_READ_ATTRIBUTES;
        long client = Kernel32.CreateFileW(wideName, access, 0, MemorySegment.NULL, Win32Constants.OPEN_EXISTING, 0, 0);
        if (client == Win32Constants.INVALID_HANDLE_VALUE || client == 0) {
            int err = Kernel32.lastError();
            Kernel32.CloseHandle(server);
            throw new Failure("CreateFileW", err);
        }
        // The client is connected by its CreateFileW; ConnectNamedPipe confirms it (ERROR_PIPE_CONNECTED)
        // and would catch a stranger that got in first (then we hold no connected client).
        MemorySegment overlapped = arena.allocate(Win32Structs.OVERLAPPED);
        if (Kernel32.ConnectNamedPipe(server, overlapped) == 0) {
            int err = Kernel32.lastError();
            if (err != Win32Constants.ERROR_PIPE_CONNECTED) {
                if (err == Win32Constants.ERROR_IO_PENDING) {
                    Kernel32.CancelIoEx(server, overlapped);
                    Kernel32.GetOverlappedResult(server, overlapped, arena.allocate(java.lang.foreign.ValueLayout.JAVA_INT), 1);
                }
                Kernel32.CloseHandle(client);
                Kernel32.CloseHandle(server);
                throw new Failure("ConnectNamedPipe", err);
            }
        }
        return new Pair(server, client);
    }

    /** A failed call and its Win32 error; the backend turns it into a SpawnException. */
    static final class Failure extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final String call;
        final int error;

        Failure(String call, int error) {
            super(call + ": " + Win32Errors.describe(error), null, false, false);
            this.call = call;
            this.error = error;
        }
    }
}
