package io.spawnkit.internal.windows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spawnkit.ExitStatus;
import io.spawnkit.Signal;
import io.spawnkit.Stdio;
import io.spawnkit.internal.WindowsOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The Windows backend's pure decisions, checked on every platform: creation flags, window state,
 * jobs, refusals, signals, exit codes, pipe names, loop timeouts. The numbers are the SDK's
 * (WinBase.h, WinUser.h), written out here so that a wrong constant in the bindings shows too.
 */
class WindowsFlagsTest {
    private static final int UNICODE_ENV = 0x400;
    private static final int NEW_GROUP = 0x200;
    private static final int DETACHED = 0x8;
    private static final int NO_WINDOW = 0x08000000;
    private static final int SUSPENDED = 0x4;
    private static final int EXTENDED = 0x80000;

    private static final WindowsOptions NONE = WindowsOptions.NONE;
    private static final WindowsOptions HIDE = new WindowsOptions(false, true, false, false, false);
    private static final WindowsOptions HIDE_CONSOLE = new WindowsOptions(false, false, true, false, false);
    private static final WindowsOptions HIDE_GUI = new WindowsOptions(false, false, false, true, false);

    @Test
    void creationFlagsFollowLibuv() {
        assertThat(WindowsBackend.creationFlags(false, false, NONE, false, false, false)).isEqualTo(UNICODE_ENV);
        assertThat(WindowsBackend.creationFlags(true, false, NONE, false, false, true))
                .isEqualTo(UNICODE_ENV | NEW_GROUP | EXTENDED);
        assertThat(WindowsBackend.creationFlags(false, true, NONE, false, false, false))
                .isEqualTo(UNICODE_ENV | NEW_GROUP | DETACHED);
        assertThat(WindowsBackend.creationFlags(true, false, NONE, false, true, true))
                .isEqualTo(UNICODE_ENV | NEW_GROUP | SUSPENDED | EXTENDED);
    }

    @Test
    void hideConsoleOnlyWhenNoStandardHandleIsInherited() {
        assertThat(WindowsBackend.creationFlags(false, false, HIDE, false, false, false)).isEqualTo(UNICODE_ENV | NO_WINDOW);
        assertThat(WindowsBackend.creationFlags(false, false, HIDE_CONSOLE, false, false, false))
                .isEqualTo(UNICODE_ENV | NO_WINDOW);
        assertThat(WindowsBackend.creationFlags(false, false, HIDE_CONSOLE, true, false, false)).isEqualTo(UNICODE_ENV);
        assertThat(WindowsBackend.creationFlags(false, false, HIDE_GUI, false, false, false)).isEqualTo(UNICODE_ENV);
    }

    @Test
    void ctrlBreakOnlyToAChildOnOurConsole() {
        assertThat(WindowsBackend.sharesConsole(UNICODE_ENV | NEW_GROUP | SUSPENDED | EXTENDED)).isTrue();
        assertThat(WindowsBackend.sharesConsole(UNICODE_ENV | NEW_GROUP | DETACHED)).isFalse();
        assertThat(WindowsBackend.sharesConsole(UNICODE_ENV | NEW_GROUP | NO_WINDOW)).isFalse();
        assertThat(WindowsBackend.sharesConsole(UNICODE_ENV | 0x10)).isFalse(); // CREATE_NEW_CONSOLE
    }

    @Test
    void showWindowHidesForHideAndHideGui() {
        assertThat(WindowsBackend.showWindow(NONE)).isEqualTo((short) 10);      // SW_SHOWDEFAULT
        assertThat(WindowsBackend.showWindow(HIDE)).isEqualTo((short) 0);       // SW_HIDE
        assertThat(WindowsBackend.showWindow(HIDE_GUI)).isEqualTo((short) 0);
        assertThat(WindowsBackend.showWindow(HIDE_CONSOLE)).isEqualTo((short) 10);
    }

    @Test
    void aJobForGroupsAndForKillOnParentExit() {
        assertThat(WindowsBackend.needsJob(false, false)).isFalse();
        assertThat(WindowsBackend.needsJob(true, false)).isTrue();
        assertThat(WindowsBackend.needsJob(false, true)).isTrue();
    }

    private static SortedMap<Integer, Stdio> stdio(Stdio in, Stdio out, Stdio err) {
        SortedMap<Integer, Stdio> m = new TreeMap<>();
        m.put(0, in);
        m.put(1, out);
        m.put(2, err);
        return m;
    }

