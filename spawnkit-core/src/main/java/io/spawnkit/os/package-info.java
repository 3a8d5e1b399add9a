/**
 * The low-level operating-system calls, for code ported from scripts (QuickJS's {@code os} module)
 * and for tests: {@link io.spawnkit.os.Win32} holds the raw Win32 process calls (CreateProcess,
 * CreatePipe, WaitForSingleObject, GetExitCodeProcess, TerminateProcess, CloseHandle) on
 * {@link io.spawnkit.os.Win32Handle}s. Everything here is thin and blocking; {@link io.spawnkit.Command}
 * is the everyday API.
 *
 * <p>{@code Win32Handle} exists on every platform so that portable code compiles everywhere, but one
 * can only be made on Windows: elsewhere every {@code Win32} method throws
 * {@link java.lang.UnsupportedOperationException} naming Windows.
 */
package io.spawnkit.os;
