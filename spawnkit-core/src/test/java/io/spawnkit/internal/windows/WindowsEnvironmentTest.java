package io.spawnkit.internal.windows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** The contract table of {@link WindowsEnvironment}, then its invariants over random environments. */
class WindowsEnvironmentTest {

    /** The block with NULs shown as '|', so a vector reads like the table. */
    private static String show(List<String> entries, String systemRoot) {
        return new String(WindowsEnvironment.block(entries, systemRoot)).replace('\0', '|');
    }

    @Test
    void anEmptyEnvironmentIsTwoNuls() {
        assertThat(WindowsEnvironment.block(List.of(), null)).containsExactly('\0', '\0');
    }

    @Test
    void systemRootIsAddedToAnEmptyEnvironment() {
        assertThat(show(List.of(), "C:\\Windows")).isEqualTo("SYSTEMROOT=C:\\Windows||");
    }

    @Test
    void entriesAreSortedIgnoringCase() {
        assertThat(show(List.of("b=1", "A=2", "c=3", "B_=4"), null)).isEqualTo("A=2|b=1|B_=4|c=3||");
    }

    @Test
    void namesAreComparedNotWholeEntries() {
        // as entries "A0=" < "A=" ('0' is 0x30, '=' 0x3D); as names "A" < "A0"
        assertThat(show(List.of("A0=2", "A_=3", "A=1"), null)).isEqualTo("A=1|A0=2|A_=3||");
    }

    @Test
    void upperCaseOrderPutsUnderscoreAfterLetters() {
        // lower-case ordinal order would put '_' (0x5F) before 'a' (0x61); Windows upper-cases first
        assertThat(show(List.of("_x=1", "a=2"), null)).isEqualTo("a=2|_x=1||");
    }

    @Test
    void duplicatesIgnoringCaseKeepTheFirstSpellingAndTheLastValue() {
        assertThat(show(List.of("Path=C:\\a", "X=1", "PATH=C:\\b", "path=C:\\c"), null))
                .isEqualTo("Path=C:\\c|X=1||");
    }

    @Test
    void driveDirectoriesAreKeptAndSortBeforeLetters() {
        assertThat(show(List.of("X=1", "=D:=D:\\w", "=C:=C:\\d", "=::=::\\"), null))
                .isEqualTo("=::=::\\|=C:=C:\\d|=D:=D:\\w|X=1||");
    }

    @Test
    void aPresentSystemRootIsKeptWhateverItsCase() {
        assertThat(show(List.of("SystemRoot=D:\\W"), "C:\\Windows")).isEqualTo("SystemRoot=D:\\W||");
    }

    @Test
    void systemRootTakesItsSortedPlace() {
        assertThat(show(List.of("ZED=1", "APPDATA=2"), "C:\\Windows"))
                .isEqualTo("APPDATA=2|SYSTEMROOT=C:\\Windows|ZED=1||");
    }

    @Test
    void theFirstEqualsSignEndsTheNameAndValuesMayBeEmpty() {
        assertThat(show(List.of("A=x=y", "B="), null)).isEqualTo("A=x=y|B=||");
    }

    @Test
    void nonAsciiNamesSortByTheirUpperCase() {
        // 'é' (0xE9) upper-cases to 'É' (0xC9), still after every ASCII letter
        assertThat(show(List.of("é=1", "Z=2", "a=3"), null)).isEqualTo("a=3|Z=2|é=1||");
    }

    @Test
    void dotlessIAndLongSAreNotTheAsciiLetters() {
        assertThat(show(List.of("ıd=1", "ID=2", "ſ=3", "s=4"), null)).isEqualTo("ID=2|s=4|ıd=1|ſ=3||");
        assertThat(WindowsEnvironment.get(List.of("ıd=1"), "ID")).isNull();
        assertThat(WindowsEnvironment.get(List.of("ÿ=1"), "Ÿ")).isEqualTo("1");
    }