    @Test
    void refusesWhatWindowsCannotGive() {
        SortedMap<Integer, Stdio> plain = stdio(Stdio.ignore(), Stdio.pipe(), Stdio.mergeWithStdout());
        WindowsBackend.refuseUnsupported(plain, List.of());
        assertThat(WindowsBackend.needsCrtTable(plain)).isFalse();

        // descriptors above 2 go through the C runtime's table, up to 255
        SortedMap<Integer, Stdio> extra = new TreeMap<>(plain);
        extra.put(3, Stdio.pipe());
        extra.put(5, Stdio.ignore());
        extra.put(255, Stdio.to(Path.of("x")));
        WindowsBackend.refuseUnsupported(extra, List.of());
        assertThat(WindowsBackend.needsCrtTable(extra)).isTrue();

        SortedMap<Integer, Stdio> huge = new TreeMap<>(plain);
        huge.put(256, Stdio.pipe());
        assertThatThrownBy(() -> WindowsBackend.refuseUnsupported(huge, List.of()))
                .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("256").hasMessageContaining("0..255");

        assertThatThrownBy(() -> WindowsBackend.refuseUnsupported(
                stdio(Stdio.duplexPipe(), Stdio.pipe(), Stdio.pipe()), List.of()))
                .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("duplex");
        SortedMap<Integer, Stdio> duplex3 = new TreeMap<>(plain);
        duplex3.put(3, Stdio.duplexPipe());
        assertThatThrownBy(() -> WindowsBackend.refuseUnsupported(duplex3, List.of()))
                .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("fd 3").hasMessageContaining("duplex");

        // Stdio.fd(7): this JVM's C runtime descriptor 7, looked up at the spawn (EBADF if not open)
        WindowsBackend.refuseUnsupported(stdio(Stdio.fd(7), Stdio.pipe(), Stdio.pipe()), List.of());
        // another child's pipe arrives as a transferred handle value: accepted
        WindowsBackend.refuseUnsupported(stdio(Stdio.fd(716), Stdio.pipe(), Stdio.pipe()), List.of(716));
    }

    @Test
    void inheritedStdioIsSeen() {
        assertThat(WindowsBackend.inheritsStdio(stdio(Stdio.ignore(), Stdio.pipe(), Stdio.to(Path.of("x"))), List.of()))
                .isFalse();
        assertThat(WindowsBackend.inheritsStdio(stdio(Stdio.inherit(), Stdio.pipe(), Stdio.pipe()), List.of())).isTrue();
        assertThat(WindowsBackend.inheritsStdio(stdio(Stdio.ignore(), Stdio.fd(2), Stdio.pipe()), List.of())).isTrue();
        assertThat(WindowsBackend.inheritsStdio(stdio(Stdio.fd(716), Stdio.pipe(), Stdio.pipe()), List.of(716))).isFalse();
    }

    @Test
    void everyDescriptorAboveTwoGetsADuplicateOfItsOwn() {
        // child fd -> handle here: 1 and 3 the same pipe (3>&1), 4 and 5 the same handle of ours, 6 none
        SortedMap<Integer, Long> handles = new TreeMap<>(java.util.Map.of(0, 0x10L, 1, 0x20L, 2, 0x20L, 3, 0x20L,
                4, 0x30L, 5, 0x30L, 6, 0L));
        java.util.Map<Integer, Integer> known = java.util.Map.of(1, CrtFdTable.FOPEN | CrtFdTable.FPIPE,
                3, CrtFdTable.FOPEN | CrtFdTable.FPIPE);
        java.util.concurrent.atomic.AtomicLong next = new java.util.concurrent.atomic.AtomicLong(0x100);
        java.util.List<Long> duplicated = new java.util.ArrayList<>();
        java.util.List<Long> handleList = new java.util.ArrayList<>(List.of(0x1000L, 0x1004L)); // the standard ones
        byte[] table = WindowsBackend.crtTable(handles, known, h -> {
            duplicated.add(h);
            return next.getAndAdd(4);
        }, dup -> CrtFdTable.FILE_TYPE_DISK, handleList);

        assertThat(duplicated).as("one duplicate per descriptor above 2, none for 0..2 or a missing handle")
                .containsExactly(0x20L, 0x30L, 0x30L);
        assertThat(handleList).as("all of them in the handle list, none twice")
                .containsExactly(0x1000L, 0x1004L, 0x100L, 0x104L, 0x108L).doesNotHaveDuplicates();
        SortedMap<Integer, CrtFdTable.Entry> entries = CrtFdTable.decode(table);
        assertThat(entries).containsOnlyKeys(3, 4, 5);
        assertThat(entries.get(3)).isEqualTo(new CrtFdTable.Entry(CrtFdTable.FOPEN | CrtFdTable.FPIPE, 0x100L));
        assertThat(entries.get(4)).as("flags from the file type").isEqualTo(new CrtFdTable.Entry(CrtFdTable.FOPEN, 0x104L));
        assertThat(entries.get(5)).isEqualTo(new CrtFdTable.Entry(CrtFdTable.FOPEN, 0x108L));
    }

