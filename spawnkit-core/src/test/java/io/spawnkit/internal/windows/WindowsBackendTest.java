package io.spawnkit.internal.windows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spawnkit.ChildProcess;
import io.spawnkit.Command;
import io.spawnkit.ExitStatus;
import io.spawnkit.Output;
import io.spawnkit.Signal;
import io.spawnkit.SpawnException;
import io.spawnkit.Stdio;
import io.spawnkit.internal.Backends;
import io.spawnkit.testhelper.TestHelper;
import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Windows backend end to end, with real processes: run by the windows-latest workflow
 * (.github/workflows/windows.yml); nobody can run it on the Linux machines this was written on.
 * Children are cmd.exe, findstr.exe, ping.exe (all in System32) and {@link TestHelper} on this JVM.
 */
@EnabledOnOs(OS.WINDOWS)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class WindowsBackendTest {
    private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java.exe").toString();

    private static List<String> helper(String behaviour, String... args) {
        List<String> argv = new ArrayList<>(List.of(JAVA, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx64m",
                "-cp", testClasses().toString(), TestHelper.class.getName(), behaviour));
        argv.addAll(List.of(args));
        return argv;
    }

    private static Path testClasses() {
        String p = System.getProperty("spawnkit.test.classes");
        if (p != null && !p.isBlank()) {
            return Path.of(p);
        }
        return codeSource(TestHelper.class);
    }

    private static Path codeSource(Class<?> c) {
        try {
            return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> lines(String text) {
        return List.of(text.replace("\r\n", "\n").split("\n", -1));
    }

    @Test
    void theWindowsBackendRuns() {
        assertThat(Backends.get().name()).isEqualTo("windows");
    }

    @Test
    void exitCodeIsReported() {
        assertThat(Command.of("cmd.exe", "/c", "exit", "3").status()).isEqualTo(ExitStatus.exited(3));
        assertThat(Command.of("cmd.exe", "/c", "exit", "0").output().status().isSuccess()).isTrue();
    }

    @Test
    void stdoutThroughAPipe() {
        Output out = Command.of("cmd.exe", "/c", "echo", "hello").output();
        assertThat(out.stdoutText()).isEqualTo("hello\r\n");
        assertThat(out.status()).isEqualTo(ExitStatus.exited(0));
    }

    @Test
    void stdinThroughAPipe() throws Exception {
        Output found = Command.of("findstr.exe", "x").stdin(Stdio.text("ax\r\nb\r\ncx\r\n")).output();
        assertThat(found.stdoutText()).isEqualTo("ax\r\ncx\r\n");

        ChildProcess cat = Command.of(helper("cat")).stdin(Stdio.pipe()).stdout(Stdio.pipe()).spawn();
        var text = cat.stdout().readAllText();
        cat.stdin().write("one\ntwo\n").get(30, TimeUnit.SECONDS);
        cat.stdin().close().get(30, TimeUnit.SECONDS);
        assertThat(text.get(60, TimeUnit.SECONDS)).isEqualTo("one\ntwo\n");
        assertThat(cat.waitFor()).isEqualTo(ExitStatus.exited(0));
    }

    @Test
    void largeOutputIsReadToTheEnd() {
        int size = 10 * 1024 * 1024;
        Output out = Command.of(helper("print-bytes", Integer.toString(size))).captureLimit(2L * size).output();
        assertThat(out.status()).isEqualTo(ExitStatus.exited(0));
        assertThat(out.stdout()).hasSize(size);
        assertThat(out.stdoutTruncated()).isFalse();
        assertThat(out.stderrText()).startsWith("crc32=");
    }

    @Test
    void largeInputAndOutputAtOnce() throws Exception {
        byte[] data = new byte[4 * 1024 * 1024];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) ('a' + i % 26);
        }
        Output out = Command.of(helper("cat")).stdin(Stdio.bytes(data)).captureLimit(2L * data.length).output();
        assertThat(out.stdoutText()).isEqualTo(new String(data, StandardCharsets.US_ASCII));
    }

    @Test
    void stderrMergedWithStdout() {
        Output out = Command.of(helper("stderr", "to-stderr")).stderr(Stdio.mergeWithStdout()).output();
        assertThat(out.stdoutText()).contains("to-stderr");
    }

    @Test
    void killEndsTheChildWithCodeOne() throws Exception {
        for (Signal s : List.of(Signal.KILL, Signal.TERM)) {
            ChildProcess c = Command.of(helper("sleep", "60000")).stdin(Stdio.ignore()).spawn();
            try {
                assertThat(c.kill(s)).isTrue();
                assertThat(c.waitFor()).isEqualTo(ExitStatus.exited(1));
                assertThat(c.kill(s)).isFalse(); // ended: nothing is sent
            } finally {
                c.kill();
            }
        }
        ChildProcess c = Command.of(helper("sleep", "60000")).stdin(Stdio.ignore()).spawn();
        try {
            assertThatThrownBy(() -> c.kill(Signal.HUP)).isInstanceOf(UnsupportedOperationException.class);
        } finally {
            c.kill();
            c.waitFor();
        }
    }

    @Test
    void killTreeEndsTheGrandchildToo() throws Exception {
        ChildProcess c = Command.of("cmd.exe", "/c", "ping -n 120 127.0.0.1 >NUL").newProcessGroup()
                .stdin(Stdio.ignore()).stdout(Stdio.ignore()).stderr(Stdio.ignore()).spawn();
        try {
            Thread.sleep(1000); // cmd has started ping by now
            assertThat(c.groupAlive()).isTrue();
            assertThat(c.killTree()).isTrue();
            assertThat(c.waitFor()).isEqualTo(ExitStatus.exited(1));
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (c.groupAlive() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(c.groupAlive()).isFalse();
            assertThat(c.killTree()).isFalse();
        } finally {
            c.killTree();
        }
    }

    @Test
    void killOnParentExitEndsTheChildWithUs() throws Exception {
        List<String> argv = new ArrayList<>(List.of(JAVA, "--enable-native-access=ALL-UNNAMED"));
        String backend = System.getProperty("spawnkit.backend");
        if (backend != null && !backend.isBlank()) {
            argv.add("-Dspawnkit.backend=" + backend);
        }
        argv.addAll(List.of("-cp", codeSource(Command.class) + File.pathSeparator + testClasses(),
                KillOnParentExitDriver.class.getName()));
        Output out = Command.of(argv).timeout(Duration.ofSeconds(60)).output();
        assertThat(out.status()).as(out.stderrText()).isEqualTo(ExitStatus.exited(0));
        long pid = Long.parseLong(out.stdoutText().strip());
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).as("pid " + pid).isFalse();
        } finally {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly); // the ping, should it have survived
        }
    }

    /** Starts ping with killOnParentExit, prints its pid, and ends at once without stopping it. */
    public static final class KillOnParentExitDriver {
        public static void main(String[] args) {
            ChildProcess c = Command.of("ping.exe", "-n", "120", "127.0.0.1").killOnParentExit()
                    .stdin(Stdio.ignore()).stdout(Stdio.ignore()).stderr(Stdio.ignore()).spawn();
            System.out.println(c.pid());
            System.out.flush();
            Runtime.getRuntime().halt(0);
        }
    }

    @Test
    void environmentIsPassed() {
        Output out = Command.of("cmd.exe", "/c", "echo %SPAWNKIT_FOO%").env("SPAWNKIT_FOO", "bar baz").output();
        assertThat(out.stdoutText().strip()).isEqualTo("bar baz");
        // a cleared environment still gets SYSTEMROOT (Windows programs need it)
        // (cmd.exe by its full path: a cleared environment has no PATH to find it on)
        String cmd = Path.of(System.getenv("SystemRoot"), "System32", "cmd.exe").toString();
        Output cleared = Command.of(cmd, "/c", "echo %SYSTEMROOT%").envClear().output();
        assertThat(cleared.stdoutText().strip()).isEqualToIgnoringCase(System.getenv("SystemRoot"));
    }

    @Test
    void workingDirectory(@TempDir Path dir) throws IOException {
        Output out = Command.of("cmd.exe", "/c", "cd").directory(dir).output();
        // the temp folder may be given with 8.3 names (RUNNER~1): either spelling is the folder
        assertThat(out.stdoutText().strip().toLowerCase(Locale.ROOT)).isIn(
                dir.toAbsolutePath().toString().toLowerCase(Locale.ROOT),
                dir.toRealPath().toString().toLowerCase(Locale.ROOT));
    }

    @Test
    void filesAsStdio(@TempDir Path dir) throws IOException {
        Path in = dir.resolve("in.txt");
        Files.writeString(in, "from a file\n");
        Path out = dir.resolve("out.txt");
        Command.of(helper("cat")).stdin(Stdio.from(in)).stdout(Stdio.to(out)).status();
        Command.of(helper("cat")).stdin(Stdio.from(in)).stdout(Stdio.appendTo(out)).status();
        assertThat(Files.readString(out)).isEqualTo("from a file\nfrom a file\n");
        assertThatThrownBy(() -> Command.of("cmd.exe", "/c", "exit").stdin(Stdio.from(dir.resolve("missing"))).spawn())
                .isInstanceOf(SpawnException.class).hasMessageContaining("CreateFileW");
    }

    @Test
    void batchFileArgumentsArriveAsText(@TempDir Path dir) throws IOException {
        Path bat = dir.resolve("show.bat");
        Files.writeString(bat, "@echo off\r\necho ARGS %*\r\n");
        List<String> payloads = List.of("&echo INJECTED1", "|echo INJECTED2", "a\" & echo INJECTED3", "<>^()", "two words");
        List<String> argv = new ArrayList<>(List.of(bat.toString()));
        argv.addAll(payloads);
        Output out = Command.of(argv).output();
        assertThat(out.status()).as(out.stderrText()).isEqualTo(ExitStatus.exited(0));
        List<String> lines = lines(out.stdoutText());
        assertThat(lines.get(0)).startsWith("ARGS ").contains("INJECTED1", "INJECTED2", "INJECTED3", "two words");
        assertThat(lines).noneMatch(l -> l.strip().startsWith("INJECTED"));
        assertThatThrownBy(() -> Command.of(bat.toString(), "line\nbreak").output())
                .isInstanceOf(SpawnException.class);
    }

    @Test
    void aMissingProgramFailsBeforeAnyChild() {
        assertThatThrownBy(() -> Command.of("spawnkit-no-such-program").spawn())
                .isInstanceOfSatisfying(SpawnException.class, e -> assertThat(e.errnoName()).isEqualTo("ENOENT"));
    }

    /** A JVM child running {@link CrtFdDriver} (through ucrtbase, which read our lpReserved2 table at its start). */
    private static List<String> crtDriver(String... args) {
        List<String> argv = new ArrayList<>(List.of(JAVA, "--enable-native-access=ALL-UNNAMED", "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC", "-Xmx64m", "-cp", codeSource(Ucrt.class) + File.pathSeparator + testClasses(),
                CrtFdDriver.class.getName()));
        argv.addAll(List.of(args));
        return argv;
    }

    /**
     * A child that uses its C runtime descriptors: {@code handles N...} prints
     * {@code _get_osfhandle(n)} (or -1) for each; {@code copy IN OUT} copies descriptor IN to
     * descriptor OUT with {@code _read}/{@code _write} until the end, then closes OUT.
     */
    public static final class CrtFdDriver {
        public static void main(String[] args) {
            switch (args[0]) {
                case "handles" -> {
                    for (int i = 1; i < args.length; i++) {
                        System.out.println(args[i] + " " + Ucrt._get_osfhandle(Integer.parseInt(args[i])));
                    }
                }
                case "copy" -> {
                    int in = Integer.parseInt(args[1]);
                    int out = Integer.parseInt(args[2]);
                    try (java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofConfined()) {
                        java.lang.foreign.MemorySegment buf = arena.allocate(65536);
                        int n;
                        while ((n = Ucrt._read(in, buf, 65536)) > 0) {
                            for (int off = 0; off < n; ) {
                                int w = Ucrt._write(out, buf.asSlice(off), n - off);
                                if (w <= 0) {
                                    System.err.println("_write: " + w);
                                    System.exit(3);
                                }
                                off += w;
                            }
                        }
                        if (n < 0) {
                            System.err.println("_read: " + n);
                            System.exit(2);
                        }
                        System.exit(Ucrt._close(out) == 0 ? 0 : 4);
                    }
                }
                case "closeThenWrite" -> {
                    // closes descriptor args[1], then writes a line on descriptor args[2]: 0 if it all went out
                    int closed = Ucrt._close(Integer.parseInt(args[1]));
                    byte[] line = "still here\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                    try (java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofConfined()) {
                        java.lang.foreign.MemorySegment buf = arena.allocate(line.length);
                        java.lang.foreign.MemorySegment.copy(line, 0, buf, java.lang.foreign.ValueLayout.JAVA_BYTE, 0,
                                line.length);
                        int w = Ucrt._write(Integer.parseInt(args[2]), buf, line.length);
                        System.exit(closed != 0 ? 4 : w == line.length ? 0 : 5);
                    }
                }
                default -> System.exit(9);
            }
        }
    }

    @Test
    void aChildReadsAndWritesDescriptorsAboveTwo() throws Exception {
        byte[] data = new byte[300_000];
        new java.util.Random(7).nextBytes(data);
        ChildProcess c = Command.of(crtDriver("copy", "5", "3")).stdin(Stdio.ignore())
                .fd(3, Stdio.writePipe()).fd(5, Stdio.readPipe()).spawn();
        try {
            var back = c.output(3).readAllBytes();
            c.input(5).write(data);
            c.input(5).close();
            assertThat(back.get(60, TimeUnit.SECONDS)).isEqualTo(data);
            assertThat(c.waitFor()).isEqualTo(ExitStatus.exited(0));
        } finally {
            c.kill();
            c.close();
        }
    }

    @Test
    void theChildsTableHasGapsAndItsStandardDescriptors(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("seven.txt");
        // 3 NUL, 6 a pipe, 7 a file, 8 our own stderr handle (GetFileType gives its flags), 40 NUL again;
        // 39 a gap, 41 past the end. The gap is high on purpose: the child is a JVM, which opens its
        // own files as C runtime descriptors (lib/modules through libjimage's _open, kept open), so
        // the lowest free ones (4, 5, ...) are soon taken there, and would prove nothing about the table.
        Output out = Command.of(crtDriver("handles", "1", "2", "3", "6", "7", "8", "39", "40", "41"))
                .fd(3, Stdio.ignore()).fd(6, Stdio.readPipe()).fd(7, Stdio.to(file)).fd(8, Stdio.fd(2))
                .fd(40, Stdio.ignore()).timeout(Duration.ofSeconds(60)).output();
        assertThat(out.status()).as(out.stderrText()).isEqualTo(ExitStatus.exited(0));
        List<String> got = lines(out.stdoutText().strip());
        assertThat(got).hasSize(9);
        for (String line : got) {
            String[] f = line.split(" ");
            long h = Long.parseLong(f[1]);
            switch (f[0]) {
                case "39", "41" -> assertThat(h).as(line).isEqualTo(-1L); // a gap; past the end
                default -> assertThat(h).as(line).isNotIn(-1L, -2L, 0L);
            }
        }
    }

    @Test
    void aDescriptorAboveTwoOnTheSameHandleAsStdoutHasItsOwnHandle() throws Exception {
        // fd 3 is the child's stdout too (3>&1): had both the same handle value, the child's _close(3)
        // would close its stdout's handle, and the write to fd 1 would fail (exit 5)
        Output out = Command.of(crtDriver("closeThenWrite", "3", "1")).stdin(Stdio.ignore())
                .fd(3, Stdio.sameAs(1)).timeout(Duration.ofSeconds(60)).output();
        assertThat(out.status()).as(out.stderrText()).isEqualTo(ExitStatus.exited(0));
        assertThat(out.stdoutText().strip()).isEqualTo("still here"); // fd 1 is in text mode: CR-LF
    }

    @Test
    void aCrtDescriptorOfOursBecomesTheChildsDescriptor() throws Exception {
        // Stdio.fd(n) above 2 is this JVM's C runtime descriptor n: here the write end of an Os pipe
        int[] p = io.spawnkit.os.Os.pipe();
        assertThat(p).as("Os.pipe()").hasSize(2);
        ChildProcess c = null;
        try {
            c = Command.of(crtDriver("copy", "5", "4")).stdin(Stdio.ignore())
                    .fd(4, Stdio.fd(p[1])).fd(5, Stdio.readPipe()).spawn();
            io.spawnkit.os.Os.close(p[1]); // the child holds the only write end now
            p[1] = -1;
            c.input(5).write("through our CRT descriptor");
            c.input(5).close();
            java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
            byte[] buf = new byte[4096];
            int n;
            while ((n = io.spawnkit.os.Os.read(p[0], buf, 0, buf.length)) > 0) {
                got.write(buf, 0, n);
            }
            assertThat(n).as("Os.read at the end").isZero();
            assertThat(got.toString(StandardCharsets.UTF_8)).isEqualTo("through our CRT descriptor");
            assertThat(c.waitFor()).isEqualTo(ExitStatus.exited(0));
        } finally {
            if (c != null) {
                c.kill();
                c.close();
            }
            io.spawnkit.os.Os.close(p[0]);
            if (p[1] >= 0) {
                io.spawnkit.os.Os.close(p[1]);
            }
        }
    }

    @Test
    void descriptorsAboveTheTablesLimitAreRefused() {
        assertThatThrownBy(() -> Command.of("cmd.exe", "/c", "exit").fd(256, Stdio.pipe()).spawn())
                .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("256");
        assertThatThrownBy(() -> Command.of("cmd.exe", "/c", "exit").fd(3, Stdio.duplexPipe()).spawn())
                .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("duplex");
    }

    @Test
    void aClosedDescriptorOfOursIsEbadf() {
        assertThatThrownBy(() -> Command.of("cmd.exe", "/c", "exit").fd(3, Stdio.fd(200)).spawn())
                .isInstanceOfSatisfying(SpawnException.class, e -> assertThat(e.errnoName()).isEqualTo("EBADF"));
    }

    @Test
    void argumentsRoundTrip() {
        // No '*' or '?': java.exe expands unquoted wildcards in a program's arguments. Nothing outside
        // the ANSI code page: java.exe reads its command line through it (sun.jnu.encoding).
        List<String> args = List.of("plain", "two words", "q\"uote", "\"", "back\\slash", "trailing\\",
                "trailing space\\ ", "\\\\server\\share\\", "tab\there", "", "{}[];,=", "\u00e9");
        Output out = Command.of(helper("echo", args.toArray(String[]::new))).output();
        List<String> got = lines(out.stdoutText());
        assertThat(got.subList(0, got.size() - 1)).isEqualTo(args);
    }

    @Test
    void anotherChildsOutputAsStdin() throws Exception {
        ChildProcess first = Command.of("cmd.exe", "/c", "echo piped-through").stdout(Stdio.pipe()).spawn();
        Output second = Command.of("findstr.exe", "piped").stdin(Stdio.from(first.stdout())).output();
        assertThat(second.stdoutText().strip()).isEqualTo("piped-through");
        assertThat(first.waitFor()).isEqualTo(ExitStatus.exited(0));
    }

    @Test
    void manyChildrenAtOnce() throws Exception {
        List<ChildProcess> children = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            children.add(Command.of("cmd.exe", "/c", "exit", Integer.toString(i)).stdout(Stdio.pipe()).spawn());
        }
        for (int i = 0; i < children.size(); i++) {
            assertThat(children.get(i).onExit().get(60, TimeUnit.SECONDS)).isEqualTo(ExitStatus.exited(i));
        }
    }

    @Test
    void terminateEndsAGroupWithinItsGrace() throws Exception {
        ChildProcess c = Command.of("cmd.exe", "/c", "ping -n 120 127.0.0.1 >NUL").newProcessGroup()
                .stdin(Stdio.ignore()).stdout(Stdio.ignore()).stderr(Stdio.ignore()).spawn();
        try {
            Thread.sleep(500);
            ExitStatus status = c.terminate(Duration.ofSeconds(2)).get(30, TimeUnit.SECONDS);
            // CTRL_BREAK reaches cmd only when it shares our console (STATUS_CONTROL_C_EXIT); else the kill after 2 s
            assertThat(status).isIn(ExitStatus.exited(1), ExitStatus.exited(0xC000013A));
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (c.groupAlive() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(c.groupAlive()).isFalse();
        } finally {
            c.killTree();
        }
    }

    @Test
    void windowsOptionsStartTheChild() {
        assertThat(Command.of("cmd.exe", "/c", "exit", "5").windowsHide().output().status()).isEqualTo(ExitStatus.exited(5));
        assertThat(Command.of("cmd.exe", "/c", "exit", "6").windowsHideConsole().windowsHideGui().output().status())
                .isEqualTo(ExitStatus.exited(6));
        assertThat(Command.of("cmd.exe", "/c", "exit", "7").newSession().output().status()).isEqualTo(ExitStatus.exited(7));
        // verbatim: the argument goes into the command line as it is, quotes and all
        Output out = Command.of("cmd.exe", "/c", "echo \"a  b\"").windowsVerbatimArguments().output();
        assertThat(out.stdoutText().strip()).isEqualTo("\"a  b\"");
    }

    @Test
    void inheritedStdioRuns() {
        assertThat(Command.of("cmd.exe", "/c", "exit", "4").status()).isEqualTo(ExitStatus.exited(4));
    }
}
