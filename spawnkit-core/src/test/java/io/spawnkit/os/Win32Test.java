package io.spawnkit.os;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spawnkit.SpawnException;
import io.spawnkit.internal.windows.Kernel32;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * The Win32 facade. Elsewhere than Windows every entry point refuses with a message naming Windows;
 * on Windows (the GitHub Actions windows-latest job) it starts real children through cmd.exe.
 */
class Win32Test {

    // ---- not Windows ----------------------------------------------------------------------------

    private static void refusesOutsideWindows(ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("Windows");
    }

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void everyEntryPointRefusesOutsideWindows() {
        refusesOutsideWindows(() -> new Win32Handle(4));
        refusesOutsideWindows(() -> Win32.CreateProcess("cmd.exe /c exit 7"));
        refusesOutsideWindows(() -> Win32.CreateProcess("cmd.exe /c exit 7", new Win32.CreateProcessOptions()));
        refusesOutsideWindows(Win32::CreatePipe);
        refusesOutsideWindows(() -> Win32.CreatePipe(new Win32.CreatePipeOptions(true)));
        // checked before the arguments: a handle cannot exist here, so null stands in for one
        refusesOutsideWindows(() -> Win32.WaitForSingleObject(null));
        refusesOutsideWindows(() -> Win32.WaitForSingleObject(null, 10));
        refusesOutsideWindows(() -> Win32.GetExitCodeProcess(null));
        refusesOutsideWindows(() -> Win32.TerminateProcess(null, 1));
        refusesOutsideWindows(() -> Win32.CloseHandle(null));
    }

    @Test
    void constantsHaveTheirWin32Values() {
        assertThat(Win32.WAIT_OBJECT_0).isZero();
        assertThat(Win32.WAIT_ABANDONED).isEqualTo(0x80);
        assertThat(Win32.WAIT_TIMEOUT).isEqualTo(0x102);
        assertThat(Integer.toUnsignedLong(Win32.WAIT_FAILED)).isEqualTo(0xFFFFFFFFL);
        assertThat(Integer.toUnsignedLong(Win32.INFINITE)).isEqualTo(0xFFFFFFFFL);
        assertThat(Win32.STILL_ACTIVE).isEqualTo(259);
    }

    @Test
    void win32ExceptionNamesTheFunctionAndTheError() {
        Win32Exception e = new Win32Exception("CreatePipe", 6);
        assertThat(e.function()).isEqualTo("CreatePipe");
        assertThat(e.code()).isEqualTo(6);
        assertThat(e.codeName()).isEqualTo("ERROR_INVALID_HANDLE");
        assertThat(e).hasMessage("CreatePipe: ERROR_INVALID_HANDLE (invalid handle)");
    }

    @Test
    void errorsNameTheProgramByTheCommandLinesFirstToken() {
        assertThat(Win32.firstToken("cmd.exe /c exit 7")).isEqualTo("cmd.exe");
        assertThat(Win32.firstToken("\"C:\\Program Files\\x.exe\" -v")).isEqualTo("C:\\Program Files\\x.exe");
        assertThat(Win32.firstToken("  ping\t-n 1")).isEqualTo("ping");
        assertThat(Win32.firstToken("\"unterminated")).isEqualTo("unterminated");
        assertThat(Win32.firstToken("")).isEmpty();
    }

    // ---- Windows --------------------------------------------------------------------------------

    /** cmd.exe by its full path, so no search is involved. */
    private static String cmd() {
        String root = System.getenv("SystemRoot");
        return (root != null ? root : "C:\\Windows") + "\\System32\\cmd.exe";
    }

    /** ping.exe itself (not through cmd, whose termination would leave ping running). */
    private static String ping() {
        String root = System.getenv("SystemRoot");
        return (root != null ? root : "C:\\Windows") + "\\System32\\PING.EXE";
    }

