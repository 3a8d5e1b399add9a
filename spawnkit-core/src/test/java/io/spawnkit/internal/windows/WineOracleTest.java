package io.spawnkit.internal.windows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * The independent oracle for {@link WindowsCommandLine}: the command lines it builds, handed
 * unchanged to a real {@code CreateProcessW}, must give the child its argument vector back through
 * both parsers a Windows program uses, the C runtime's ({@code wmain}/{@code main} argv, msvcrt.dll
 * and the UCRT) and shell32's {@code CommandLineToArgvW(GetCommandLineW())}.
 *
 * <p>"Real" here means Wine's reimplementations, on Linux, driven by two mingw-w64 programs from
 * {@code src/test/wine} (see its README): {@code probe.exe} passes raw command lines to
 * CreateProcessW, {@code child.exe} (built once per C runtime, wide and narrow) writes what it
 * parsed to a file. Wine caveats, from checking it: only the arguments after argv[0] are trusted
 * (Wine's CRT applies backslash escapes to the program name, Windows does not), so argv[0] is only
 * reported; the narrow argv passes through the ANSI code page, so the narrow builds are compared on
 * ASCII vectors only; output goes to files, never to pipes (Wine's services inherit the first
 * process's stdout and a reader would wait for them). A smoke test also runs {@link BatchFiles}'
 * command lines through Wine's cmd.exe with injection payloads, and {@link CrtFdTable}'s bytes go
 * to msvcrt.dll and the UCRT as a child's lpReserved2 ({@code crtfd-parent.c}, {@code crtfd-child.c}).
 *
 * <p>Runs only when asked, it needs Wine, mingw-w64 and ~700 MB for a private Wine prefix:
 * {@code ./mvnw -pl spawnkit-core -Pwine-oracle test} sets {@code spawnkit.wineOracle=required}
 * (missing tools fail the run; with {@code spawnkit.wineOracle.install=true}, which the profile
 * also sets, {@code src/test/wine/setup} installs them first); {@code -Dspawnkit.wineOracle=auto}
 * skips instead. {@code -Dspawnkit.wineOracle.keep=true} keeps the work folder for a post-mortem.
 */
@EnabledOnOs(OS.LINUX)
@EnabledIfSystemProperty(named = "spawnkit.wineOracle", matches = "required|auto",
        disabledReason = "the Wine oracle runs with -Pwine-oracle (or -Dspawnkit.wineOracle=auto)")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WineOracleTest {

    /** The seed and counts of the random argv: fixed, so a failure repeats; properties for longer sweeps. */
    private static final long SEED = Long.getLong("spawnkit.wineOracle.seed", 0x5EA5_0E11_2026L);
    /** Random argv for the wide builds (the whole alphabet), and ASCII ones for the narrow builds. */
    private static final int RANDOM_CASES = Integer.getInteger("spawnkit.wineOracle.random", 1000);
    private static final int RANDOM_ASCII_CASES = RANDOM_CASES / 4;
    /**
     * Children the probe runs at once. A Wine process start is ~50 ms, mostly waiting on wineserver:
     * 4 at a time halved the run time on a busy 2-core machine, 8 gained nothing more.
     */
    private static final int PARALLEL = Integer.getInteger("spawnkit.wineOracle.parallel", 4);

    /** One child build: which C runtime it links and whether its CRT argv is wide (wmain). */
    private record Build(String name, Path exe, boolean wide) {}

    /** One CreateProcessW call the probe makes. */
    private record Record(String application, String commandLine) {}

    /** What the child wrote for one record: the case number, the CRT argv, CommandLineToArgvW's, the raw line. */
    private record Parsed(String caseNumber, List<String> crt, List<String> shell, String raw) {}

    /** The outcome of one record: "exit 0", "exit 3", "error 2", and the child's line when it wrote one. */
    private record Outcome(String status, Parsed parsed) {}

    private Path work;
    private Path wine;
    private Path wineserver;
    private Map<String, String> wineEnv;
    private final List<Build> builds = new ArrayList<>();
    private Path probe;

    // ---------------------------------------------------------------------------------------------
    // the vectors

    private static final String P = "child";

    /** The hard cases: quotes, backslash runs before quotes and at the end, empty and blank arguments. */
    static List<List<String>> vectors() {
        List<List<String>> v = new ArrayList<>();
        v.add(List.of(P));
        v.add(List.of(P, ""));
        v.add(List.of(P, "", ""));
        v.add(List.of(P, "a", "", "b"));
        v.add(List.of(P, "hello world", "x"));
        v.add(List.of(P, "a\"b"));
        v.add(List.of(P, "\""));
        v.add(List.of(P, "\"\""));
        v.add(List.of(P, "\"\"\""));
        v.add(List.of(P, "\" \""));
        v.add(List.of(P, "a\"b\"\" c d"));
        v.add(List.of(P, "a\"b\"\"", "c", "d"));
        v.add(List.of(P, "a\\b", "a\\\\b", "\\\\server\\share\\"));
        v.add(List.of(P, "a\\"));
        v.add(List.of(P, "a\\\\"));
        v.add(List.of(P, "a b\\"));
        v.add(List.of(P, "a b\\\\"));
        v.add(List.of(P, "\\"));
        v.add(List.of(P, "\\\\"));
        v.add(List.of(P, "\\\""));
        v.add(List.of(P, "\\\\\""));
        v.add(List.of(P, "a\\\"b"));
        v.add(List.of(P, "a\\\\\"b"));
        v.add(List.of(P, "\\\" \\\\\" \\\\\\\""));
        v.add(List.of(P, "C:\\Program Files\\", "C:\\dir with space\\"));
        v.add(List.of(P, "a\tb"));
        v.add(List.of(P, "\t"));
        v.add(List.of(P, " "));
        v.add(List.of(P, "  two leading", "trailing  "));
        v.add(List.of(P, "a\nb", "\r\n", "a\u000Bb", "\f"));
        v.add(List.of(P, "&", "|", "<", ">", "^", "%PATH%", "!x!", "(", ")", ";", ",", "="));
        v.add(List.of(P, "/c", "echo \"a b\" & exit 1"));
        v.add(List.of(P, "\u00e9\u20ac\ud83d\ude00\u4e2d"));
        v.add(List.of(P, "\u00fcn\u00efc\u00f6d\u00e9 space", "\"\ud83d\ude00\\", "\u00a0nbsp\u3000ideographic"));
        v.add(List.of("C:\\Program Files\\spawnkit\\child.exe", "a", "b c"));
        v.add(List.of("", "a", "b c"));
        v.add(List.of("my child", "x y"));
        v.add(List.of("tab\tchild", "x"));
        v.add(List.of(P, "\\".repeat(300) + "\"" + " ".repeat(10) + "\\".repeat(7)));
        List<String> many = new ArrayList<>(List.of(P));
        for (int i = 0; i < 60; i++) {
            many.add(i % 3 == 0 ? "" : i % 3 == 1 ? "a\\\"" + i : "x " + i + "\\");
        }
        v.add(many);
        return v;
    }

    private static final String[] PROGRAMS = {
        P, "C:\\Program Files\\spawnkit\\child.exe", "my child", "", "C:\\bin\\child.exe"};

    /** Pieces of random arguments, the dangerous ones frequent. */
    private static final String[] PIECES = {
        "\"", "\"", "\"", "\\", "\\", "\\", "\\\\", " ", " ", "\t", "a", "b", "x", "yz",
        "\u00e9", "\u20ac", "\ud83d\ude00", "\u4e2d", "&", "^", "%", "!", "'", "\n", "=", "/", "-"};

    static List<List<String>> randomArgv(long seed, int count, boolean asciiOnly) {
        String[] pieces = asciiOnly
                ? Stream.of(PIECES).filter(p -> p.chars().allMatch(c -> c < 0x80)).toArray(String[]::new)
                : PIECES;
        Random random = new Random(seed);
        List<List<String>> all = new ArrayList<>(count);
        for (int c = 0; c < count; c++) {
            List<String> argv = new ArrayList<>();
            argv.add(PROGRAMS[random.nextInt(PROGRAMS.length)]);
            int args = random.nextInt(7);
            for (int a = 0; a < args; a++) {
                int length = random.nextInt(5) == 0 ? 0 : 1 + random.nextInt(10);
                StringBuilder arg = new StringBuilder();
                for (int p = 0; p < length; p++) {
                    arg.append(pieces[random.nextInt(pieces.length)]);
                }
                argv.add(arg.toString());
            }
            all.add(argv);
        }
        return all;
    }

    // ---------------------------------------------------------------------------------------------
    // the checks

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void trickyVectorsRoundTripThroughTheCrtAndCommandLineToArgvW() throws Exception {
        check("vectors", vectors(), builds);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.MINUTES)
    void randomArgumentVectorsRoundTripThroughTheWideCrtAndCommandLineToArgvW() throws Exception {
        check("random, seed " + Long.toHexString(SEED), randomArgv(SEED, RANDOM_CASES, false),
                builds.stream().filter(Build::wide).toList());
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.MINUTES)
    void randomAsciiArgumentVectorsRoundTripThroughTheNarrowCrt() throws Exception {
        check("random ASCII, seed " + Long.toHexString(SEED + 1), randomArgv(SEED + 1, RANDOM_ASCII_CASES, true),
                builds.stream().filter(b -> !b.wide()).toList());
    }

    /**
     * The oracle itself, checked: raw command lines (not ours) from the table in Microsoft's
     * "Parsing C++ command-line arguments", where the answers are documented. The last row is
     * where the two parsers differ ({@code ""} inside quotes: the CRT since 2008 stays quoted,
     * CommandLineToArgvW does not), which WindowsCommandLine therefore never writes.
     */
    @Test
    void wineParsersGiveTheDocumentedAnswers() throws Exception {
        // command line after the program name -> CRT argv[1..], CommandLineToArgvW argv[1..]
        String[][] table = {
            {"\"a b c\" d e", "a b c|d|e", "a b c|d|e"},
            {"\"ab\\\"c\" \"\\\\\" d", "ab\"c|\\|d", "ab\"c|\\|d"},
            {"a\\\\\\b d\"e f\"g h", "a\\\\\\b|de fg|h", "a\\\\\\b|de fg|h"},
            {"a\\\\\\\"b c d", "a\\\"b|c|d", "a\\\"b|c|d"},
            {"a\\\\\\\\\"b c\" d e", "a\\\\b c|d|e", "a\\\\b c|d|e"},
            {"a\"b\"\" c d", "ab\" c d", "ab\"|c|d"},
        };
        List<Build> wide = builds.stream().filter(Build::wide).toList();
        List<Record> records = new ArrayList<>();
        for (String[] row : table) {
            for (Build build : wide) {
                records.add(new Record(windowsPath(build.exe()), "child " + row[0]));
            }
        }
        Map<Integer, Outcome> outcomes = run(records);
        for (int r = 0; r < table.length; r++) {
            for (int b = 0; b < wide.size(); b++) {
                Outcome o = outcomes.get(r * wide.size() + b);
                String what = wide.get(b).name() + ": " + show(table[r][0]);
                assertThat(o).as(what).isNotNull();
                assertThat(o.parsed()).as(what + " (%s)", o.status()).isNotNull();
                assertThat(tail(o.parsed().crt())).as("CRT, " + what).containsExactly(table[r][1].split("\\|"));
                assertThat(tail(o.parsed().shell())).as("CommandLineToArgvW, " + what)
                        .containsExactly(table[r][2].split("\\|"));
            }
        }
    }

    /**
     * Runs every argv through every build and compares the arguments after argv[0]: the wide CRT
     * argv and CommandLineToArgvW always, the narrow CRT argv when the arguments are ASCII. Also
     * requires the child to see the command line exactly as built (CreateProcessW passes it as is).
     */
    private void check(String label, List<List<String>> cases, List<Build> using) throws Exception {
        assertThat(using).as("child builds for %s", label).isNotEmpty();
        long start = System.nanoTime();
        List<Record> records = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        for (List<String> argv : cases) {
            String line = WindowsCommandLine.build(argv, false);
            lines.add(line);
            for (Build build : using) {
                records.add(new Record(windowsPath(build.exe()), line));
            }
        }
        Map<Integer, Outcome> outcomes = run(records);

        List<String> mismatches = new ArrayList<>();
        List<String> programNameNotes = new ArrayList<>();
        int compared = 0;
        int narrowSkipped = 0;
        for (int c = 0; c < cases.size(); c++) {
            List<String> argv = cases.get(c);
            List<String> expected = argv.subList(1, argv.size());
            boolean ascii = argv.stream().allMatch(s -> s.chars().allMatch(ch -> ch < 0x80));
            for (int b = 0; b < using.size(); b++) {
                Build build = using.get(b);
                int index = c * using.size() + b;
                Outcome outcome = outcomes.get(index);
                String where = build.name() + " case " + c + " argv " + show(argv) + " line " + show(lines.get(c));
                if (outcome == null || !outcome.status().equals("exit 0") || outcome.parsed() == null) {
                    mismatches.add(where + ": the child did not report ("
                            + (outcome == null ? "no record" : outcome.status()) + ")");
                    continue;
                }
                Parsed parsed = outcome.parsed();
                compared++;
                if (!parsed.raw().equals(lines.get(c))) {
                    mismatches.add(where + ": GetCommandLineW gave " + show(parsed.raw()));
                }
                if (!tail(parsed.shell()).equals(expected)) {
                    mismatches.add(where + ": CommandLineToArgvW gave " + show(parsed.shell()));
                }
                if (build.wide() || ascii) {
                    if (!tail(parsed.crt()).equals(expected)) {
                        mismatches.add(where + ": the CRT gave " + show(parsed.crt()));
                    }
                } else {
                    narrowSkipped++;
                }
                if (!parsed.shell().isEmpty() && !parsed.shell().get(0).equals(argv.get(0))) {
                    programNameNotes.add(where + ": CommandLineToArgvW's argv[0] " + show(parsed.shell().get(0)));
                }
                if (!parsed.crt().isEmpty() && !parsed.crt().get(0).equals(argv.get(0))
                        && (build.wide() || ascii)) {
                    programNameNotes.add(where + ": the CRT's argv[0] " + show(parsed.crt().get(0)));
                }
            }
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        String summary = String.format(
                "wine oracle, %s: %d argv x %d builds = %d runs, %d compared (%d narrow runs with non-ASCII"
                        + " arguments compared on CommandLineToArgvW only), %d mismatches, %d argv[0] differences"
                        + " (not checked), %.1f s",
                label, cases.size(), using.size(), records.size(), compared, narrowSkipped, mismatches.size(),
                programNameNotes.size(), millis / 1000.0);
        System.out.println(summary);
        programNameNotes.stream().limit(5).forEach(n -> System.out.println("  argv[0] note: " + n));
        assertThat(mismatches).as(summary).isEmpty();
    }

    /** Payloads for the batch-file smoke test; "MARKER" becomes the name of a file that must never appear. */
    private static final List<List<String>> BATCH_PAYLOADS = List.of(
            List.of("hello"),
            List.of("a b", "c"),
            List.of("a&b"),
            List.of("!PATH!"),
            List.of("a,b;c=d"),
            List.of("\"&echo INJECTED>MARKER"),
            List.of("a&echo INJECTED>MARKER"),
            List.of("\\\"&echo INJECTED>MARKER"),
            List.of("^&echo INJECTED>MARKER"),
            List.of("|echo INJECTED>MARKER"),
            List.of("\")&echo INJECTED>MARKER&(\""),
            List.of("\"", "&echo INJECTED>MARKER"),
            List.of("\"\"", "x\"&echo INJECTED>MARKER&\""),
            List.of("a\\", "&echo INJECTED>MARKER"),
            List.of("%PATH%"),
            List.of("%cd:~,%&echo INJECTED>MARKER"),
            List.of("%SPAWNKIT_ORACLE_CASE%"));

    /**
     * A smoke test of {@link BatchFiles#commandLine} through Wine's cmd.exe: a script that writes
     * its %1..%4 to a file, run with injection payloads. Asserted: no payload runs its command (its
     * marker file never appears) and the plain arguments arrive as real cmd passes them. Wine's
     * cmd is a partial reimplementation, so this is a smoke test, not the oracle for cmd's rules
     * (BatchFilesTest's model is); what Wine's cmd gives for the rest is printed, not asserted.
     */
    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void batchFilePayloadsDoNotRunCommandsUnderWineCmd() throws Exception {
        long start = System.nanoTime();
        Path script = work.resolve("echo-args.bat");
        Files.copy(sources().resolve("echo-args.bat"), script);
        String comSpec = "C:\\windows\\system32\\cmd.exe";
        List<Record> records = new ArrayList<>();
        List<Path> markers = new ArrayList<>();
        for (int i = 0; i < BATCH_PAYLOADS.size(); i++) {
            Path marker = work.resolve("marker-" + i);
            markers.add(marker);
            List<String> args = BATCH_PAYLOADS.get(i).stream().map(a -> a.replace("MARKER", marker.getFileName().toString()))
                    .toList();
            records.add(new Record(comSpec, BatchFiles.commandLine(comSpec, windowsPath(script), args, "echo-args.bat")));
        }
        // the control: the BatBadBut payload quoted for the CRT only, as a naive backend would pass
        // it; its command must run, or this smoke test could not see an injection at all
        Path control = work.resolve("marker-control");
        StringBuilder naive = new StringBuilder("\"" + comSpec + "\" /e:ON /v:OFF /d /c \"\"" + windowsPath(script) + "\" ");
        WindowsCommandLine.appendQuoted(naive, "\"&echo INJECTED>" + control.getFileName());
        records.add(new Record(comSpec, naive.append('"').toString()));
        Map<Integer, Outcome> outcomes = run(records);
        Map<Integer, String> echoed = new HashMap<>();
        for (int i = 0; i < records.size(); i++) {
            Path out = work.resolve("out").resolve(i + ".txt");
            if (Files.exists(out)) {
                echoed.put(i, Files.readString(out, StandardCharsets.ISO_8859_1).strip());
            }
        }
        assumeTrue("[hello] [] [] []".equals(echoed.get(0)),
                "Wine's cmd.exe does not run batch files here (case 0 gave " + echoed.get(0) + ", "
                        + outcomes.get(0) + "): batch smoke test skipped");

        System.out.println("  control (CRT quoting only): " + records.getLast().commandLine() + " -> script saw: "
                + echoed.get(records.size() - 1) + ", command ran: " + Files.exists(control));
        assumeTrue(Files.exists(control), "Wine's cmd.exe did not run the control's injected command, so it"
                + " cannot show whether BatchFiles prevents injection: batch smoke test skipped");
        List<String> injected = new ArrayList<>();
        for (int i = 0; i < BATCH_PAYLOADS.size(); i++) {
            String line = "  " + i + " " + show(BATCH_PAYLOADS.get(i)) + " -> " + records.get(i).commandLine()
                    + " -> " + (outcomes.get(i) == null ? "no report" : outcomes.get(i).status()) + ", script saw: "
                    + echoed.get(i);
            System.out.println(line);
            if (Files.exists(markers.get(i))) {
                injected.add(line);
            }
        }
        String summary = String.format("wine oracle, batch smoke test: %d payloads through Wine's cmd.exe, %d injected"
                + " (the CRT-quoted control: injected), %.1f s", BATCH_PAYLOADS.size(), injected.size(), (System.nanoTime() - start) / 1e9);
        System.out.println(summary);
        assertThat(injected).as("payloads whose command ran").isEmpty();
        // what real cmd gives, and Wine's cmd too, for the plain ones
        assertThat(echoed.get(1)).isEqualTo("[\"a b\"] [c] [] []");
        assertThat(echoed.get(2)).isEqualTo("[\"a&b\"] [] [] []");
        assertThat(echoed.get(3)).isEqualTo("[\"!PATH!\"] [] [] []");
        assertThat(echoed.get(4)).isEqualTo("[\"a,b;c=d\"] [] [] []");
    }

    /** CrtFdTable's marker for a handle only the Wine parent can make: kind (1 pipe, 2 file, 3 NUL) and descriptor. */
    private static long marker(int kind, int fd) {
        return 0x73706b0000000000L | ((long) kind << 8) | fd;
    }

    /**
     * {@link CrtFdTable}'s bytes, handed as they are to a real C runtime: {@code crtfd-parent.exe}
     * starts {@code crtfd-child.exe} (built against msvcrt.dll and against the UCRT) with
     * lpReserved2 = the table, its handle slots replaced by new inheritable handles (a pipe at 3, a
     * gap at 4, a file at 5, NUL at 6). The child reports, through {@code _write(3)}, what its
     * runtime made of it: {@code _get_osfhandle} of 0..8 and {@code _isatty}. Asserted: 3, 5, 6 are
     * the parent's handles; 4 (gap) and 7, 8 (past the count) are not open; 1 is the standard handle
     * (the table leaves 0..2 empty); a pipe is not a tty, NUL is; the file got its text. A control
     * run marks the pipe FDEV (libuv's fall-through) and must make {@code _isatty(3)} true, so the
     * oracle can see the flag bits at all.
     */
    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void crtDescriptorTableReachesMsvcrtAndUcrt() throws Exception {
        Path sources = sources();
        String gcc = onPath("x86_64-w64-mingw32-gcc").toString();
        Path parent = work.resolve("crtfd-parent.exe");
        exec(List.of(gcc, "-O1", "-municode", "-o", parent.toString(), sources.resolve("crtfd-parent.c").toString()),
                Limit.COMPILE);
        String specs = exec(List.of(gcc, "-dumpspecs"), Limit.COMPILE);
        boolean ucrtDefault = specs.contains("-lucrt") && !specs.contains("-lmsvcrt");
        Path swapped = work.resolve("crtfd-swapped.specs");
        Files.writeString(swapped, ucrtDefault ? specs.replace("-lucrt", "-lmsvcrt") : specs.replace("-lmsvcrt", "-lucrt"));
        Map<String, Path> children = new java.util.LinkedHashMap<>();
        for (String crt : List.of("msvcrt", "ucrt")) {
            Path exe = work.resolve("crtfd-child-" + crt + ".exe");
            List<String> cmd = new ArrayList<>(List.of(gcc, "-O1"));
            if (crt.equals("ucrt") != ucrtDefault) {
                cmd.add("-specs=" + swapped);
            }
            if (crt.equals("ucrt")) {
                cmd.add("-D_UCRT");
            }
            cmd.addAll(List.of("-o", exe.toString(), sources.resolve("crtfd-child.c").toString()));
            exec(cmd, Limit.COMPILE);
            String imports = dllImports(exe);
            if (imports != null) {
                assertThat(imports.contains("ucrtbase") || imports.contains("api-ms-win-crt-"))
                        .as("%s imports %s", exe.getFileName(), imports).isEqualTo(crt.equals("ucrt"));
            }
            children.put(crt, exe);
        }
        Map<Integer, CrtFdTable.Entry> entries = Map.of(
                3, new CrtFdTable.Entry(CrtFdTable.flagsFor(CrtFdTable.FILE_TYPE_PIPE, false), marker(1, 3)),
                5, new CrtFdTable.Entry(CrtFdTable.flagsFor(CrtFdTable.FILE_TYPE_DISK, false), marker(2, 5)),
                6, new CrtFdTable.Entry(CrtFdTable.flagsFor(CrtFdTable.FILE_TYPE_CHAR, false), marker(3, 6)));
        String hex = java.util.HexFormat.of().formatHex(CrtFdTable.encode(entries));
        Map<Integer, CrtFdTable.Entry> control = new HashMap<>(entries);
        control.put(3, new CrtFdTable.Entry(CrtFdTable.FOPEN | CrtFdTable.FDEV, marker(1, 3)));
        String controlHex = java.util.HexFormat.of().formatHex(CrtFdTable.encode(control));
        System.out.println("wine oracle, CRT descriptor table: " + hex);

        Path out = work.resolve("out");
        for (Map.Entry<String, Path> child : children.entrySet()) {
            for (boolean isControl : List.of(false, true)) {
                String name = child.getKey() + (isControl ? "-control" : "");
                exec(List.of(wine.toString(), parent.toString(), windowsPath(child.getValue()),
                        isControl ? controlHex : hex, windowsPath(out), name), new Limit(120));
                String report = Files.readString(out.resolve(name + "-report.txt"), StandardCharsets.ISO_8859_1);
                System.out.println("  " + name + ": " + report.replace("\n", " | ").replace("\r", ""));
                Map<String, String> parentSide = new HashMap<>();
                Map<Integer, long[]> childSide = new HashMap<>(); // fd -> {handle, tty}
                for (String line : report.replace("pipe:", "\n").split("\n")) {
                    String[] f = line.strip().split(" ");
                    if (f.length == 4 && f[0].equals("parent")) {
                        parentSide.put("fd" + f[2], f[3]);
                    } else if (f.length == 3 && f[0].equals("parent")) {
                        parentSide.put(f[1], f[2]);
                    } else if (f.length == 6 && f[0].equals("fd")) {
                        childSide.put(Integer.parseInt(f[1]), new long[] {Long.parseLong(f[3]), Long.parseLong(f[5])});
                    } else if (f.length == 2 && (f[0].equals("exit") || f[0].equals("stdout"))) {
                        parentSide.put("child " + f[0], f[1]);
                    }
                }
                String as = name + ": " + report;
                assertThat(parentSide.get("child exit")).as(as).isEqualTo("0");
                assertThat(childSide).as(as).containsOnlyKeys(0, 1, 2, 3, 4, 5, 6, 7, 8);
                for (int fd : List.of(3, 5, 6)) {
                    assertThat(childSide.get(fd)[0]).as(as + " fd " + fd).isEqualTo(Long.parseLong(parentSide.get("fd" + fd)));
                }
                for (int fd : List.of(4, 7, 8)) {
                    assertThat(childSide.get(fd)[0]).as(as + " fd " + fd).isEqualTo(-1L);
                }
                assertThat(childSide.get(1)[0]).as(as + " fd 1").isEqualTo(Long.parseLong(parentSide.get("stdout")))
                        .isEqualTo(Long.parseLong(parentSide.get("child stdout")));
                assertThat(childSide.get(3)[1]).as(as + " isatty(3)").isEqualTo(isControl ? 1L : 0L);
                assertThat(childSide.get(5)[1]).as(as + " isatty(5)").isEqualTo(0L);
                assertThat(childSide.get(6)[1]).as(as + " isatty(6)").isEqualTo(1L);
                assertThat(Files.readString(out.resolve(name + "-fd5.txt"))).as(as).isEqualTo("file-ok");
                assertThat(Files.readString(out.resolve(name + "-stdout.txt"))).as(as).isEqualTo("stdout-ok");
            }
        }
    }

    private static List<String> tail(List<String> argv) {
        return argv.isEmpty() ? argv : argv.subList(1, argv.size());
    }

    // ---------------------------------------------------------------------------------------------
    // Wine, the probe and the children

    @BeforeAll
    void startWine() throws Exception {
        boolean required = "required".equals(System.getProperty("spawnkit.wineOracle"));
        long start = System.nanoTime();
        Path sources = sources();
        if (!toolsPresent() && Boolean.getBoolean("spawnkit.wineOracle.install")) {
            Path setup = sources.resolve("setup");
            System.out.println("wine oracle: installing Wine and mingw-w64 with " + setup);
            // no terminal: sudo, if needed, must not wait for a password nobody can type
            Process p = new ProcessBuilder("bash", setup.toString()).inheritIO()
                    .redirectInput(new File("/dev/null")).start();
            if (!p.waitFor(15, TimeUnit.MINUTES)) {
                p.destroyForcibly();
            }
            System.out.printf("wine oracle: setup took %.1f s%n", (System.nanoTime() - start) / 1e9);
        }
        if (!toolsPresent()) {
            String why = "the Wine oracle needs Wine (wine64 or wine, and wineserver) and x86_64-w64-mingw32-gcc;"
                    + " install them with " + sources.resolve("setup");
            if (required) {
                fail(why);
            }
            assumeTrue(false, why);
        }
        wine = findWine();
        wineserver = findWineserver();

        work = Files.createTempDirectory("spawnkit-wine-oracle");
        Path prefix = Files.createDirectory(work.resolve("prefix"));
        wineEnv = new HashMap<>();
        wineEnv.put("WINEPREFIX", prefix.toString());
        wineEnv.put("WINEDEBUG", "-all");
        wineEnv.put("WINEDLLOVERRIDES", "mscoree,mshtml=");   // no Mono or Gecko installer prompts
        wineEnv.put("WINEARCH", "win64");
        // wineserver makes its socket folder under TMPDIR: inside the work folder, it goes with it
        wineEnv.put("TMPDIR", Files.createDirectory(work.resolve("tmp")).toString());
        wineEnv.put("SPAWNKIT_ORACLE_OUT", windowsPath(work.resolve("out")));

        Files.createDirectory(work.resolve("out"));
        long compileStart = System.nanoTime();
        compile(sources);
        long compiled = System.nanoTime();
        // one server for the whole run: the first process costs about a second, later ones ~50 ms
        exec(List.of(wineserver.toString(), "-p"), Limit.SERVER);
        // the first run creates the prefix (~5-15 s); it also proves that the probe starts at all
        Map<Integer, Outcome> warm = run(List.of(new Record(windowsPath(builds.getFirst().exe()), "child warm up")));
        assertThat(warm.get(0)).as("the first Wine run").isNotNull();
        assertThat(warm.get(0).status()).as("the first Wine run").isEqualTo("exit 0");
        String line = String.format("wine oracle: %s, %s; builds %s; compiled in %.1f s, prefix made in %.1f s",
                wine, wineserver, builds.stream().map(Build::name).toList(), (compiled - compileStart) / 1e9,
                (System.nanoTime() - compiled) / 1e9);
        System.out.println(line);
    }

    @AfterAll
    void stopWine() throws Exception {
        if (work == null) {
            return;
        }
        try {
            if (wineserver != null) {
                // not checked: after a failed start there may be no server to stop
                exec(List.of(wineserver.toString(), "-k"), Limit.SERVER, true);
                exec(List.of(wineserver.toString(), "-w"), Limit.SERVER, true);
            }
        } finally {
            if (Boolean.getBoolean("spawnkit.wineOracle.keep")) {
                System.out.println("wine oracle: kept " + work);
            } else {
                deleteTree(work);
            }
        }
    }

    private static Path sources() {
        Path base = Path.of(System.getProperty("basedir", System.getProperty("user.dir")));
        Path dir = base.resolve("src/test/wine");
        if (!Files.isDirectory(dir)) {
            dir = base.resolve("spawnkit-core/src/test/wine");
        }
        return dir;
    }

    private static boolean toolsPresent() {
        return findWine() != null && findWineserver() != null && onPath("x86_64-w64-mingw32-gcc") != null;
    }

    /** Debian keeps Wine's programs out of PATH, in /usr/lib/wine; other systems put them on PATH. */
    private static Path findWine() {
        return firstExecutable(onPath("wine64"), Path.of("/usr/lib/wine/wine64"), onPath("wine"),
                Path.of("/usr/lib/wine/wine"), dpkgFile("wine64", "/wine64"), dpkgFile("wine", "/wine"));
    }

    private static Path findWineserver() {
        return firstExecutable(onPath("wineserver"), Path.of("/usr/lib/wine/wineserver64"),
                Path.of("/usr/lib/wine/wineserver"), dpkgFile("wine64", "/wineserver64"),
                dpkgFile("wine", "/wineserver"));
    }

    private static Path firstExecutable(Path... candidates) {
        for (Path p : candidates) {
            if (p != null && Files.isRegularFile(p) && Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    private static Path onPath(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) {
                return Path.of(dir, name);
            }
        }
        return null;
    }

    /** The file of an installed Debian package whose path ends with suffix, or null. */
    private static Path dpkgFile(String pkg, String suffix) {
        if (onPath("dpkg") == null) {
            return null;
        }
        try {
            Process p = new ProcessBuilder("dpkg", "-L", pkg).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor();
            return out.lines().filter(l -> l.endsWith(suffix)).map(Path::of).findFirst().orElse(null);
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /**
     * Builds probe.exe and the child four ways: {msvcrt, UCRT} x {wmain, main}. This mingw-w64
     * (Debian's gcc 12) links msvcrt.dll by default and has no -mcrtdll, so the other runtime comes
     * from the compiler's own specs with the CRT library swapped (-lmsvcrt <-> -lucrt), the way
     * mingw-w64 documents; its import table is checked, so a build named "ucrt" really is one.
     */
    private void compile(Path sources) throws Exception {
        String gcc = onPath("x86_64-w64-mingw32-gcc").toString();
        probe = work.resolve("probe.exe");
        Path child = sources.resolve("child.c");
        String specs = exec(List.of(gcc, "-dumpspecs"), Limit.COMPILE);
        String defaultCrt = specs.contains("-lucrt") && !specs.contains("-lmsvcrt") ? "ucrt" : "msvcrt";
        String otherCrt = defaultCrt.equals("msvcrt") ? "ucrt" : "msvcrt";
        Path otherSpecs = work.resolve(otherCrt + ".specs");
        Files.writeString(otherSpecs, defaultCrt.equals("msvcrt")
                ? specs.replace("-lmsvcrt", "-lucrt") : specs.replace("-lucrt", "-lmsvcrt"));

        List<List<String>> commands = new ArrayList<>();
        commands.add(List.of(gcc, "-O1", "-municode", "-o", probe.toString(), sources.resolve("probe.c").toString()));
        List<Build> candidates = new ArrayList<>();
        for (String crt : List.of("msvcrt", "ucrt")) {
            for (boolean wide : List.of(true, false)) {
                Build build = new Build(crt + (wide ? "-wide" : "-narrow"),
                        work.resolve("child-" + crt + (wide ? "-w" : "-a") + ".exe"), wide);
                List<String> cmd = new ArrayList<>(List.of(gcc, "-O1"));
                if (!crt.equals(defaultCrt)) {
                    cmd.addAll(List.of("-specs=" + otherSpecs));
                }
                if (crt.equals("ucrt")) {
                    cmd.add("-D_UCRT");
                }
                cmd.add(wide ? "-municode" : "-DORACLE_NARROW");
                cmd.addAll(List.of("-o", build.exe().toString(), child.toString(), "-lshell32"));
                commands.add(cmd);
                candidates.add(build);
            }
        }
        List<Process> running = new ArrayList<>();
        for (List<String> cmd : commands) {
            running.add(new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(work.resolve("gcc-" + running.size() + ".log").toFile()).start());
        }
        for (int i = 0; i < running.size(); i++) {
            Process p = running.get(i);
            if (!p.waitFor(Limit.COMPILE.seconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
            String log = Files.readString(work.resolve("gcc-" + i + ".log"));
            boolean ok = !p.isAlive() && p.exitValue() == 0;
            if (i == 0) {
                assertThat(ok).as("compiling probe.c: %s", log).isTrue();
                continue;
            }
            Build build = candidates.get(i - 1);
            if (!ok && build.name().startsWith(defaultCrt)) {
                fail("compiling child.c for %s: %s", build.name(), log);
            }
            if (!ok) {
                // only the CRT this mingw-w64 does not default to may be missing (no libucrt.a)
                System.out.println("wine oracle: no " + build.name() + " build here: " + log.strip());
                continue;
            }
            String imports = dllImports(build.exe());
            if (imports != null) {
                boolean ucrt = imports.contains("ucrtbase") || imports.contains("api-ms-win-crt-");
                assertThat(ucrt).as("%s imports %s", build.name(), imports).isEqualTo(build.name().startsWith("ucrt"));
            }
            builds.add(build);
        }
    }

    /** The DLL names an executable imports, from the mingw-w64 objdump, or null without one. */
    private String dllImports(Path exe) throws Exception {
        Path objdump = onPath("x86_64-w64-mingw32-objdump");
        if (objdump == null) {
            return null;
        }
        String out = exec(List.of(objdump.toString(), "-p", exe.toString()), Limit.COMPILE);
        return String.join(" ", out.lines().filter(l -> l.contains("DLL Name:")).map(String::strip).toList());
    }

    /**
     * Runs the probe over the records in one Wine process and returns the outcome of each record by
     * its index. Everything goes through files: the records, the probe's report, the children's
     * lines (one file per record, out/N.json), and Wine's own stdout and stderr.
     */
    private Map<Integer, Outcome> run(List<Record> records) throws Exception {
        Path input = work.resolve("records.bin");
        Path report = work.resolve("report.txt");
        Path out = work.resolve("out");
        Files.deleteIfExists(report);
        try (Stream<Path> old = Files.list(out)) {
            for (Path p : old.toList()) {
                Files.delete(p);
            }
        }
        try (var stream = Files.newOutputStream(input)) {
            for (Record r : records) {
                stream.write(r.application().getBytes(StandardCharsets.UTF_8));
                stream.write(0);
                stream.write(r.commandLine().getBytes(StandardCharsets.UTF_8));
                stream.write(0);
            }
        }
        // a second per record is far more than Wine needs (~50 ms) but keeps a hung child from hanging the build
        Limit limit = new Limit(120 + records.size());
        exec(List.of(wine.toString(), probe.toString(), windowsPath(input), windowsPath(report),
                Integer.toString(PARALLEL)), limit, true);

        Map<Integer, Outcome> outcomes = new HashMap<>();
        Map<Integer, Parsed> parsed = new HashMap<>();
        try (Stream<Path> files = Files.list(out)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).toList()) {
                Parsed p = parse(Files.readString(file, StandardCharsets.US_ASCII).strip());
                parsed.put(Integer.parseInt(p.caseNumber()), p);
            }
        }
        if (Files.exists(report)) {
            for (String line : Files.readAllLines(report, StandardCharsets.US_ASCII)) {
                String[] f = line.strip().split(" ", 2);
                if (f.length == 2) {
                    int index = Integer.parseInt(f[0]);
                    outcomes.put(index, new Outcome(f[1], parsed.get(index)));
                }
            }
        }
        return outcomes;
    }

    private record Limit(long seconds) {
        static final Limit COMPILE = new Limit(120);
        static final Limit SERVER = new Limit(60);
    }

    private String exec(List<String> command, Limit limit) throws Exception {
        return exec(command, limit, false);
    }

    /**
     * Runs a command to its end with Wine's environment, output to a file (see the class comment),
     * and returns that output. With {@code anyExit}, a non-zero exit is the caller's business (the
     * probe's report explains it).
     */
    private String exec(List<String> command, Limit limit, boolean anyExit) throws Exception {
        Path log = Files.createTempFile(work != null ? work : Path.of(System.getProperty("java.io.tmpdir")),
                "exec", ".log");
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(log.toFile()).redirectInput(new File("/dev/null"));
        if (work != null) {
            pb.directory(work.toFile());
        }
        if (wineEnv != null) {
            pb.environment().putAll(wineEnv);
            pb.environment().remove("DISPLAY");
            pb.environment().remove("WAYLAND_DISPLAY");
        }
        Process p = pb.start();
        boolean done = p.waitFor(limit.seconds(), TimeUnit.SECONDS);
        if (!done) {
            p.destroyForcibly().waitFor();
        }
        String output = Files.readString(log, StandardCharsets.ISO_8859_1);
        Files.delete(log);
        if (!done) {
            fail("%s did not end within %d s: %s", command, limit.seconds(), output);
        }
        if (!anyExit && p.exitValue() != 0) {
            fail("%s exited with %d: %s", command, p.exitValue(), output);
        }
        return output;
    }

    /** Wine maps drive Z: to the Unix root. */
    private static String windowsPath(Path unix) {
        return "Z:" + unix.toAbsolutePath().toString().replace('/', '\\');
    }

    private static void deleteTree(Path root) throws IOException {
        // the prefix holds symbolic links to / (dosdevices/z:): Files.walk does not follow them
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------
    // the child's JSON line: {"case":"N","crt":[...],"shell":[...],"raw":"..."}, ASCII with \\uXXXX

    static Parsed parse(String line) {
        JsonReader r = new JsonReader(line);
        Map<String, Object> fields = new HashMap<>();
        r.expect('{');
        while (true) {
            String key = r.string();
            r.expect(':');
            fields.put(key, r.peek() == '[' ? r.array() : r.string());
            if (r.peek() == ',') {
                r.expect(',');
                continue;
            }
            r.expect('}');
            break;
        }
        @SuppressWarnings("unchecked")
        Parsed p = new Parsed((String) fields.get("case"), (List<String>) fields.get("crt"),
                (List<String>) fields.get("shell"), (String) fields.get("raw"));
        return p;
    }

    private static final class JsonReader {
        private final String s;
        private int i;

        JsonReader(String s) {
            this.s = s;
        }

        char peek() {
            return s.charAt(i);
        }

        void expect(char c) {
            if (s.charAt(i) != c) {
                throw new IllegalArgumentException("expected '" + c + "' at " + i + " in " + s);
            }
            i++;
        }

        List<String> array() {
            List<String> items = new ArrayList<>();
            expect('[');
            if (peek() == ']') {
                i++;
                return items;
            }
            while (true) {
                items.add(string());
                if (peek() == ']') {
                    i++;
                    return items;
                }
                expect(',');
            }
        }

        String string() {
            expect('"');
            StringBuilder out = new StringBuilder();
            while (true) {
                char c = s.charAt(i++);
                if (c == '"') {
                    return out.toString();
                }
                if (c != '\\') {
                    out.append(c);
                    continue;
                }
                char e = s.charAt(i++);
                switch (e) {
                    case 'u' -> {
                        out.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                        i += 4;
                    }
                    case '"', '\\', '/' -> out.append(e);
                    default -> throw new IllegalArgumentException("escape \\" + e + " at " + i + " in " + s);
                }
            }
        }
    }

    /** A string or list for a message: Java-escaped, control and non-ASCII characters as \\uXXXX. */
    private static String show(Object value) {
        if (value instanceof List<?> list) {
            List<String> shown = new ArrayList<>();
            for (Object o : list) {
                shown.add(show(o));
            }
            return "[" + String.join(", ", shown) + "]";
        }
        StringBuilder out = new StringBuilder("\"");
        for (char c : value.toString().toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c >= 0x20 && c < 0x7f) {
                out.append(c);
            } else {
                out.append(String.format("\\u%04x", (int) c));
            }
        }
        return out.append('"').toString();
    }
}
