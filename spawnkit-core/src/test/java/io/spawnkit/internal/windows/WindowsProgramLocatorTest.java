package io.spawnkit.internal.windows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.spawnkit.SpawnException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * The contract table of {@link WindowsProgramLocator}, on a fake file set compared ignoring case (as
 * Windows file names are): no real Windows tree is needed, so it runs everywhere.
 */
class WindowsProgramLocatorTest {
    private static final String PATH = "C:\\bin;D:\\tools";
    private static final String PATHEXT = ".COM;.EXE;.BAT;.CMD";

    /** The files that exist; every probe is recorded in {@link #probes}. */
    private final Set<String> files = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    private final List<String> probes = new ArrayList<>();
    private final Predicate<String> isFile = p -> {
        probes.add(p);
        return files.contains(p);
    };

    private WindowsProgramLocatorTest with(String... paths) {
        files.addAll(List.of(paths));
        return this;
    }

    private String locate(String name, String path, String pathExt, String directory, boolean cwd) {
        return WindowsProgramLocator.locate(name, path, pathExt, directory, cwd, isFile, name);
    }

    private String locate(String name) {
        return locate(name, PATH, PATHEXT, "C:\\work", false);
    }

    private SpawnException failure(String name, String path, String pathExt, String directory, boolean cwd) {
        return catchThrowableOfType(SpawnException.class,
                () -> locate(name, path, pathExt, directory, cwd));
    }

    @Test
    void pathExtOrderDecidesWithinADirectory() {
        with("C:\\bin\\tool.cmd", "C:\\bin\\tool.exe", "D:\\tools\\tool.com");
        assertThat(locate("tool")).isEqualTo("C:\\bin\\tool.EXE");
        assertThat(probes).containsExactly("C:\\bin\\tool.COM", "C:\\bin\\tool.EXE");
        assertThat(locate("tool", PATH, ".CMD;.EXE", null, false)).isEqualTo("C:\\bin\\tool.CMD");
    }

    @Test
    void pathOrderComesBeforeExtensionOrder() {
        with("C:\\bin\\tool.cmd", "D:\\tools\\tool.exe");
        assertThat(locate("tool")).isEqualTo("C:\\bin\\tool.CMD");
    }

    @Test
    void aNameWithAnExtensionIsTriedAsIsFirst() {
        with("D:\\tools\\tool.exe", "C:\\bin\\tool.exe.com");
        assertThat(locate("tool.exe")).isEqualTo("C:\\bin\\tool.exe.COM");
        assertThat(probes).startsWith("C:\\bin\\tool.exe", "C:\\bin\\tool.exe.COM");
        probes.clear();
        files.clear();
        with("D:\\tools\\tool.exe", "D:\\tools\\tool.exe.com");
        assertThat(locate("TOOL.EXE")).isEqualTo("D:\\tools\\TOOL.EXE");
    }

    @Test
    void anyExtensionCountsNotOnlyExecutableOnes() {
        with("C:\\bin\\script.py");
        assertThat(locate("script.py")).isEqualTo("C:\\bin\\script.py");
    }

    @Test
    void aNameWithoutAnExtensionIsNeverTriedBare() {
        with("C:\\bin\\tool");
        assertThat(failure("tool", PATH, PATHEXT, null, false)).isNotNull();
        assertThat(probes).doesNotContain("C:\\bin\\tool");
    }

    @Test
    void aTrailingDotIsTriedAsIsThenWithoutDoublingTheDot() {
        with("C:\\bin\\tool.exe");
        assertThat(locate("tool.")).isEqualTo("C:\\bin\\tool.EXE");
        assertThat(probes).startsWith("C:\\bin\\tool.", "C:\\bin\\tool.COM", "C:\\bin\\tool.EXE");
    }

    @Test
    void batchFilesAreFoundThroughPathExt() {
        with("D:\\tools\\build.bat");
        String found = locate("build");
        assertThat(found).isEqualTo("D:\\tools\\build.BAT");
        assertThat(BatchFilesName.isBatch(found)).isTrue();
    }

    /** What BatchFiles.isBatchFile decides, restated so this test does not depend on helper A's file. */
    private static final class BatchFilesName {
        static boolean isBatch(String p) {
            String s = p.toLowerCase(Locale.ROOT);
            return s.endsWith(".bat") || s.endsWith(".cmd");
        }
    }