    @Test
    void signalsMapToTerminateCtrlBreakOrTheJob() {
        assertThat(WindowsChild.killAction(Signal.KILL, false)).isEqualTo(WindowsChild.KillAction.TERMINATE_PROCESS);
        assertThat(WindowsChild.killAction(Signal.TERM, false)).isEqualTo(WindowsChild.KillAction.TERMINATE_PROCESS);
        assertThat(WindowsChild.killAction(Signal.INT, false)).isEqualTo(WindowsChild.KillAction.TERMINATE_PROCESS);
        assertThat(WindowsChild.killAction(Signal.KILL, true)).isEqualTo(WindowsChild.KillAction.TERMINATE_JOB);
        assertThat(WindowsChild.killAction(Signal.TERM, true)).isEqualTo(WindowsChild.KillAction.CTRL_BREAK);
        assertThat(WindowsChild.killAction(Signal.INT, true)).isEqualTo(WindowsChild.KillAction.CTRL_BREAK);
        for (Signal s : List.of(Signal.HUP, Signal.USR1, Signal.STOP, Signal.QUIT)) {
            assertThatThrownBy(() -> WindowsChild.killAction(s, false))
                    .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining(s.toString());
            assertThatThrownBy(() -> WindowsChild.killAction(s, true)).isInstanceOf(UnsupportedOperationException.class);
        }
        assertThat(WindowsChild.KILLED_EXIT_CODE).isEqualTo(1);
    }

    @Test
    void exitCodesAreThe32BitValue() {
        assertThat(WindowsChild.exitStatus(0)).isEqualTo(ExitStatus.exited(0));
        assertThat(WindowsChild.exitStatus(3)).isEqualTo(ExitStatus.exited(3));
        assertThat(WindowsChild.exitStatus(259)).isEqualTo(ExitStatus.exited(259)); // STILL_ACTIVE, yet ended
        ExitStatus av = WindowsChild.exitStatus(0xC0000005);
        assertThat(av.exitCode()).hasValue(-1073741819);
        assertThat(av.terminatingSignal()).isEmpty();
        assertThat(Integer.toUnsignedString(av.exitCode().getAsInt(), 16)).isEqualTo("c0000005");
    }

    @Test
    void pipeNamesAreUniqueAndLocal() {
        assertThat(NamedPipes.pipeName(1234, 7, 0xabcL)).isEqualTo("\\\\.\\pipe\\spawnkit-1234-7-0000000000000abc");
        assertThat(NamedPipes.pipeName(-1, 1, -1L)).isEqualTo("\\\\.\\pipe\\spawnkit-4294967295-1-ffffffffffffffff");
        assertThat(NamedPipes.pipeName(1, 1, 1)).isNotEqualTo(NamedPipes.pipeName(1, 2, 1));
    }

    @Test
    void loopWaitsRoundUpAndNeverMeanInfinite() {
        assertThat(IocpLoop.waitMillis(1)).isEqualTo(1);
        assertThat(IocpLoop.waitMillis(1_000_000)).isEqualTo(1);
        assertThat(IocpLoop.waitMillis(1_000_001)).isEqualTo(2);
        assertThat(IocpLoop.waitMillis(Long.MAX_VALUE / 2)).isEqualTo(Integer.MAX_VALUE - 1);
    }

    @Test
    void aRelativeExecutableIsResolvedAgainstTheChildsDirectory() {
        // absolute in this platform's own spelling: "/abs/prog.exe" is not absolute on Windows (no
        // drive), where it would be resolved onto the directory's drive
        Path dir = Path.of("work", "dir").toAbsolutePath();
        String abs = dir.getRoot().resolve("abs").resolve("prog.exe").toString();
        assertThat(WindowsBackend.applicationName(abs, dir)).isEqualTo(abs);
        assertThat(WindowsBackend.applicationName("sub/prog.exe", dir)).isEqualTo(dir.resolve("sub/prog.exe").toString());
        assertThat(WindowsBackend.applicationName("sub/prog.exe", null)).isEqualTo("sub/prog.exe");
    }
}
