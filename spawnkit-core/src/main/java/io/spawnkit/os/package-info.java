/**
 * The low-level operating-system calls, for code ported from scripts (QuickJS's {@code os} module)
 * and for tests. {@link io.spawnkit.os.Os} is QuickJS's {@code os} process API on POSIX descriptors
 * and pids (exec, waitpid and the W* status macros, pipe, dup, dup2, close, read, write, kill,
 * getpid; results {@code >= 0}, failures as {@code -errno}); on Linux and on Windows (the C runtime's
 * descriptors, Windows pids, Linux's errno numbers), and never takes a child of the high-level API
 * nor lets the event loop take one of its own (see its javadoc).
 * {@link io.spawnkit.os.Win32} holds the raw Win32 process calls (CreateProcess,
 * CreatePipe, WaitForSingleObject, GetExitCodeProcess, TerminateProcess, CloseHandle) on
 * {@link io.spawnkit.os.Win32Handle}s. Everything here is thin and blocking; {@link io.spawnkit.Command}
 * is the everyday API.
 *
 * <p>{@code Win32Handle} exists on every platform so that portable code compiles everywhere, but one
 * can only be made on Windows: elsewhere every {@code Win32} method throws
 * {@link java.lang.UnsupportedOperationException} naming Windows.
 */
package io.spawnkit.os;