    @Test
    void quotedPathEntriesMayHoldSemicolons() {
        with("C:\\Program Files\\a;b\\tool.exe");
        assertThat(locate("tool", "\"C:\\Program Files\\a;b\";C:\\bin", PATHEXT, null, false))
                .isEqualTo("C:\\Program Files\\a;b\\tool.EXE");
        assertThat(WindowsProgramLocator.pathEntries("\"C:\\Program Files\\x\";;C:\\bin;\"\";"))
                .containsExactly("C:\\Program Files\\x", "C:\\bin");
        assertThat(WindowsProgramLocator.pathEntries("\"C:\\unbalanced;C:\\bin"))
                .containsExactly("C:\\unbalanced;C:\\bin");
    }

    @Test
    void emptyPathEntriesAreSkippedNotTakenAsTheCurrentDirectory() {
        with("C:\\work\\tool.exe", "C:\\bin\\tool.exe");
        assertThat(locate("tool", ";;C:\\bin;", PATHEXT, "C:\\work", false)).isEqualTo("C:\\bin\\tool.EXE");
        assertThat(probes).allMatch(p -> p.startsWith("C:\\bin\\"));
    }

    @Test
    void trailingSeparatorsInPathEntriesAreNotDoubled() {
        with("C:\\bin\\tool.exe", "E:\\x/other.exe");
        assertThat(locate("tool", "C:\\bin\\", PATHEXT, null, false)).isEqualTo("C:\\bin\\tool.EXE");
        assertThat(locate("other", "E:\\x/", PATHEXT, null, false)).isEqualTo("E:\\x/other.EXE");
    }

    @Test
    void relativePathEntriesAreTakenAgainstTheDirectory() {
        with("C:\\work\\node_modules\\.bin\\tsc.cmd");
        assertThat(locate("tsc", "node_modules\\.bin;C:\\bin", PATHEXT, "C:\\work", false))
                .isEqualTo("C:\\work\\node_modules\\.bin\\tsc.CMD");
    }

    @Test
    void relativeNamesAreResolvedAgainstTheDirectoryAndNotSearched() {
        with("C:\\work\\sub\\tool.exe", "C:\\bin\\sub\\tool.exe", "C:\\work\\sub/tool.exe");
        assertThat(locate("sub\\tool")).isEqualTo("C:\\work\\sub\\tool.EXE");
        assertThat(locate("sub/tool.exe")).isEqualTo("C:\\work\\sub/tool.exe");
        assertThat(probes).noneMatch(p -> p.startsWith("C:\\bin"));
    }

    @Test
    void relativeNamesStayRelativeWithoutADirectory() {
        with("sub\\tool.exe");
        assertThat(locate("sub\\tool", PATH, PATHEXT, null, false)).isEqualTo("sub\\tool.EXE");
    }

    @Test
    void aRelativeNameNotFoundListsWhatWasTried() {
        SpawnException e = failure("sub\\tool", PATH, ".EXE", "C:\\work", false);
        assertThat(e.errnoName()).isEqualTo("ENOENT");
        assertThat(e.detail()).contains("C:\\work\\sub\\tool.EXE").doesNotContain("C:\\bin");
    }

    @Test
    void absoluteNamesAreTakenAsIs() {
        with("E:\\x\\tool.exe", "E:/x/tool.exe", "\\\\server\\share\\run.cmd");
        assertThat(locate("E:\\x\\tool")).isEqualTo("E:\\x\\tool.EXE");
        assertThat(locate("e:/x/tool.exe")).isEqualTo("e:/x/tool.exe");
        assertThat(locate("\\\\server\\share\\run")).isEqualTo("\\\\server\\share\\run.CMD");
    }

    @Test
    void rootedNamesUseTheDirectorysDrive() {
        with("D:\\x\\tool.exe");
        assertThat(locate("\\x\\tool", PATH, PATHEXT, "D:\\work", false)).isEqualTo("D:\\x\\tool.EXE");
        assertThat(failure("\\x\\tool", PATH, PATHEXT, null, false)).isNotNull(); // no drive to take
    }

    @Test
    void driveRelativeNamesUseTheDirectoryOnTheSameDriveOnly() {
        with("C:\\work\\tool.exe", "D:tool.exe");
        assertThat(locate("C:tool")).isEqualTo("C:\\work\\tool.EXE");
        assertThat(locate("c:tool")).isEqualTo("C:\\work\\tool.EXE");
        // another drive's working directory is Windows' business: the name is passed on as given
        assertThat(locate("D:tool")).isEqualTo("D:tool.EXE");
    }