    /**
     * A child that runs for about 30 s unless terminated: ping, its few lines of output going to a
     * pipe (not into the test JVM's stdout, which Surefire reads) that the caller closes.
     */
    private static Win32.ProcessInfo longRunning(Win32.PipeEnds sink) {
        try {
            return Win32.CreateProcess("ping -n 30 127.0.0.1",
                    new Win32.CreateProcessOptions().moduleName(ping()).stdout(sink.writeEnd()));
        } finally {
            Win32.CloseHandle(sink.writeEnd());
        }
    }

    private static void closeAll(Win32.ProcessInfo child) {
        Win32.CloseHandle(child.processHandle());
        Win32.CloseHandle(child.threadHandle());
    }

    @Test
    @EnabledOnOs(OS.WINDOWS)
    void exitCodeOfAFinishedChild() {
        Win32.ProcessInfo child = Win32.CreateProcess("cmd.exe /c exit 7",
                new Win32.CreateProcessOptions().moduleName(cmd()));
        try {
            assertThat(child.pid()).isPositive();
            assertThat(child.tid()).isPositive();
            assertThat(child.processHandle().isValid()).isTrue();
            assertThat(Win32.WaitForSingleObject(child.processHandle())).isEqualTo(Win32.WAIT_OBJECT_0);
            assertThat(Win32.GetExitCodeProcess(child.processHandle())).isEqualTo(7);
        } finally {
            closeAll(child);
        }
    }

    @Test
    @EnabledOnOs(OS.WINDOWS)
    void stillActiveWhileRunningThenTheCodeTerminateProcessGave() {
        Win32.PipeEnds sink = Win32.CreatePipe();
        Win32.ProcessInfo child = longRunning(sink);
        try {
            assertThat(Win32.WaitForSingleObject(child.processHandle(), 100)).isEqualTo(Win32.WAIT_TIMEOUT);
            assertThat(Win32.GetExitCodeProcess(child.processHandle())).isEqualTo(Win32.STILL_ACTIVE);
            Win32.TerminateProcess(child.processHandle(), 42);
            assertThat(Win32.WaitForSingleObject(child.processHandle(), 30_000)).isEqualTo(Win32.WAIT_OBJECT_0);
            assertThat(Win32.GetExitCodeProcess(child.processHandle())).isEqualTo(42);
        } finally {
            if (Win32.WaitForSingleObject(child.processHandle(), 0) == Win32.WAIT_TIMEOUT) {
                Win32.TerminateProcess(child.processHandle(), 1); // a failed assertion leaves no ping behind
            }
            Win32.CloseHandle(sink.readEnd());
            closeAll(child);
        }
    }

    @Test
    @EnabledOnOs(OS.WINDOWS)
    void waitWithATimeoutReturnsWaitTimeout() {
        Win32.PipeEnds sink = Win32.CreatePipe();
        Win32.ProcessInfo child = longRunning(sink);
        try {
            assertThat(Win32.WaitForSingleObject(child.processHandle(), 0)).isEqualTo(Win32.WAIT_TIMEOUT);
            assertThat(Win32.WaitForSingleObject(child.processHandle(), 200)).isEqualTo(Win32.WAIT_TIMEOUT);
        } finally {
            Win32.TerminateProcess(child.processHandle(), 1);
            Win32.WaitForSingleObject(child.processHandle(), 30_000);
            Win32.CloseHandle(sink.readEnd());
            closeAll(child);
        }
    }