    @Test
    void entriesWithoutANameOrWithoutEqualsAreRefused() {
        for (String bad : List.of("=x", "==x", "A", "")) {
            assertThatThrownBy(() -> WindowsEnvironment.block(List.of(bad), null))
                    .as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void nulIsRefusedNamingTheVariable() {
        assertThatThrownBy(() -> WindowsEnvironment.block(List.of("FOO=a\0b"), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("FOO")
                .hasMessageContaining("value");
        assertThatThrownBy(() -> WindowsEnvironment.block(List.of("F\0O=1"), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("F\\0O")
                .hasMessageContaining("name");
        assertThatThrownBy(() -> WindowsEnvironment.block(List.of(), "C:\\W\0"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("SYSTEMROOT");
    }

    @Test
    void getIgnoresCaseAndTakesTheLastEntry() {
        List<String> env = List.of("Path=C:\\a", "PATHEXT=.EXE", "PATH=C:\\b", "=C:=C:\\d", "broken");
        assertThat(WindowsEnvironment.get(env, "path")).isEqualTo("C:\\b");
        assertThat(WindowsEnvironment.get(env, "PathExt")).isEqualTo(".EXE");
        assertThat(WindowsEnvironment.get(env, "=c:")).isEqualTo("C:\\d");
        assertThat(WindowsEnvironment.get(env, "PATHE")).isNull();
        assertThat(WindowsEnvironment.get(List.of("A="), "a")).isEmpty();
    }

    // ---- properties ----

    @Provide
    Arbitrary<Map<String, String>> environments() {
        Arbitrary<String> names = Arbitraries.strings()
                .withChars("aAbBzZ_09=:")
                .withChars('é', 'É', 'ß', 'ı', 'İ', '\u00ff', '\u0178')
                .ofMinLength(1).ofMaxLength(6)
                // a name may start with '=' but holds no other '=', and is not '=' alone
                .filter(n -> n.indexOf('=', 1) < 0 && !n.equals("="));
        Arbitrary<String> values = Arbitraries.strings().withChars("xX=;\\ é").ofMaxLength(5);
        return Arbitraries.maps(names, values).ofMaxSize(12);
    }

    @Property(tries = 500)
    void theBlockParsesBackToSortedCaseUniqueEntries(@ForAll("environments") Map<String, String> vars,
            @ForAll boolean withSystemRoot) {
        List<String> entries = new ArrayList<>();
        vars.forEach((k, v) -> entries.add(k + "=" + v));
        String systemRoot = withSystemRoot ? "C:\\Windows" : null;
        char[] block = WindowsEnvironment.block(entries, systemRoot);

        assertThat(block.length).isGreaterThanOrEqualTo(2);
        assertThat(block[block.length - 1]).isEqualTo('\0');
        assertThat(block[block.length - 2]).isEqualTo('\0');
        String text = new String(block, 0, block.length - 1);
        List<String> parsed = text.equals("\0") ? List.of()
                : Arrays.asList(text.substring(0, text.length() - 1).split("\0", -1));

        List<String> names = new ArrayList<>();
        Set<String> keys = new HashSet<>();
        for (String e : parsed) {
            int eq = e.indexOf('=', 1);
            assertThat(eq).as(e).isPositive();
            String name = e.substring(0, eq);
            names.add(name);
            assertThat(keys.add(WindowsEnvironment.upper(name))).as("unique: " + name).isTrue();
            // every entry is one given (with the value of the last given for its name) or SYSTEMROOT
            String given = WindowsEnvironment.get(entries, name);
            if (given != null) {
                assertThat(e.substring(eq + 1)).isEqualTo(given);
                assertThat(vars).containsKey(name);
            } else {
                assertThat(e).isEqualTo("SYSTEMROOT=C:\\Windows");
            }
        }
        assertThat(names).isSortedAccordingTo(WindowsEnvironment.NAME_ORDER);
        Set<String> givenKeys = new HashSet<>();
        vars.keySet().forEach(k -> givenKeys.add(WindowsEnvironment.upper(k)));
        if (withSystemRoot) {
            givenKeys.add("SYSTEMROOT");
        }
        assertThat(keys).isEqualTo(givenKeys);
        if (withSystemRoot) {
            assertThat(WindowsEnvironment.get(parsed, "SystemRoot")).isNotNull();
        }
    }

    @Property(tries = 200)
    void theOrderOfTheGivenEntriesDoesNotChangeTheOrderOfTheBlock(
            @ForAll("environments") Map<String, String> vars) {
        // with case-unique names, any permutation gives the same block
        Map<String, String> unique = new java.util.LinkedHashMap<>();
        Set<String> seen = new HashSet<>();
        vars.forEach((k, v) -> {
            if (seen.add(WindowsEnvironment.upper(k))) {
                unique.put(k, v);
            }
        });
        List<String> entries = new ArrayList<>();
        unique.forEach((k, v) -> entries.add(k + "=" + v));
        List<String> reversed = new ArrayList<>(entries);
        java.util.Collections.reverse(reversed);
        assertThat(WindowsEnvironment.block(reversed, null)).isEqualTo(WindowsEnvironment.block(entries, null));
    }
}
