package io.spawnkit.internal.windows;

import static java.lang.foreign.MemoryLayout.paddingLayout;
import static java.lang.foreign.MemoryLayout.structLayout;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The Win64 (LLP64) layouts of the structures the Windows backend passes to kernel32, field names
 * as in the SDK headers, padding explicit. Types: {@code DWORD}/{@code BOOL}/{@code ULONG} are
 * {@code JAVA_INT}, {@code WORD} is {@code JAVA_SHORT}, {@code HANDLE} and pointer-sized integers
 * ({@code ULONG_PTR}, {@code SIZE_T}) are {@code JAVA_LONG} (so a handle reads as the {@code long}
 * {@link Kernel32} takes), {@code LARGE_INTEGER}/{@code ULONGLONG} are {@code JAVA_LONG}, and
 * pointers to memory are {@code ADDRESS}. Unions are flattened to the member we use
 * ({@code OVERLAPPED.Offset}/{@code OffsetHigh}, not {@code Pointer}).
 *
 * <p>This class loads on every platform: {@code Win32LayoutTest} checks every size and offset
 * against the numbers of the SDK headers, and against the mingw-w64 headers when the cross compiler
 * is installed.
 *
 * <p>Read a field with {@code layout.varHandle(groupElement("name")).get(segment, 0L)} or at
 * {@link #offset(MemoryLayout, String)}.
 */
public final class Win32Structs {
    private Win32Structs() {}

    private static final ValueLayout.OfChar WCHAR = ValueLayout.JAVA_CHAR_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** {@code SECURITY_ATTRIBUTES}, 24 bytes. */
    public static final StructLayout SECURITY_ATTRIBUTES = structLayout(
            JAVA_INT.withName("nLength"),
            paddingLayout(4),
            ADDRESS.withName("lpSecurityDescriptor"),
            JAVA_INT.withName("bInheritHandle"),
            paddingLayout(4)).withName("SECURITY_ATTRIBUTES");

    /** {@code STARTUPINFOW}, 104 bytes. */
    public static final StructLayout STARTUPINFOW = structLayout(
            JAVA_INT.withName("cb"),
            paddingLayout(4),
            ADDRESS.withName("lpReserved"),
            ADDRESS.withName("lpDesktop"),
            ADDRESS.withName("lpTitle"),
            JAVA_INT.withName("dwX"),
            JAVA_INT.withName("dwY"),
            JAVA_INT.withName("dwXSize"),
            JAVA_INT.withName("dwYSize"),
            JAVA_INT.withName("dwXCountChars"),
            JAVA_INT.withName("dwYCountChars"),
            JAVA_INT.withName("dwFillAttribute"),
            JAVA_INT.withName("dwFlags"),
            JAVA_SHORT.withName("wShowWindow"),
            JAVA_SHORT.withName("cbReserved2"),
            paddingLayout(4),
            ADDRESS.withName("lpReserved2"),
            JAVA_LONG.withName("hStdInput"),
            JAVA_LONG.withName("hStdOutput"),
            JAVA_LONG.withName("hStdError")).withName("STARTUPINFOW");

    /** {@code STARTUPINFOEXW}, 112 bytes: {@code cb} must be this size with EXTENDED_STARTUPINFO_PRESENT. */
    public static final StructLayout STARTUPINFOEXW = structLayout(
            STARTUPINFOW.withName("StartupInfo"),
            ADDRESS.withName("lpAttributeList")).withName("STARTUPINFOEXW");

    /** {@code PROCESS_INFORMATION}, 24 bytes. */
    public static final StructLayout PROCESS_INFORMATION = structLayout(
            JAVA_LONG.withName("hProcess"),
            JAVA_LONG.withName("hThread"),
            JAVA_INT.withName("dwProcessId"),
            JAVA_INT.withName("dwThreadId")).withName("PROCESS_INFORMATION");

    /** {@code OVERLAPPED}, 32 bytes; the union of Offset/OffsetHigh and Pointer is given as the former. */
    public static final StructLayout OVERLAPPED = structLayout(
            JAVA_LONG.withName("Internal"),
            JAVA_LONG.withName("InternalHigh"),
            JAVA_INT.withName("Offset"),
            JAVA_INT.withName("OffsetHigh"),
            JAVA_LONG.withName("hEvent")).withName("OVERLAPPED");

    /** {@code OVERLAPPED_ENTRY}, 32 bytes: what GetQueuedCompletionStatusEx fills. */
    public static final StructLayout OVERLAPPED_ENTRY = structLayout(
            JAVA_LONG.withName("lpCompletionKey"),
            ADDRESS.withName("lpOverlapped"),
            JAVA_LONG.withName("Internal"),
            JAVA_INT.withName("dwNumberOfBytesTransferred"),
            paddingLayout(4)).withName("OVERLAPPED_ENTRY");

    /** {@code JOBOBJECT_BASIC_LIMIT_INFORMATION}, 64 bytes. */
    public static final StructLayout JOBOBJECT_BASIC_LIMIT_INFORMATION = structLayout(
            JAVA_LONG.withName("PerProcessUserTimeLimit"),
            JAVA_LONG.withName("PerJobUserTimeLimit"),
            JAVA_INT.withName("LimitFlags"),
            paddingLayout(4),
            JAVA_LONG.withName("MinimumWorkingSetSize"),
            JAVA_LONG.withName("MaximumWorkingSetSize"),
            JAVA_INT.withName("ActiveProcessLimit"),
            paddingLayout(4),
            JAVA_LONG.withName("Affinity"),
            JAVA_INT.withName("PriorityClass"),
            JAVA_INT.withName("SchedulingClass")).withName("JOBOBJECT_BASIC_LIMIT_INFORMATION");

    /** {@code IO_COUNTERS}, 48 bytes. */
    public static final StructLayout IO_COUNTERS = structLayout(
            JAVA_LONG.withName("ReadOperationCount"),
            JAVA_LONG.withName("WriteOperationCount"),
            JAVA_LONG.withName("OtherOperationCount"),
            JAVA_LONG.withName("ReadTransferCount"),
            JAVA_LONG.withName("WriteTransferCount"),
            JAVA_LONG.withName("OtherTransferCount")).withName("IO_COUNTERS");

    /** {@code JOBOBJECT_EXTENDED_LIMIT_INFORMATION}, 144 bytes. */
    public static final StructLayout JOBOBJECT_EXTENDED_LIMIT_INFORMATION = structLayout(
            JOBOBJECT_BASIC_LIMIT_INFORMATION.withName("BasicLimitInformation"),
            IO_COUNTERS.withName("IoInfo"),
            JAVA_LONG.withName("ProcessMemoryLimit"),
            JAVA_LONG.withName("JobMemoryLimit"),
            JAVA_LONG.withName("PeakProcessMemoryUsed"),
            JAVA_LONG.withName("PeakJobMemoryUsed")).withName("JOBOBJECT_EXTENDED_LIMIT_INFORMATION");

    /** Every layout above, for tests and for a reader looking for one. */
    public static final StructLayout[] ALL = {
        SECURITY_ATTRIBUTES, STARTUPINFOW, STARTUPINFOEXW, PROCESS_INFORMATION, OVERLAPPED, OVERLAPPED_ENTRY,
        JOBOBJECT_BASIC_LIMIT_INFORMATION, IO_COUNTERS, JOBOBJECT_EXTENDED_LIMIT_INFORMATION,
    };

    /**
     * The byte offset of a field, nested fields joined by dots:
     * {@code offset(STARTUPINFOEXW, "StartupInfo.hStdInput")} is 80.
     */
    public static long offset(MemoryLayout layout, String path) {
        MemoryLayout.PathElement[] elements = Arrays.stream(path.split("\\."))
                .map(MemoryLayout.PathElement::groupElement)
                .toArray(MemoryLayout.PathElement[]::new);
        return layout.byteOffset(elements);
    }

    /**
     * A NUL-terminated UTF-16LE copy of {@code s} (an {@code LPCWSTR}/{@code LPWSTR}), writable;
     * {@link MemorySegment#NULL} for null. A NUL inside {@code s} is refused: Windows would read the
     * string only up to it.
     *
     * <table class="striped">
     *   <caption>wide</caption>
     *   <tr><th>s</th><th>bytes</th></tr>
     *   <tr><td>null</td><td>NULL</td></tr>
     *   <tr><td>""</td><td>00 00</td></tr>
     *   <tr><td>"A\u00e9"</td><td>41 00 e9 00 00 00</td></tr>
     *   <tr><td>"a\0b"</td><td>IllegalArgumentException</td></tr>
     * </table>
     */
    public static MemorySegment wide(Arena arena, String s) {
        if (s == null) {
            return MemorySegment.NULL;
        }
        if (s.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("a NUL character in a string for Windows: " + s.replace("\0", "\\0"));
        }
        MemorySegment segment = arena.allocate(2L * (s.length() + 1), 2);
        for (int i = 0; i < s.length(); i++) {
            segment.set(WCHAR, 2L * i, s.charAt(i));
        }
        segment.set(WCHAR, 2L * s.length(), '\0');
        return segment;
    }

    /**
     * The UTF-16LE copy of chars that already hold their terminators, such as an environment block
     * from {@code WindowsEnvironment.block} (which ends in two NULs); {@code null} gives NULL.
     */
    public static MemorySegment wideBlock(Arena arena, char[] chars) {
        if (chars == null) {
            return MemorySegment.NULL;
        }
        MemorySegment segment = arena.allocate(2L * Math.max(chars.length, 1), 2);
        MemorySegment.copy(chars, 0, segment, WCHAR, 0, chars.length);
        return segment;
    }

    /**
     * The string at the start of {@code segment} up to its first NUL or {@code maxChars} chars,
     * whichever comes first ({@code GetSystemDirectoryW}'s buffer, for example).
     */
    public static String readWide(MemorySegment segment, int maxChars) {
        int limit = (int) Math.min(maxChars, segment.byteSize() / 2);
        StringBuilder out = new StringBuilder(limit);
        for (int i = 0; i < limit; i++) {
            char c = segment.get(WCHAR, 2L * i);
            if (c == '\0') {
                break;
            }
            out.append(c);
        }
        return out.toString();
    }
}
