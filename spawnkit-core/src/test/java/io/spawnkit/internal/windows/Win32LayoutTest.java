package io.spawnkit.internal.windows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.lang.foreign.Arena;
import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Win64 layouts of {@link Win32Structs} and the values of {@link Win32Constants}, checked twice
 * on any OS: against numbers written down from the Windows SDK headers (winbase.h, winnt.h,
 * processthreadsapi.h, minwinbase.h: x64, LLP64, natural alignment), and against the mingw-w64
 * headers through the cross compiler when {@code x86_64-w64-mingw32-gcc} is installed. The probe is
 * only compiled to assembly ({@code -S}), so no Windows and no Wine is needed: each number leaves
 * the compiler as an immediate operand printed into an assembler comment. Without the compiler the
 * second check is skipped, unless {@code -Dspawnkit.requireMingw=true}, which makes it fail.
 */
class Win32LayoutTest {

    /** Sizes ("STRUCT") and offsets ("STRUCT.field", nested by dots), from the SDK headers. */
    private static final Map<String, Long> SDK = new LinkedHashMap<>();

    private static void sdk(String key, long value) {
        SDK.put(key, value);
    }

    static {
        sdk("SECURITY_ATTRIBUTES", 24);
        sdk("SECURITY_ATTRIBUTES.nLength", 0);
        sdk("SECURITY_ATTRIBUTES.lpSecurityDescriptor", 8);
        sdk("SECURITY_ATTRIBUTES.bInheritHandle", 16);

        sdk("STARTUPINFOW", 104);
        sdk("STARTUPINFOW.cb", 0);
        sdk("STARTUPINFOW.lpReserved", 8);
        sdk("STARTUPINFOW.lpDesktop", 16);
        sdk("STARTUPINFOW.lpTitle", 24);
        sdk("STARTUPINFOW.dwX", 32);
        sdk("STARTUPINFOW.dwY", 36);
        sdk("STARTUPINFOW.dwXSize", 40);
        sdk("STARTUPINFOW.dwYSize", 44);
        sdk("STARTUPINFOW.dwXCountChars", 48);
        sdk("STARTUPINFOW.dwYCountChars", 52);
        sdk("STARTUPINFOW.dwFillAttribute", 56);
        sdk("STARTUPINFOW.dwFlags", 60);
        sdk("STARTUPINFOW.wShowWindow", 64);
        sdk("STARTUPINFOW.cbReserved2", 66);
        sdk("STARTUPINFOW.lpReserved2", 72);
        sdk("STARTUPINFOW.hStdInput", 80);
        sdk("STARTUPINFOW.hStdOutput", 88);
        sdk("STARTUPINFOW.hStdError", 96);

        sdk("STARTUPINFOEXW", 112);
        sdk("STARTUPINFOEXW.StartupInfo", 0);
        sdk("STARTUPINFOEXW.StartupInfo.cb", 0);
        sdk("STARTUPINFOEXW.StartupInfo.lpReserved", 8);
        sdk("STARTUPINFOEXW.StartupInfo.lpDesktop", 16);
        sdk("STARTUPINFOEXW.StartupInfo.lpTitle", 24);
        sdk("STARTUPINFOEXW.StartupInfo.dwX", 32);
        sdk("STARTUPINFOEXW.StartupInfo.dwY", 36);
        sdk("STARTUPINFOEXW.StartupInfo.dwXSize", 40);
        sdk("STARTUPINFOEXW.StartupInfo.dwYSize", 44);
        sdk("STARTUPINFOEXW.StartupInfo.dwXCountChars", 48);
        sdk("STARTUPINFOEXW.StartupInfo.dwYCountChars", 52);
        sdk("STARTUPINFOEXW.StartupInfo.dwFillAttribute", 56);
        sdk("STARTUPINFOEXW.StartupInfo.dwFlags", 60);
        sdk("STARTUPINFOEXW.StartupInfo.wShowWindow", 64);
        sdk("STARTUPINFOEXW.StartupInfo.cbReserved2", 66);
        sdk("STARTUPINFOEXW.StartupInfo.lpReserved2", 72);
        sdk("STARTUPINFOEXW.StartupInfo.hStdInput", 80);
        sdk("STARTUPINFOEXW.StartupInfo.hStdOutput", 88);
        sdk("STARTUPINFOEXW.StartupInfo.hStdError", 96);
        sdk("STARTUPINFOEXW.lpAttributeList", 104);

        sdk("PROCESS_INFORMATION", 24);
        sdk("PROCESS_INFORMATION.hProcess", 0);
        sdk("PROCESS_INFORMATION.hThread", 8);
        sdk("PROCESS_INFORMATION.dwProcessId", 16);
        sdk("PROCESS_INFORMATION.dwThreadId", 20);

        sdk("OVERLAPPED", 32);
        sdk("OVERLAPPED.Internal", 0);
        sdk("OVERLAPPED.InternalHigh", 8);
        sdk("OVERLAPPED.Offset", 16);
        sdk("OVERLAPPED.OffsetHigh", 20);
        sdk("OVERLAPPED.hEvent", 24);

        sdk("OVERLAPPED_ENTRY", 32);
        sdk("OVERLAPPED_ENTRY.lpCompletionKey", 0);
        sdk("OVERLAPPED_ENTRY.lpOverlapped", 8);
        sdk("OVERLAPPED_ENTRY.Internal", 16);
        sdk("OVERLAPPED_ENTRY.dwNumberOfBytesTransferred", 24);

        sdk("JOBOBJECT_BASIC_LIMIT_INFORMATION", 64);
        sdk("JOBOBJECT_BASIC_LIMIT_INFORMATION.PerProcessUserTimeLimit", 0);
        sdk("JOBOBJECT_BASIC_LIMIT_INFORMATION.PerJobUserTimeLimit", 8);
        sdk("JOBOBJECT_BASIC_LIMIT_INFORMATION.LimitFlags", 16);
        sdk("JOBOBJECT_BASIC_LIMIT_INFORMATION.MinimumWorkingSetSize", 24);
        sdk("JOBOBJECT_BASIC_LIMIT_INFORMATION.MaximumWorkingSetSize", 32);
        sdk("JOBOBJECT_BASIC_LIMIT_INFORMATION.ActiveProcessLimit", 40);
        sdk("JOBOBJECT_BASIC_LIMIT_INFORMATION.Affinity", 48);
        sdk("JOBOBJECT_BASIC_LIMIT_INFORMATION.PriorityClass", 56);
        sdk("JOBOBJECT_BASIC_LIMIT_INFORMATION.SchedulingClass", 60);

        sdk("IO_COUNTERS", 48);
        sdk("IO_COUNTERS.ReadOperationCount", 0);
        sdk("IO_COUNTERS.WriteOperationCount", 8);
        sdk("IO_COUNTERS.OtherOperationCount", 16);
        sdk("IO_COUNTERS.ReadTransferCount", 24);
        sdk("IO_COUNTERS.WriteTransferCount", 32);
        sdk("IO_COUNTERS.OtherTransferCount", 40);

        sdk("JOBOBJECT_EXTENDED_LIMIT_INFORMATION", 144);
        sdk("JOBOBJECT_EXTENDED_LIMIT_INFORMATION.BasicLimitInformation", 0);
        sdk("JOBOBJECT_EXTENDED_LIMIT_INFORMATION.BasicLimitInformation.PerProcessUserTimeLimit", 0);
        sdk("JOBOBJECT_EXTENDED_LIMIT_INFORMATION.BasicLimitInformation.PerJobUserTimeLimit", 8);
        sdk("JOBOBJECT_EXTENDED_LIMIT_INFORMATION.BasicLimitInformation.LimitFlags", 16);
        sdk("JOBOBJECT_EXTENDED_LIMIT_INFORMATION.BasicLimitInformation.MinimumWorkingSetSize", 24);
        sdk("JOBOBJECT_EXTENDED_LIMIT_INFORMATION.BasicLimitInformation.MaximumWorkingSetSize", 32);
        sdk("JOBOBJECT_EXTENDED_LIMIT_INFORMATION.BasicLimitInformation.ActiveProcessLimit", 40);
        sdk("JOBOBJECT_EXTENDED_LIMIT_INFORMATION.BasicLimitInformation.Affinity", 48);
        sdk("JOBOBJECT_EXTENDED_LIMIT_INFORMATION.BasicLimitInformation.PriorityClass", 56);
        sdk("JOBOBJECT_EXTENDED_LIMIT_INFORMATION.BasicLimitInformation.SchedulingClass", 60);
        sdk("JOBOBJECT_EXTENDED_LIMIT_INFORMATION.IoInfo", 64);
        sdk("JOBOBJECT_EXTENDED_LIMIT_INFORMATION.IoInfo.ReadOperationCount", 64);
        sdk("JOBOBJECT_EXTENDED_LIMIT_INFORMATION.IoInfo.WriteOperationCount", 72);
        sdk("JOBOBJECT_EXTENDED_LIMIT_INFORMATION.IoInfo.OtherOperationCount", 80);
        sdk("JOBOBJECT_EXTENDED_LIMIT_INFORMATION.IoInfo.ReadTransferCount", 88);
        sdk("JOBOBJECT_EXTENDED_LIMIT_INFORMATION.IoInfo.WriteTransferCount", 96);
        sdk("JOBOBJECT_EXTENDED_LIMIT_INFORMATION.IoInfo.OtherTransferCount", 104);
        sdk("JOBOBJECT_EXTENDED_LIMIT_INFORMATION.ProcessMemoryLimit", 112);
        sdk("JOBOBJECT_EXTENDED_LIMIT_INFORMATION.JobMemoryLimit", 120);
        sdk("JOBOBJECT_EXTENDED_LIMIT_INFORMATION.PeakProcessMemoryUsed", 128);
        sdk("JOBOBJECT_EXTENDED_LIMIT_INFORMATION.PeakJobMemoryUsed", 136);
    }