    @Test
    void theCurrentDirectoryIsSearchedFirstOnlyWhenAsked() {
        with("C:\\work\\tool.exe", "C:\\bin\\tool.exe");
        assertThat(locate("tool", PATH, PATHEXT, "C:\\work", false)).isEqualTo("C:\\bin\\tool.EXE");
        assertThat(locate("tool", PATH, PATHEXT, "C:\\work", true)).isEqualTo("C:\\work\\tool.EXE");
    }

    @Test
    void theCurrentDirectoryOfThisJvmIsDotBackslash() {
        with(".\\tool.exe");
        assertThat(locate("tool", null, PATHEXT, null, true)).isEqualTo(".\\tool.EXE");
        assertThat(failure("tool", null, PATHEXT, null, false)).isNotNull();
    }

    @Test
    void pathExtDefaultsToCmdsWhenUnsetOrEmpty() {
        with("C:\\bin\\tool.bat");
        for (String pathExt : new String[] {null, "", ";;"}) {
            probes.clear();
            assertThat(locate("tool", PATH, pathExt, null, false)).isEqualTo("C:\\bin\\tool.BAT");
            assertThat(probes).containsExactly("C:\\bin\\tool.COM", "C:\\bin\\tool.EXE", "C:\\bin\\tool.BAT");
        }
    }

    @Test
    void pathExtEntriesGainTheirDot() {
        assertThat(WindowsProgramLocator.extensions("exe;.Cmd;;PY")).containsExactly(".exe", ".Cmd", ".PY");
    }

    @Test
    void notFoundNamesThePathAndTheExtensions() {
        SpawnException e = failure("nope", PATH, ".EXE;.CMD", "C:\\work", false);
        assertThat(e.errnoName()).isEqualTo("ENOENT");
        assertThat(e.errno()).isEqualTo(2);
        assertThat(e.syscall()).isEqualTo("CreateProcessW");
        assertThat(e.program()).isEqualTo("nope");
        assertThat(e.detail()).contains(PATH).contains(".EXE;.CMD").doesNotContain("current directory");
        assertThat(failure("nope", PATH, null, null, true).detail())
                .contains("current directory").contains(".COM;.EXE;.BAT;.CMD");
        assertThat(failure("nope", null, null, null, false).detail()).contains("has none");
    }

    @Test
    void emptyAndDotNamesAreRefused() {
        with("C:\\bin\\.exe", "C:\\bin\\..exe");
        assertThat(failure("", PATH, PATHEXT, null, false).detail()).contains("empty");
        assertThat(failure(".", PATH, PATHEXT, null, false).errnoName()).isEqualTo("ENOENT");
    }

    @Test
    void directoriesAreNotFiles() {
        // isFile says no for a directory named like a program: the search goes on
        with("D:\\tools\\tool.exe");
        Predicate<String> onlyDtools = p -> p.equals("D:\\tools\\tool.EXE");
        assertThat(WindowsProgramLocator.locate("tool", PATH, PATHEXT, null, false, onlyDtools, "tool"))
                .isEqualTo("D:\\tools\\tool.EXE");
    }

    // ---- property: the first match in the documented order wins ----

    @Provide
    Arbitrary<List<String>> layouts() {
        Arbitrary<String> dirs = Arbitraries.of("C:\\bin", "D:\\tools", "C:\\work");
        Arbitrary<String> exts = Arbitraries.of(".com", ".exe", ".bat", ".cmd", ".txt", "");
        return Combinators.combine(dirs, exts).as((d, e) -> d + "\\tool" + e).list().ofMaxSize(6);
    }

    @Property(tries = 300)
    void theFirstFileInDirectoryThenExtensionOrderWins(@ForAll("layouts") List<String> layout,
            @ForAll boolean searchCwd) {
        files.clear(); // jqwik shares one instance between the tries of a property
        files.addAll(layout);
        List<String> dirs = searchCwd ? List.of("C:\\work", "C:\\bin", "D:\\tools") : List.of("C:\\bin", "D:\\tools");
        String expected = null;
        search:
        for (String d : dirs) {
            for (String e : List.of(".COM", ".EXE", ".BAT", ".CMD")) {
                if (files.contains(d + "\\tool" + e)) {
                    expected = d + "\\tool" + e;
                    break search;
                }
            }
        }
        if (expected == null) {
            assertThat(failure("tool", PATH, PATHEXT, "C:\\work", searchCwd)).isNotNull();
        } else {
            assertThat(locate("tool", PATH, PATHEXT, "C:\\work", searchCwd)).isEqualTo(expected);
        }
    }
}