    /** Reads a pipe to its end (ReadFile fails with ERROR_BROKEN_PIPE once every writer is gone). */
    private static String readToEnd(Win32Handle readEnd) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(4096);
            MemorySegment n = arena.allocate(ValueLayout.JAVA_INT);
            while (Kernel32.ReadFile(readEnd.raw(), buf, (int) buf.byteSize(), n, MemorySegment.NULL) != 0) {
                int got = n.get(ValueLayout.JAVA_INT, 0);
                out.write(buf.asSlice(0, got).toArray(ValueLayout.JAVA_BYTE), 0, got);
            }
            assertThat(Kernel32.lastError()).as("ReadFile ends with ERROR_BROKEN_PIPE").isEqualTo(109);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    @EnabledOnOs(OS.WINDOWS)
    void aChildWritesIntoAPipe() {
        Win32.PipeEnds pipe = Win32.CreatePipe();
        Win32.ProcessInfo child;
        try {
            child = Win32.CreateProcess("cmd.exe /c echo hi",
                    new Win32.CreateProcessOptions().moduleName(cmd()).stdout(pipe.writeEnd()));
        } finally {
            Win32.CloseHandle(pipe.writeEnd()); // the child has its own copy; ours would keep the pipe open
        }
        try {
            assertThat(readToEnd(pipe.readEnd())).isEqualTo("hi\r\n");
            assertThat(Win32.WaitForSingleObject(child.processHandle(), 30_000)).isEqualTo(Win32.WAIT_OBJECT_0);
            assertThat(Win32.GetExitCodeProcess(child.processHandle())).isZero();
        } finally {
            Win32.CloseHandle(pipe.readEnd());
            closeAll(child);
        }
    }

    @Test
    @EnabledOnOs(OS.WINDOWS)
    void theEnvironmentAndDirectoryGiven() {
        Win32.PipeEnds pipe = Win32.CreatePipe();
        String dir = System.getenv("SystemRoot");
        Win32.ProcessInfo child;
        try {
            child = Win32.CreateProcess("cmd.exe /d /c echo %SPAWNKIT_W32%& cd",
                    new Win32.CreateProcessOptions().moduleName(cmd()).cwd(dir)
                            .env(Map.of("SPAWNKIT_W32", "from-java")).stdout(pipe.writeEnd()));
        } finally {
            Win32.CloseHandle(pipe.writeEnd());
        }
        try {
            String[] lines = readToEnd(pipe.readEnd()).trim().split("\r\n");
            assertThat(lines).hasSize(2);
            assertThat(lines[0]).isEqualTo("from-java");
            assertThat(lines[1]).isEqualToIgnoringCase(dir); // cd prints the directory as given

            assertThat(Win32.WaitForSingleObject(child.processHandle(), 30_000)).isEqualTo(Win32.WAIT_OBJECT_0);
        } finally {
            Win32.CloseHandle(pipe.readEnd());
            closeAll(child);
        }
    }

    @Test
    @EnabledOnOs(OS.WINDOWS)
    void aMissingProgramIsASpawnExceptionNamingTheError() {
        assertThatThrownBy(() -> Win32.CreateProcess("spawnkit-no-such-program.exe"))
                .isInstanceOfSatisfying(SpawnException.class, e -> {
                    assertThat(e.errnoName()).isEqualTo("ERROR_FILE_NOT_FOUND");
                    assertThat(e.errno()).isEqualTo(2);
                    assertThat(e.syscall()).isEqualTo("CreateProcessW");
                    assertThat(e.program()).isEqualTo("spawnkit-no-such-program.exe");
                });
    }

    @Test
    @EnabledOnOs(OS.WINDOWS)
    void closingTwiceIsHarmless() {
        Win32.PipeEnds pipe = Win32.CreatePipe(new Win32.CreatePipeOptions(true));
        Win32.CloseHandle(pipe.readEnd());
        Win32.CloseHandle(pipe.readEnd());
        pipe.readEnd().close();
        assertThat(pipe.readEnd().isValid()).isFalse();
        assertThatThrownBy(() -> pipe.readEnd().raw()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> Win32.WaitForSingleObject(pipe.readEnd(), 0))
                .isInstanceOf(IllegalStateException.class);
        assertThat(pipe.readEnd()).hasToString("Win32Handle[closed]");
        assertThat(pipe.writeEnd().isValid()).isTrue();
        pipe.writeEnd().close();
        pipe.writeEnd().close();
    }
}