    /** A named member of a layout: its dotted path under the struct, offset and size. */
    private record Member(String struct, String path, long offset, long size) {
        String key() {
            return struct + "." + path;
        }
    }

    private static List<Member> members(StructLayout struct) {
        List<Member> out = new ArrayList<>();
        collect(struct.name().orElseThrow(), struct, "", 0, out);
        return out;
    }

    private static void collect(String struct, GroupLayout group, String prefix, long base, List<Member> out) {
        long offset = base;
        for (MemoryLayout m : group.memberLayouts()) {
            if (m.name().isPresent()) {
                String path = prefix + m.name().get();
                out.add(new Member(struct, path, offset, m.byteSize()));
                if (m instanceof GroupLayout g) {
                    collect(struct, g, path + ".", offset, out);
                }
            }
            offset += m.byteSize();
        }
    }

    @Test
    void everyLayoutHasTheSdkSizeAndOffsets() {
        Map<String, Long> ours = new LinkedHashMap<>();
        for (StructLayout s : Win32Structs.ALL) {
            ours.put(s.name().orElseThrow(), s.byteSize());
            for (Member m : members(s)) {
                ours.put(m.key(), m.offset());
                // the offset the FFM API computes agrees with our walk
                assertThat(Win32Structs.offset(s, m.path())).as(m.key()).isEqualTo(m.offset());
            }
        }
        assertThat(ours).containsExactlyInAnyOrderEntriesOf(SDK);
    }

