package io.spawnkit.internal.windows;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The C runtime's descriptor table for a child, passed in {@code STARTUPINFOW.cbReserved2} /
 * {@code lpReserved2}: how a Windows child gets descriptors above 2. The Microsoft C runtime
 * (msvcrt.dll and the UCRT, so MSVC and mingw-w64 programs: Node, Python, a JVM's ucrtbase) reads
 * it while starting and makes each entry its descriptor of that number, so {@code _write(3, ...)}
 * in the child writes the handle we put at index 3. Pure: no native call; the backend gives the
 * handles and their file types. libuv does the same ({@code src/win/process-stdio.c}).
 *
 * <p>Layout, little-endian, unaligned, {@code 4 + 9 * count} bytes:
 * <pre>
 *   int32  count                      highest child descriptor + 1, at least 3
 *   uint8  flags[count]               the CRT's per-descriptor mode bits (below); 0 = no descriptor
 *   HANDLE handles[count]             8 bytes each on Win64; INVALID_HANDLE_VALUE (-1) = none
 * </pre>
 * Flags: {@link #FOPEN} for every present entry, plus {@link #FPIPE} for a pipe, {@link #FDEV} for a
 * character device (the console, {@code NUL}) or a handle of unknown type, {@link #FAPPEND} for a
 * file opened to append; a disk file is {@code FOPEN} alone. No {@code FTEXT}: descriptors above 2
 * start in binary mode, as {@code _open_osfhandle} without {@code _O_TEXT} would make them (the CRT
 * adds text mode to 0, 1 and 2 itself). {@code FDEV} matters: the child's {@code _isatty(fd)} is
 * that bit, so a pipe marked FDEV would look like a terminal (libuv's inherit-fd case falls from
 * FPIPE through to FDEV and does exactly that; this class does not).
 *
 * <p>Entries 0, 1 and 2 are always present in the table (count is at least 3), as in libuv; the
 * backend fills them with the same handles as {@code hStdInput}/{@code hStdOutput}/{@code hStdError},
 * or leaves them empty when the child has no such handle, and then the CRT falls back to
 * {@code GetStdHandle}. Gaps between named descriptors are empty entries (flags 0, handle -1): the
 * CRT skips an entry without {@code FOPEN}.
 *
 * <p>Limit: descriptors 0..{@value #MAX_FD}. {@code cbReserved2} is a 16-bit size, so the hard
 * ceiling is 7,281 entries, but libuv refuses more than 256 and its children check that bound when
 * they read an inherited table ({@code uv__stdio_verify}); 256 is the bound here too, refused with
 * a clear message before anything is created.
 *
 * <p>Only the byte layout is tested here (on every platform, and against msvcrt.dll and the UCRT
 * under Wine by {@code WineOracleTest}); that a real Windows child reads it is shown by the Windows
 * CI job.
 */
final class CrtFdTable {
    private CrtFdTable() {}

    /** The descriptor is open. */
    static final int FOPEN = 0x01;
    /** A pipe. */
    static final int FPIPE = 0x08;
    /** Opened to append: the CRT seeks to the end before each write. */
    static final int FAPPEND = 0x20;
    /** A character device (console, NUL); {@code _isatty} answers with this bit. */
    static final int FDEV = 0x40;

    /** The highest descriptor a child can be given: 255 (a table of 256 entries). */
    static final int MAX_FD = 255;

    /** The bytes of one handle (Win64). */
    static final int HANDLE_SIZE = 8;

    /** GetFileType's answers. */
    static final int FILE_TYPE_UNKNOWN = 0x0000;
    static final int FILE_TYPE_DISK = 0x0001;
    static final int FILE_TYPE_CHAR = 0x0002;
    static final int FILE_TYPE_PIPE = 0x0003;
    static final int FILE_TYPE_REMOTE = 0x8000;

    /** One descriptor: its CRT flags and the (inheritable, in the child's handle list) handle. */
    record Entry(int flags, long handle) {
        Entry {
            if (flags < 0 || flags > 0xff) {
                throw new IllegalArgumentException("CRT flags are one byte: " + flags);
            }
        }

        /** An empty entry: flags 0, INVALID_HANDLE_VALUE. */
        static final Entry NONE = new Entry(0, -1L);
    }

    /**
     * The flags for a handle of {@code fileType} (GetFileType's result).
     * <pre>
     *   FILE_TYPE_DISK                  FOPEN           (+ FAPPEND when appending)
     *   FILE_TYPE_PIPE                  FOPEN | FPIPE
     *   FILE_TYPE_CHAR                  FOPEN | FDEV    (console, NUL)
     *   FILE_TYPE_REMOTE, UNKNOWN, ...  FOPEN | FDEV    (libuv's choice; the CRT treats it as a device)
     * </pre>
     */
    static int flagsFor(int fileType, boolean append) {
        int flags = switch (fileType) {
            case FILE_TYPE_DISK -> FOPEN;
            case FILE_TYPE_PIPE -> FOPEN | FPIPE;
            default -> FOPEN | FDEV;
        };
        return append ? flags | FAPPEND : flags;
    }

    /**
     * Refuses a descriptor the table cannot hold, before anything is created.
     *
     * @throws UnsupportedOperationException {@code fd > MAX_FD}
     * @throws IllegalArgumentException      {@code fd < 0}
     */
    static void checkFd(int fd) {
        if (fd < 0) {
            throw new IllegalArgumentException("negative descriptor " + fd);
        }
        if (fd > MAX_FD) {
            throw new UnsupportedOperationException("child descriptor " + fd + ": a Windows child's C runtime"
                    + " descriptor table (lpReserved2) holds descriptors 0.." + MAX_FD + " here");
        }
    }

    /** The entry count for these descriptors: the highest + 1, at least 3. */
    static int count(Iterable<Integer> fds) {
        int max = 2;
        for (int fd : fds) {
            checkFd(fd);
            max = Math.max(max, fd);
        }
        return max + 1;
    }

    /** The table's size in bytes for {@code count} entries: {@code 4 + 9 * count}. */
    static int size(int count) {
        return Integer.BYTES + count * (1 + HANDLE_SIZE);
    }

    /**
     * The table for {@code entries} (descriptor -> entry; absent descriptors below the highest
     * become empty entries, as do 0..2 when absent).
     * <pre>
     *   {3: (FOPEN|FPIPE, 0x1a4)}   04 00 00 00                 count 4
     *                               00 00 00 09                 flags of 0, 1, 2 (empty), 3
     *                               ff ff ff ff ff ff ff ff     x3: handles of 0, 1, 2 (none)
     *                               a4 01 00 00 00 00 00 00     handle of 3
     * </pre>
     *
     * @throws UnsupportedOperationException a descriptor above {@value #MAX_FD}
     */
    static byte[] encode(Map<Integer, Entry> entries) {
        Objects.requireNonNull(entries, "entries");
        int count = count(entries.keySet());
        ByteBuffer b = ByteBuffer.allocate(size(count)).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(count);
        for (int fd = 0; fd < count; fd++) {
            b.put((byte) entries.getOrDefault(fd, Entry.NONE).flags());
        }
        for (int fd = 0; fd < count; fd++) {
            b.putLong(entries.getOrDefault(fd, Entry.NONE).handle());
        }
        return b.array();
    }

    /**
     * Reads a table back, as the C runtime does (for tests and diagnostics): every entry with
     * FOPEN set, by descriptor.
     *
     * @throws IllegalArgumentException the bytes are not a whole table
     */
    static SortedMap<Integer, Entry> decode(byte[] table) {
        if (table.length < Integer.BYTES) {
            throw new IllegalArgumentException("a descriptor table is at least 4 bytes, not " + table.length);
        }
        ByteBuffer b = ByteBuffer.wrap(table).order(ByteOrder.LITTLE_ENDIAN);
        int count = b.getInt();
        if (count < 0 || count > MAX_FD + 1 || table.length < size(count)) {
            throw new IllegalArgumentException("descriptor table of " + table.length + " bytes announces " + count
                    + " entries");
        }
        SortedMap<Integer, Entry> out = new TreeMap<>();
        for (int fd = 0; fd < count; fd++) {
            int flags = table[Integer.BYTES + fd] & 0xff;
            long handle = b.getLong(Integer.BYTES + count + fd * HANDLE_SIZE);
            if ((flags & FOPEN) != 0) {
                out.put(fd, new Entry(flags, handle));
            }
        }
        return Collections.unmodifiableSortedMap(out);
    }
}
