package io.spawnkit.internal.windows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The C runtime's descriptor table (lpReserved2), byte for byte, on every platform. The expected
 * bytes are written out by hand from the layout the UCRT reads ({@code lowio/ioinit.cpp}:
 * int count, count flag bytes, count 8-byte handles, unaligned, little-endian); the flag values
 * are the UCRT's and libuv's (FOPEN 0x01, FPIPE 0x08, FAPPEND 0x20, FDEV 0x40). WineOracleTest
 * hands {@link #PIPE_AT_3_GAP_AT_4} (with a real handle) to msvcrt.dll and the UCRT.
 */
class CrtFdTableTest {
    private static final String NONE = "ffffffffffffffff";

    /** A pipe at 3 (handle 0x1a4), nothing at 4, a NUL device at 5 (0x2b8). */
    static final Map<Integer, CrtFdTable.Entry> PIPE_AT_3_GAP_AT_4 = Map.of(
            3, new CrtFdTable.Entry(CrtFdTable.FOPEN | CrtFdTable.FPIPE, 0x1a4),
            5, new CrtFdTable.Entry(CrtFdTable.FOPEN | CrtFdTable.FDEV, 0x2b8));

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    @Test
    void layoutIsCountThenFlagsThenHandlesLittleEndian() {
        byte[] table = CrtFdTable.encode(Map.of(3, new CrtFdTable.Entry(0x09, 0x1a4)));
        assertThat(hex(table)).isEqualTo(
                "04000000"                       // count 4
                + "00000009"                     // flags: 0, 1, 2 empty; 3 FOPEN|FPIPE
                + NONE + NONE + NONE             // handles of 0, 1, 2: INVALID_HANDLE_VALUE
                + "a401000000000000");           // handle of 3
        assertThat(table).hasSize(4 + 4 * 9);
    }

    @Test
    void gapsAreEmptyEntries() {
        byte[] table = CrtFdTable.encode(PIPE_AT_3_GAP_AT_4);
        assertThat(hex(table)).isEqualTo("06000000" + "000000090041" + NONE + NONE + NONE
                + "a401000000000000" + NONE + "b802000000000000");
        assertThat(CrtFdTable.decode(table)).containsExactlyEntriesOf(new TreeMap<>(PIPE_AT_3_GAP_AT_4));
    }

    @Test
    void theStandardEntriesAreAlwaysThere() {
        // no descriptor at all still gives 0..2 (empty): count 3, as libuv always sends
        assertThat(hex(CrtFdTable.encode(Map.of()))).isEqualTo("03000000" + "000000" + NONE + NONE + NONE);
        // given ones are written where they belong
        byte[] table = CrtFdTable.encode(Map.of(1, new CrtFdTable.Entry(0x41, 0x10)));
        assertThat(hex(table)).isEqualTo("03000000" + "004100" + NONE + "1000000000000000" + NONE);
    }

    @Test
    void aHandleUsesAllEightBytes() {
        // a handle value above 32 bits and a negative (sign-extended) one stay whole
        byte[] table = CrtFdTable.encode(Map.of(3, new CrtFdTable.Entry(1, 0x0102030405060708L),
                4, new CrtFdTable.Entry(1, -716L)));
        SortedMap<Integer, CrtFdTable.Entry> back = CrtFdTable.decode(table);
        assertThat(back.get(3).handle()).isEqualTo(0x0102030405060708L);
        assertThat(back.get(4).handle()).isEqualTo(-716L);
        assertThat(hex(table)).endsWith("0807060504030201" + "34fdffffffffffff");
    }

    @Test
    void flagsFollowTheFileType() {
        assertThat(CrtFdTable.flagsFor(CrtFdTable.FILE_TYPE_DISK, false)).isEqualTo(0x01);
        assertThat(CrtFdTable.flagsFor(CrtFdTable.FILE_TYPE_DISK, true)).isEqualTo(0x21);
        assertThat(CrtFdTable.flagsFor(CrtFdTable.FILE_TYPE_PIPE, false)).isEqualTo(0x09); // never FDEV: not a tty
        assertThat(CrtFdTable.flagsFor(CrtFdTable.FILE_TYPE_CHAR, false)).isEqualTo(0x41);
        assertThat(CrtFdTable.flagsFor(CrtFdTable.FILE_TYPE_REMOTE, false)).isEqualTo(0x41);
        assertThat(CrtFdTable.flagsFor(CrtFdTable.FILE_TYPE_UNKNOWN, false)).isEqualTo(0x41);
        // the constants, against the values the UCRT and libuv use
        assertThat(List.of(CrtFdTable.FOPEN, CrtFdTable.FPIPE, CrtFdTable.FAPPEND, CrtFdTable.FDEV))
                .containsExactly(0x01, 0x08, 0x20, 0x40);
    }

    @Test
    void theLimitIsDescriptor255() {
        Map<Integer, CrtFdTable.Entry> last = Map.of(255, new CrtFdTable.Entry(1, 8));
        byte[] table = CrtFdTable.encode(last);
        assertThat(table).hasSize(4 + 256 * 9);
        assertThat(table.length).isLessThan(0x10000); // cbReserved2 is a WORD
        assertThat(CrtFdTable.decode(table)).containsOnlyKeys(255);

        assertThatThrownBy(() -> CrtFdTable.encode(Map.of(256, new CrtFdTable.Entry(1, 8))))
                .isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("child descriptor 256").hasMessageContaining("0..255");
        assertThatThrownBy(() -> CrtFdTable.checkFd(Integer.MAX_VALUE)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> CrtFdTable.checkFd(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CrtFdTable.Entry(0x100, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void decodeRefusesWhatIsNotATable() {
        assertThatThrownBy(() -> CrtFdTable.decode(new byte[3])).isInstanceOf(IllegalArgumentException.class);
        byte[] table = CrtFdTable.encode(PIPE_AT_3_GAP_AT_4);
        byte[] cut = java.util.Arrays.copyOf(table, table.length - 1);
        assertThatThrownBy(() -> CrtFdTable.decode(cut)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("announces 6");
    }

    @Test
    void countAndSize() {
        assertThat(CrtFdTable.count(List.of())).isEqualTo(3);
        assertThat(CrtFdTable.count(List.of(0, 1))).isEqualTo(3);
        assertThat(CrtFdTable.count(List.of(7, 3))).isEqualTo(8);
        assertThat(CrtFdTable.size(3)).isEqualTo(31);
        assertThat(CrtFdTable.size(256)).isEqualTo(2308);
    }
}
