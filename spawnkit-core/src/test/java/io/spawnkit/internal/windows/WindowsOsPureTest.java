package io.spawnkit.internal.windows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.spawnkit.internal.linux.LinuxOs;
import io.spawnkit.os.Os;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * The parts of the Windows {@link Os} that need no Windows: the errno translations (checked
 * against the mingw-w64 and the host's C headers, compiled only), the status encoding read by
 * Os's macros, the names of ucrtbase's exports, and that {@link Ucrt} and {@link WindowsOs} load
 * on any OS.
 */
class WindowsOsPureTest {

    /** name, the CRT's number (MSVC/mingw-w64 errno.h), Linux's number (asm-generic/errno*.h). */
    private record Errno(String name, int crt, int linux) {}

    private static final List<Errno> ERRNOS = List.of(
            new Errno("EPERM", 1, 1), new Errno("ENOENT", 2, 2), new Errno("ESRCH", 3, 3), new Errno("EINTR", 4, 4),
            new Errno("EIO", 5, 5), new Errno("E2BIG", 7, 7), new Errno("ENOEXEC", 8, 8), new Errno("EBADF", 9, 9),
            new Errno("ECHILD", 10, 10), new Errno("EAGAIN", 11, 11), new Errno("ENOMEM", 12, 12),
            new Errno("EACCES", 13, 13), new Errno("EEXIST", 17, 17), new Errno("ENOTDIR", 20, 20),
            new Errno("EISDIR", 21, 21), new Errno("EINVAL", 22, 22), new Errno("ENFILE", 23, 23),
            new Errno("EMFILE", 24, 24), new Errno("ENOSPC", 28, 28), new Errno("EPIPE", 32, 32),
            new Errno("ERANGE", 34, 34), new Errno("EDEADLK", 36, 35), new Errno("ENAMETOOLONG", 38, 36),
            new Errno("ENOLCK", 39, 37), new Errno("ENOSYS", 40, 38), new Errno("ENOTEMPTY", 41, 39),
            new Errno("EILSEQ", 42, 84), new Errno("EADDRINUSE", 100, 98), new Errno("EADDRNOTAVAIL", 101, 99),
            new Errno("EAFNOSUPPORT", 102, 97), new Errno("EALREADY", 103, 114), new Errno("EBADMSG", 104, 74),
            new Errno("ECANCELED", 105, 125), new Errno("ECONNABORTED", 106, 103),
            new Errno("ECONNREFUSED", 107, 111), new Errno("ECONNRESET", 108, 104),
            new Errno("EDESTADDRREQ", 109, 89), new Errno("EHOSTUNREACH", 110, 113), new Errno("EIDRM", 111, 43),
            new Errno("EINPROGRESS", 112, 115), new Errno("EISCONN", 113, 106), new Errno("ELOOP", 114, 40),
            new Errno("EMSGSIZE", 115, 90), new Errno("ENETDOWN", 116, 100), new Errno("ENETRESET", 117, 102),
            new Errno("ENETUNREACH", 118, 101), new Errno("ENOBUFS", 119, 105), new Errno("ENODATA", 120, 61),
            new Errno("ENOLINK", 121, 67), new Errno("ENOMSG", 122, 42), new Errno("ENOPROTOOPT", 123, 92),
            new Errno("ENOSR", 124, 63), new Errno("ENOSTR", 125, 60), new Errno("ENOTCONN", 126, 107),
            new Errno("ENOTRECOVERABLE", 127, 131), new Errno("ENOTSOCK", 128, 88), new Errno("ENOTSUP", 129, 95),
            new Errno("EOPNOTSUPP", 130, 95), new Errno("EOVERFLOW", 132, 75), new Errno("EOWNERDEAD", 133, 130),
            new Errno("EPROTO", 134, 71), new Errno("EPROTONOSUPPORT", 135, 93), new Errno("EPROTOTYPE", 136, 91),
            new Errno("ETIME", 137, 62), new Errno("ETIMEDOUT", 138, 110), new Errno("ETXTBSY", 139, 26),
            new Errno("EWOULDBLOCK", 140, 11));

    @Test
    void crtErrnoBecomesLinuxErrnoOfTheSameName() {
        for (Errno e : ERRNOS) {
            assertThat(Ucrt.toLinuxErrno(e.crt())).as(e.name()).isEqualTo(e.linux());
        }
        assertThat(Ucrt.toLinuxErrno(131)).as("EOTHER has no Linux twin: kept").isEqualTo(131);
        assertThat(Ucrt.toLinuxErrno(80)).as("STRUNCATE: kept").isEqualTo(80);
        assertThat(Ucrt.toLinuxErrno(0)).isZero();
        // the numbers Os names: only ENOSYS differs between the CRT and Linux
        assertThat(Ucrt.toLinuxErrno(40)).isEqualTo(Os.ENOSYS);
        for (int same : new int[] {Os.EPERM, Os.ENOENT, Os.ESRCH, Os.EINTR, Os.EBADF, Os.ECHILD, Os.EAGAIN,
                Os.EACCES, Os.ENOTDIR, Os.EINVAL, Os.EPIPE}) {
            assertThat(Ucrt.toLinuxErrno(same)).isEqualTo(same);
        }
    }

    @Test
    void theCrtNumbersAreMingwHeaders(@TempDir Path dir) throws Exception {
        Path gcc = Win32LayoutTest.mingwOrSkip();
        StringBuilder c = new StringBuilder("#include <errno.h>\n#include <fcntl.h>\n");
        for (Errno e : ERRNOS) {
            c.append("_Static_assert(").append(e.name()).append(" == ").append(e.crt()).append(", \"")
                    .append(e.name()).append("\");\n");
        }
        c.append("_Static_assert(_O_BINARY == ").append(Ucrt._O_BINARY).append(", \"_O_BINARY\");\n");
        c.append("_Static_assert(_O_NOINHERIT == ").append(Ucrt._O_NOINHERIT).append(", \"_O_NOINHERIT\");\n");
        c.append("_Static_assert(_O_RDONLY == ").append(Ucrt._O_RDONLY).append(", \"_O_RDONLY\");\n");
        c.append("_Static_assert(_O_WRONLY == ").append(Ucrt._O_WRONLY).append(", \"_O_WRONLY\");\n");
        Path src = dir.resolve("crterrno.c");
        Files.writeString(src, c);
        Win32LayoutTest.compileToAssembly(gcc, src, dir.resolve("crterrno.s"));
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void theLinuxNumbersAreTheHostsHeaders(@TempDir Path dir) throws Exception {
        Path gcc = Path.of("/usr/bin/gcc");
        assumeTrue(Files.isExecutable(gcc), "no host gcc");
        StringBuilder c = new StringBuilder("#include <errno.h>\n");
        for (Errno e : ERRNOS) {
            c.append("_Static_assert(").append(e.name()).append(" == ").append(e.linux()).append(", \"")
                    .append(e.name()).append("\");\n");
        }
        Path src = dir.resolve("linuxerrno.c");
        Files.writeString(src, c);
        Win32LayoutTest.compileToAssembly(gcc, src, dir.resolve("linuxerrno.s"));
    }

    @Test
    void ucrtPrototypesAreMingwHeaders(@TempDir Path dir) throws Exception {
        Path gcc = Win32LayoutTest.mingwOrSkip();
        // the FunctionDescriptors in Ucrt.Bound: int -> JAVA_INT, intptr_t -> JAVA_LONG, pointers -> ADDRESS
        String c = """
                #include <io.h>
                #include <stdint.h>
                #include <stdlib.h>
                #define SAME(f, type) _Static_assert(__builtin_types_compatible_p(__typeof__(&f), type), #f)
                SAME(_pipe, int (__cdecl *)(int *, unsigned int, int));
                SAME(_dup, int (__cdecl *)(int));
                SAME(_dup2, int (__cdecl *)(int, int));
                SAME(_close, int (__cdecl *)(int));
                SAME(_read, int (__cdecl *)(int, void *, unsigned int));
                SAME(_write, int (__cdecl *)(int, const void *, unsigned int));
                SAME(_get_osfhandle, intptr_t (__cdecl *)(int));
                SAME(_open_osfhandle, int (__cdecl *)(intptr_t, int));
                _Static_assert(sizeof(intptr_t) == 8, "Win64");
                /* the upcall Ucrt.Bound.IGNORE: (ADDRESS, ADDRESS, ADDRESS, JAVA_INT, JAVA_LONG) -> void */
                _Static_assert(__builtin_types_compatible_p(_invalid_parameter_handler, void (__cdecl *)(
                        const wchar_t *, const wchar_t *, const wchar_t *, unsigned int, uintptr_t)), "handler");
                _Static_assert(sizeof(wchar_t *) == 8 && sizeof(uintptr_t) == 8 && sizeof(unsigned int) == 4, "Win64");
                /* mingw-w64 does not declare the thread-local setter; its process-wide sibling has the same
                   documented shape, handler -> handler, as SET_HANDLER's (ADDRESS) -> ADDRESS */
                SAME(_set_invalid_parameter_handler, _invalid_parameter_handler (__cdecl *)(_invalid_parameter_handler));
                """;
        Path src = dir.resolve("ucrtprotos.c");
        Files.writeString(src, c);
        Win32LayoutTest.compileToAssembly(gcc, src, dir.resolve("ucrtprotos.s"));
    }

    @Test
    void ucrtbaseExportsEverySymbolUcrtBinds() throws Exception {
        Path gcc = Win32LayoutTest.mingwOrSkip();
        Path nm = gcc.resolveSibling("x86_64-w64-mingw32-nm");
        assumeTrue(Files.isExecutable(nm), nm + " is missing");
        String lib = run(gcc.toString(), "-print-file-name=libucrtbase.a").trim();
        assumeTrue(Files.isRegularFile(Path.of(lib)), "mingw-w64 has no libucrtbase.a: " + lib);
        String symbols = run(nm.toString(), lib);
        assertThat(Ucrt.SYMBOLS).hasSize(9);
        for (String s : Ucrt.SYMBOLS) {
            assertThat(symbols).as("ucrtbase.dll exports " + s).containsPattern("(?m) I __imp_" + s + "$");
        }
    }

    private static String run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command) + ":\n" + out).isZero();
        return out;
    }

    @Test
    void win32ErrorsBecomeErrno() {
        Map<Integer, Integer> expected = new LinkedHashMap<>();
        expected.put(Win32Constants.ERROR_FILE_NOT_FOUND, Os.ENOENT);
        expected.put(Win32Constants.ERROR_PATH_NOT_FOUND, Os.ENOENT);
        expected.put(Win32Constants.ERROR_INVALID_NAME, Os.ENOENT);
        expected.put(Win32Constants.ERROR_BAD_PATHNAME, Os.ENOENT);
        expected.put(Win32Constants.ERROR_DIRECTORY, Os.ENOENT);
        expected.put(Win32Constants.ERROR_ACCESS_DENIED, Os.EACCES);
        expected.put(Win32Constants.ERROR_ELEVATION_REQUIRED, Os.EACCES);
        expected.put(Win32Constants.ERROR_PRIVILEGE_NOT_HELD, Os.EPERM);
        expected.put(Win32Constants.ERROR_INVALID_HANDLE, Os.EBADF);
        expected.put(Win32Constants.ERROR_BAD_EXE_FORMAT, 8); // ENOEXEC
        expected.put(Win32Constants.ERROR_EXE_MACHINE_TYPE_MISMATCH, 8);
        expected.put(Win32Constants.ERROR_NOT_ENOUGH_MEMORY, 12); // ENOMEM
        expected.put(Win32Constants.ERROR_TOO_MANY_OPEN_FILES, 24); // EMFILE
        expected.put(Win32Constants.ERROR_FILENAME_EXCED_RANGE, 7); // E2BIG
        expected.put(Win32Constants.ERROR_BROKEN_PIPE, Os.EPIPE);
        expected.put(Win32Constants.ERROR_NO_DATA, Os.EPIPE);
        expected.put(WindowsOs.ERROR_WAIT_NO_CHILDREN, Os.ECHILD);
        expected.put(Win32Constants.ERROR_NOT_SUPPORTED, Os.ENOSYS);
        expected.put(Win32Constants.ERROR_INVALID_PARAMETER, Os.EINVAL);
        expected.put(Win32Constants.ERROR_BAD_ENVIRONMENT, Os.EINVAL);
        expected.put(12345, Os.EINVAL);
        expected.forEach((win32, errno) ->
                assertThat(WindowsOs.errnoOf(win32)).as(Win32Errors.name(win32)).isEqualTo(errno));
        assertThat(WindowsOs.isBrokenPipe(Win32Constants.ERROR_NO_DATA)).isTrue();
        assertThat(WindowsOs.isBrokenPipe(Win32Constants.ERROR_BROKEN_PIPE)).isTrue();
        assertThat(WindowsOs.isBrokenPipe(Win32Constants.ERROR_INVALID_PARAMETER)).isFalse();
    }

    @Test
    void aBadWorkingDirectoryIsEnoentOrEnotdir(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("plain.txt"), "x");
        assertThat(WindowsOs.createProcessErrno(Win32Constants.ERROR_DIRECTORY, file.toString())).isEqualTo(Os.ENOTDIR);
        assertThat(WindowsOs.createProcessErrno(Win32Constants.ERROR_DIRECTORY, dir.resolve("missing").toString()))
                .isEqualTo(Os.ENOENT);
        assertThat(WindowsOs.createProcessErrno(Win32Constants.ERROR_DIRECTORY, null)).isEqualTo(Os.ENOENT);
        assertThat(WindowsOs.createProcessErrno(Win32Constants.ERROR_FILE_NOT_FOUND, file.toString()))
                .isEqualTo(Os.ENOENT);
    }

    @Test
    void anExitCodeReadsAsAnExitThroughOsMacros() {
        for (int code : new int[] {0, 1, 3, 127, 255, 256, 259, 0x7fffffff, 0xC0000005, -1, 0xffff}) {
            int status = WindowsOs.status(code);
            assertThat(Os.WIFEXITED(status)).as("WIFEXITED for " + code).isTrue();
            assertThat(Os.WEXITSTATUS(status)).as("WEXITSTATUS for " + code).isEqualTo(code & 0xff);
            assertThat(Os.WIFSIGNALED(status)).as("WIFSIGNALED for " + code).isFalse();
            assertThat(Os.WIFSTOPPED(status)).as("WIFSTOPPED for " + code).isFalse();
            assertThat(Os.WIFCONTINUED(status)).as("WIFCONTINUED for " + code).isFalse();
        }
        assertThat(WindowsOs.status(3)).isEqualTo(3 << 8);
    }

    @Test
    void waitResultKeepsTheWholeExitCodeAndDerivesItOnLinux() {
        Os.WaitResult windows = new Os.WaitResult(1234, WindowsOs.status(0xC0000005), 0xC0000005);
        assertThat(windows.exitCode()).isEqualTo(0xC0000005);
        assertThat(Os.WEXITSTATUS(windows.status())).isEqualTo(5);
        assertThat(new Os.WaitResult(77, 3 << 8).exitCode()).isEqualTo(3);
        assertThat(new Os.WaitResult(77, 9).exitCode()).as("killed by SIGKILL: no exit code").isZero();
        assertThat(new Os.WaitResult(0, 0).exitCode()).isZero();
        assertThat(new Os.WaitResult(-Os.ECHILD, 0)).isEqualTo(new Os.WaitResult(-Os.ECHILD, 0, 0));
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void describeSaysWhatGlibcSays() {
        for (int errno = 1; errno <= 39; errno++) {
            assertThat(WindowsOs.describe(errno)).as("errno " + errno).isEqualTo(LinuxOs.describe(errno));
        }
        assertThat(WindowsOs.describe(84)).isEqualTo("errno 84");
    }

    @Test
    void theWindowsClassesLoadEverywhere() throws Exception {
        // loading and initialising must not link anything: Os's probe and the pure code above rely on it
        Class.forName(Ucrt.class.getName(), true, getClass().getClassLoader());
        Class.forName(WindowsOs.class.getName(), true, getClass().getClassLoader());
        assertThat(WindowsOs.KILLED_EXIT_CODE).isEqualTo(1);
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void ucrtRefusesToLinkOffWindows() {
        // the first call fails with ExceptionInInitializerError, later ones with NoClassDefFoundError
        assertThatThrownBy(() -> Ucrt._close(99)).isInstanceOf(LinkageError.class)
                .satisfies(t -> assertThat(chain(t)).contains("ucrtbase exists only on Windows"));
        assertThatThrownBy(() -> Ucrt._get_osfhandle(0)).isInstanceOf(LinkageError.class)
                .satisfies(t -> assertThat(chain(t)).contains("ucrtbase exists only on Windows"));
    }

    private static String chain(Throwable t) {
        StringBuilder b = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            b.append(c).append('\n');
        }
        return b.toString();
    }

    @Test
    void aProgramWithoutPathSearchIsTakenAgainstTheWorkingDirectory(@TempDir Path dir) {
        Path abs = dir.resolve("tool.exe").toAbsolutePath();
        assertThat(WindowsOs.absolute(abs.toString(), "ignored")).isEqualTo(abs.toString());
        assertThat(WindowsOs.absolute("tool.exe", dir.toString())).isEqualTo(dir.resolve("tool.exe").toString());
        assertThat(WindowsOs.absolute("tool.exe", null))
                .isEqualTo(Path.of("tool.exe").toAbsolutePath().toString());
        assertThat(WindowsOs.absolute("bad\0name", null)).as("no path at all: ENOENT follows").isNull();
    }
}