    @Test
    void layoutsAreNaturallyAlignedAsOnWin64() {
        for (StructLayout s : Win32Structs.ALL) {
            for (Member m : members(s)) {
                long align = Math.min(8, Long.highestOneBit(Math.max(1, m.size())));
                assertThat(m.offset() % align).as(m.key() + " aligned to " + align).isZero();
            }
            assertThat(s.byteSize() % 8).as(s.name().orElseThrow() + " size is a multiple of 8").isZero();
        }
        assertThat(ValueLayout.ADDRESS.byteSize()).as("these layouts assume 64-bit pointers").isEqualTo(8);
    }

    @Test
    void wideStringsAreNulTerminatedUtf16Le() {
        try (Arena arena = Arena.ofConfined()) {
            assertThat(Win32Structs.wide(arena, null)).isEqualTo(MemorySegment.NULL);
            assertThat(Win32Structs.wide(arena, "").toArray(ValueLayout.JAVA_BYTE)).containsExactly(0, 0);
            assertThat(Win32Structs.wide(arena, "A\u00e9").toArray(ValueLayout.JAVA_BYTE))
                    .containsExactly(0x41, 0, 0xe9 - 256, 0, 0, 0);
            String s = "C:\\Program Files\\\u65e5\u672c\\\ud83d\ude00.exe";
            MemorySegment w = Win32Structs.wide(arena, s);
            assertThat(w.byteSize()).isEqualTo(2L * (s.length() + 1));
            assertThat(new String(w.asSlice(0, w.byteSize() - 2).toArray(ValueLayout.JAVA_BYTE),
                    StandardCharsets.UTF_16LE)).isEqualTo(s);
            assertThat(Win32Structs.readWide(w, Integer.MAX_VALUE)).isEqualTo(s);
            assertThat(Win32Structs.readWide(w, 2)).isEqualTo("C:");
            char[] block = "A=1\0b=2\0\0".toCharArray();
            assertThat(Win32Structs.wideBlock(arena, block).toArray(ValueLayout.JAVA_BYTE))
                    .isEqualTo("A=1\0b=2\0\0".getBytes(StandardCharsets.UTF_16LE));
            try {
                Win32Structs.wide(arena, "a\0b");
                fail("a NUL inside a wide string was accepted");
            } catch (IllegalArgumentException expected) {
                assertThat(expected).hasMessageContaining("NUL");
            }
        }
    }

    @Test
    void constantsHaveTheSdkValues() {
        // a few written down from the headers, the rest by the mingw-w64 oracle below
        assertThat(Win32Constants.PROC_THREAD_ATTRIBUTE_HANDLE_LIST).isEqualTo(0x20002L);
        assertThat(Win32Constants.EXTENDED_STARTUPINFO_PRESENT).isEqualTo(0x80000);
        assertThat(Win32Constants.CREATE_UNICODE_ENVIRONMENT).isEqualTo(0x400);
        assertThat(Win32Constants.CREATE_NO_WINDOW).isEqualTo(0x08000000);
        assertThat(Win32Constants.STARTF_USESTDHANDLES).isEqualTo(0x100);
        assertThat(Win32Constants.WAIT_TIMEOUT).isEqualTo(258);
        assertThat(Win32Constants.WAIT_FAILED).isEqualTo(0xFFFFFFFF);
        assertThat(Win32Constants.STILL_ACTIVE).isEqualTo(259);
        assertThat(Win32Constants.JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE).isEqualTo(0x2000);
        assertThat(Win32Constants.JobObjectExtendedLimitInformation).isEqualTo(9);
        assertThat(Win32Constants.ERROR_PIPE_CONNECTED).isEqualTo(535);
        assertThat(Win32Constants.INVALID_HANDLE_VALUE).isEqualTo(-1L);
        // winerror.h of the Windows SDK; missing from mingw-w64's
        assertThat(Win32Constants.ERROR_ELEVATION_REQUIRED).isEqualTo(740);
    }

    // ---- the mingw-w64 oracle -----------------------------------------------------------------------

    private static final String MINGW = "x86_64-w64-mingw32-gcc";

    private static Path findOnPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
                return Path.of(dir, program);
            }
        }
        return null;
    }

    /**
     * Constants of the Windows SDK that the mingw-w64 headers (12.x) do not define; their values are
     * checked by hand in {@link #constantsHaveTheSdkValues}.
     */
    private static final Set<String> MINGW_LACKS = Set.of("ERROR_ELEVATION_REQUIRED");

    private static List<Field> constantFields() {
        List<Field> out = new ArrayList<>();
        for (Field f : Win32Constants.class.getDeclaredFields()) {
            int mod = f.getModifiers();
            if (!MINGW_LACKS.contains(f.getName()) && Modifier.isPublic(mod) && Modifier.isStatic(mod) && Modifier.isFinal(mod)
                    && (f.getType() == int.class || f.getType() == long.class)) {
                out.add(f);
            }
        }
        return out;
    }

    /**
     * One assembler comment per number: {@code #SPAWNKIT KIND KEY VALUE}. {@code %c0} prints an
     * immediate without its {@code $}; it must fit a sign-extended 32-bit immediate, so an {@code int}
     * constant is cast to {@code int} (as its Java field holds it) and only pointer-sized ones to
     * {@code long long}.
     */
    private static String probe(List<Field> constants) {
        StringBuilder c = new StringBuilder("""
                #define WIN32_LEAN_AND_MEAN
                #include <windows.h>
                #include <stddef.h>
                #define EMIT(kind, key, type, value) \\
                    __asm__ volatile("#SPAWNKIT " kind " " key " %c0" :: "i"((type)(value)))
                void spawnkit_probe(void) {
                """);
        for (StructLayout s : Win32Structs.ALL) {
            String t = s.name().orElseThrow();
            c.append("  EMIT(\"SIZE\", \"").append(t).append("\", long long, sizeof(").append(t).append("));\n");
            for (Member m : members(s)) {
                c.append("  EMIT(\"OFFSET\", \"").append(m.key()).append("\", long long, offsetof(")
                        .append(t).append(", ").append(m.path()).append("));\n");
                c.append("  EMIT(\"FIELDSIZE\", \"").append(m.key()).append("\", long long, sizeof(((")
                        .append(t).append(" *) 0)->").append(m.path()).append("));\n");
            }
        }
        for (Field f : constants) {
            c.append("  EMIT(\"CONST\", \"").append(f.getName()).append("\", ")
                    .append(f.getType() == int.class ? "int" : "long long").append(", ").append(f.getName())
                    .append(");\n");
        }
        return c.append("}\n").toString();
    }

    static Path mingwOrSkip() {
        Path gcc = findOnPath(MINGW);
        if (gcc == null) {
            if (Boolean.getBoolean("spawnkit.requireMingw")) {
                fail(MINGW + " is not on the PATH and spawnkit.requireMingw=true");
            }
            assumeTrue(false, MINGW + " is not installed (apt-get install gcc-mingw-w64-x86-64)");
        }
        return gcc;
    }

    static void compileToAssembly(Path gcc, Path src, Path asm) throws Exception {
        Process compile = new ProcessBuilder(gcc.toString(), "-S", "-O0", "-o", asm.toString(), src.toString())
                .redirectErrorStream(true).start();
        String log = new String(compile.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(compile.waitFor(120, TimeUnit.SECONDS)).as("the compiler finished").isTrue();
        assertThat(compile.exitValue()).as("the probe compiles against the mingw-w64 headers:\n" + log).isZero();
    }

    /**
     * The C prototype of every function Kernel32 binds, as the SDK documents it (return type, then
     * parameter types, WINAPI implied). Each is checked twice: against the Java method of the same
     * name ({@link #javaCarrier}) and, by the mingw-w64 oracle, against the header's declaration.
     */
    private static final Map<String, List<String>> PROTOTYPES = new LinkedHashMap<>();

    private static void proto(String name, String... returnThenParameters) {
        PROTOTYPES.put(name, List.of(returnThenParameters));
    }

    static {
        proto("CloseHandle", "BOOL", "HANDLE");
        proto("SetHandleInformation", "BOOL", "HANDLE", "DWORD", "DWORD");
        proto("DuplicateHandle", "BOOL", "HANDLE", "HANDLE", "HANDLE", "LPHANDLE", "DWORD", "BOOL", "DWORD");
        proto("GetCurrentProcess", "HANDLE");
        proto("GetCurrentProcessId", "DWORD");
        proto("GetStdHandle", "HANDLE", "DWORD");
        proto("GetFileType", "DWORD", "HANDLE");
        proto("CreatePipe", "BOOL", "PHANDLE", "PHANDLE", "LPSECURITY_ATTRIBUTES", "DWORD");
        proto("CreateNamedPipeW", "HANDLE", "LPCWSTR", "DWORD", "DWORD", "DWORD", "DWORD", "DWORD", "DWORD",
                "LPSECURITY_ATTRIBUTES");
        proto("CreateFileW", "HANDLE", "LPCWSTR", "DWORD", "DWORD", "LPSECURITY_ATTRIBUTES", "DWORD", "DWORD",
                "HANDLE");
        proto("ConnectNamedPipe", "BOOL", "HANDLE", "LPOVERLAPPED");
        proto("ReadFile", "BOOL", "HANDLE", "LPVOID", "DWORD", "LPDWORD", "LPOVERLAPPED");
        proto("WriteFile", "BOOL", "HANDLE", "LPCVOID", "DWORD", "LPDWORD", "LPOVERLAPPED");
        proto("CancelIoEx", "BOOL", "HANDLE", "LPOVERLAPPED");
        proto("GetOverlappedResult", "BOOL", "HANDLE", "LPOVERLAPPED", "LPDWORD", "BOOL");
        proto("CreateIoCompletionPort", "HANDLE", "HANDLE", "HANDLE", "ULONG_PTR", "DWORD");
        proto("GetQueuedCompletionStatusEx", "BOOL", "HANDLE", "LPOVERLAPPED_ENTRY", "ULONG", "PULONG", "DWORD",
                "BOOL");
        proto("PostQueuedCompletionStatus", "BOOL", "HANDLE", "DWORD", "ULONG_PTR", "LPOVERLAPPED");
        proto("CreateProcessW", "BOOL", "LPCWSTR", "LPWSTR", "LPSECURITY_ATTRIBUTES", "LPSECURITY_ATTRIBUTES",
                "BOOL", "DWORD", "LPVOID", "LPCWSTR", "LPSTARTUPINFOW", "LPPROCESS_INFORMATION");
        proto("InitializeProcThreadAttributeList", "BOOL", "LPPROC_THREAD_ATTRIBUTE_LIST", "DWORD", "DWORD",
                "PSIZE_T");
        proto("UpdateProcThreadAttribute", "BOOL", "LPPROC_THREAD_ATTRIBUTE_LIST", "DWORD", "DWORD_PTR", "PVOID",
                "SIZE_T", "PVOID", "PSIZE_T");
        proto("DeleteProcThreadAttributeList", "VOID", "LPPROC_THREAD_ATTRIBUTE_LIST");
        proto("WaitForSingleObject", "DWORD", "HANDLE", "DWORD");
        proto("WaitForMultipleObjects", "DWORD", "DWORD", "const HANDLE *", "BOOL", "DWORD");
        proto("RegisterWaitForSingleObject", "BOOL", "PHANDLE", "HANDLE", "WAITORTIMERCALLBACK", "PVOID", "ULONG",
                "ULONG");
        proto("UnregisterWaitEx", "BOOL", "HANDLE", "HANDLE");
        proto("GetExitCodeProcess", "BOOL", "HANDLE", "LPDWORD");
        proto("TerminateProcess", "BOOL", "HANDLE", "UINT");
        proto("GetProcessId", "DWORD", "HANDLE");
        proto("ResumeThread", "DWORD", "HANDLE");
        proto("OpenProcess", "HANDLE", "DWORD", "BOOL", "DWORD");
        proto("GenerateConsoleCtrlEvent", "BOOL", "DWORD", "DWORD");
        proto("CreateJobObjectW", "HANDLE", "LPSECURITY_ATTRIBUTES", "LPCWSTR");
        proto("SetInformationJobObject", "BOOL", "HANDLE", "JOBOBJECTINFOCLASS", "LPVOID", "DWORD");
        proto("AssignProcessToJobObject", "BOOL", "HANDLE", "HANDLE");
        proto("TerminateJobObject", "BOOL", "HANDLE", "UINT");
        proto("GetSystemDirectoryW", "UINT", "LPWSTR", "UINT");
    }

    /**
     * The Java type a C type travels as on Win64: 32-bit integers (and the enum) as int,
     * HANDLE and pointer-sized integers as long, pointers to memory as MemorySegment.
     */
    private static Class<?> javaCarrier(String c) {
        return switch (c) {
            case "VOID" -> void.class;
            case "BOOL", "DWORD", "UINT", "ULONG", "JOBOBJECTINFOCLASS" -> int.class;
            case "HANDLE", "ULONG_PTR", "DWORD_PTR", "SIZE_T" -> long.class;
            default -> {
                assertThat(c).as("a pointer type").matches("L?P.*|WAITORTIMERCALLBACK|.*\\*");
                yield MemorySegment.class;
            }
        };
    }

    @Test
    void kernel32MethodsHaveTheJavaTypesOfTheirCPrototypes() throws Exception {
        // getDeclaredMethods does not initialise the class, which links kernel32 and exists only on Windows
        Class<?> k32 = Class.forName("io.spawnkit.internal.windows.Kernel32", false,
                Win32LayoutTest.class.getClassLoader());
        Map<String, java.lang.reflect.Method> bound = new TreeMap<>();
        for (java.lang.reflect.Method m : k32.getDeclaredMethods()) {
            if (Modifier.isPublic(m.getModifiers()) && !m.getName().equals("lastError")) {
                assertThat(bound.put(m.getName(), m)).as("one overload of " + m.getName()).isNull();
            }
        }
        assertThat(bound.keySet()).as("every bound function has its prototype written down")
                .containsExactlyInAnyOrderElementsOf(PROTOTYPES.keySet());
        for (var e : PROTOTYPES.entrySet()) {
            java.lang.reflect.Method m = bound.get(e.getKey());
            List<String> c = e.getValue();
            assertThat(m.getReturnType()).as(e.getKey() + " returns " + c.get(0)).isEqualTo(javaCarrier(c.get(0)));
            List<Class<?>> expected = c.subList(1, c.size()).stream().<Class<?>>map(Win32LayoutTest::javaCarrier)
                    .toList();
            assertThat(m.getParameterTypes()).as(e.getKey() + c).containsExactlyElementsOf(expected);
        }
        assertThat(k32.getMethod("lastError").getReturnType()).isEqualTo(int.class);
    }

    @Test
    void mingwHeadersDeclareTheSamePrototypes(@TempDir Path dir) throws Exception {
        Path gcc = mingwOrSkip();
        StringBuilder c = new StringBuilder("""
                #include <windows.h>
                #define SAME(f, type) _Static_assert(__builtin_types_compatible_p(__typeof__(&f), type), #f)
                """);
        for (var e : PROTOTYPES.entrySet()) {
            List<String> t = e.getValue();
            String params = t.size() == 1 ? "VOID" : String.join(", ", t.subList(1, t.size()));
            c.append("SAME(").append(e.getKey()).append(", ").append(t.get(0)).append(" (WINAPI *)(")
                    .append(params).append("));\n");
        }
        Path src = dir.resolve("win32protos.c");
        Files.writeString(src, c);
        compileToAssembly(gcc, src, dir.resolve("win32protos.s"));
    }

    @Test
    void mingwHeadersAgreeOnEverySizeOffsetAndConstant(@TempDir Path dir) throws Exception {
        Path gcc = mingwOrSkip();
        List<Field> constants = constantFields();
        Path src = dir.resolve("win32probe.c");
        Files.writeString(src, probe(constants));
        Path asm = dir.resolve("win32probe.s");
        compileToAssembly(gcc, src, asm);

        Map<String, Long> found = new TreeMap<>();
        for (String line : Files.readAllLines(asm)) {
            int at = line.indexOf("#SPAWNKIT ");
            if (at >= 0) {
                String[] f = line.substring(at).trim().split(" ");
                found.put(f[1] + " " + f[2], Long.parseLong(f[3]));
            }
        }

        Map<String, Long> ours = new TreeMap<>();
        for (StructLayout s : Win32Structs.ALL) {
            ours.put("SIZE " + s.name().orElseThrow(), s.byteSize());
            for (Member m : members(s)) {
                ours.put("OFFSET " + m.key(), m.offset());
                ours.put("FIELDSIZE " + m.key(), m.size());
            }
        }
        for (Field f : constants) {
            ours.put("CONST " + f.getName(), ((Number) f.get(null)).longValue());
        }
        assertThat(found).as("what the mingw-w64 headers say").containsExactlyInAnyOrderEntriesOf(ours);
        // 9 structs; every named member's offset and size; every constant
        assertThat(found.size()).isGreaterThan(2 * (SDK.size() - Win32Structs.ALL.length) + constants.size());
    }
}
